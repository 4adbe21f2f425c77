/**
 * StoragePool: one storage pool, as libvirt's virStoragePoolPtr.
 */
import type { Connection } from './connection.js';
import type { ConnectionCore } from './dispatch.js';
import type { JobOptions, StoragePoolInfo, StoragePoolRef } from './spi.js';
import { StorageVol } from './storage-vol.js';

/** A storage pool (virStoragePoolPtr). Obtain one from a Connection. */
export class StoragePool {
  #core: ConnectionCore;
  #ref: StoragePoolRef;

  /** @internal Created by core from a driver's ref. */
  constructor(core: ConnectionCore, ref: StoragePoolRef) {
    this.#core = core;
    this.#ref = ref;
  }

  /** The driver-level ref this object stands for. */
  get ref(): StoragePoolRef {
    return this.#ref;
  }

  /** virStoragePoolGetConnect. */
  getConnect(): Connection {
    return this.#core.owner;
  }

  /** virStoragePoolGetName. */
  getName(): string {
    return this.#ref.name;
  }

  /** virStoragePoolGetUUIDString. */
  getUUIDString(): string {
    return this.#ref.uuid;
  }

  /** virStoragePoolBuild (VIR_STORAGE_POOL_BUILD_* flags). */
  build(flags = 0): Promise<void> {
    return this.#core.call('storagePoolBuild', [this.#ref, flags]);
  }

  /** virStoragePoolCreate: starts the pool. */
  create(flags = 0): Promise<void> {
    return this.#core.call('storagePoolCreate', [this.#ref, flags]);
  }

  /** virStoragePoolDestroy: stops the pool. */
  destroy(): Promise<void> {
    return this.#core.call('storagePoolDestroy', [this.#ref]);
  }

  /** virStoragePoolDelete: deletes the pool's underlying storage. */
  delete(flags = 0): Promise<void> {
    return this.#core.call('storagePoolDelete', [this.#ref, flags]);
  }

  /** virStoragePoolUndefine. */
  undefine(): Promise<void> {
    return this.#core.call('storagePoolUndefine', [this.#ref]);
  }

  /** virStoragePoolRefresh. */
  refresh(flags = 0): Promise<void> {
    return this.#core.call('storagePoolRefresh', [this.#ref, flags]);
  }

  /** virStoragePoolGetInfo: `{ state, capacity, allocation, available }` in bytes. */
  getInfo(): Promise<StoragePoolInfo> {
    return this.#core.call('storagePoolGetInfo', [this.#ref]);
  }

  /** virStoragePoolGetXMLDesc. */
  getXMLDesc(flags = 0): Promise<string> {
    return this.#core.call('storagePoolGetXMLDesc', [this.#ref, flags]);
  }

  /** virStoragePoolGetAutostart. */
  getAutostart(): Promise<boolean> {
    return this.#core.call('storagePoolGetAutostart', [this.#ref]);
  }

  /** virStoragePoolSetAutostart. */
  setAutostart(autostart: boolean): Promise<void> {
    return this.#core.call('storagePoolSetAutostart', [this.#ref, autostart]);
  }

  /** virStoragePoolIsActive. */
  isActive(): Promise<boolean> {
    return this.#core.call('storagePoolIsActive', [this.#ref]);
  }

  /** virStoragePoolIsPersistent. */
  isPersistent(): Promise<boolean> {
    return this.#core.call('storagePoolIsPersistent', [this.#ref]);
  }

  /** virStoragePoolNumOfVolumes. */
  numOfVolumes(): Promise<number> {
    return this.#core.call('storagePoolNumOfVolumes', [this.#ref]);
  }

  /** virStoragePoolListAllVolumes. */
  async listAllVolumes(flags = 0): Promise<StorageVol[]> {
    const refs = await this.#core.call('storagePoolListAllVolumes', [this.#ref, flags]);
    return refs.map((r) => new StorageVol(this.#core, r));
  }

  /** virStorageVolLookupByName: a volume of this pool. */
  async lookupStorageVolByName(name: string): Promise<StorageVol> {
    return new StorageVol(this.#core, await this.#core.call('storageVolLookupByName', [this.#ref, name]));
  }

  /** virStorageVolCreateXML: a new volume in this pool. */
  async createVolXML(xml: string, flags = 0, opts: JobOptions = {}): Promise<StorageVol> {
    const ref = await this.#core.call('storageVolCreateXML', [this.#ref, xml, flags, opts], { signal: opts.signal });
    return new StorageVol(this.#core, ref);
  }

  /** virStorageVolCreateXMLFrom: a new volume in this pool, cloned from `clonevol`. */
  async createVolXMLFrom(xml: string, clonevol: StorageVol, flags = 0, opts: JobOptions = {}): Promise<StorageVol> {
    const ref = await this.#core.call('storageVolCreateXMLFrom', [this.#ref, xml, clonevol.ref, flags, opts], {
      signal: opts.signal,
    });
    return new StorageVol(this.#core, ref);
  }
}
