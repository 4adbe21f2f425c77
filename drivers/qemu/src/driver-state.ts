/**
 * The state of one open driver root: its domains (by name, uuid and id), the store, the
 * event sink, capabilities, and the id counter. Every method family works on this.
 */
import { existsSync, accessSync, constants as fsc } from 'node:fs';
import { virtError, type DomainRef, type DriverEventSink } from '@virtkit/core';
import { formatDomainXML, type DomainDef } from '@virtkit/xml';
import { DomainStore, type DomainStatus } from './domain-store.js';
import { QemuDomainObj } from './domain-obj.js';
import { probeCaps, defaultEmulator, type QemuCaps } from './capabilities.js';
import type { QemuPaths } from './paths.js';
import { VIR_ERR_NO_DOMAIN, VIR_ERR_OPERATION_INVALID } from './constants.js';

/** The driver root's in-memory state. */
export class QemuDriverState {
  readonly store: DomainStore;
  readonly events: DriverEventSink;
  readonly readOnly: boolean;
  readonly #byName = new Map<string, QemuDomainObj>();
  readonly #byUuid = new Map<string, QemuDomainObj>();
  #nextId = 1;
  #caps: Promise<QemuCaps> | undefined;
  closed = false;

  /** The connection URI (volume disks are resolved through the storage driver serving it). */
  readonly uri: string;

  constructor(paths: QemuPaths, events: DriverEventSink, readOnly: boolean, uri = '') {
    this.uri = uri;
    this.store = new DomainStore(paths);
    this.events = events;
    this.readOnly = readOnly;
  }

  /** Capabilities of the default emulator (probed once per binary+mtime). */
  caps(binary = defaultEmulator()): Promise<QemuCaps> {
    if (binary !== defaultEmulator()) return probeCaps(binary, this.store.paths.cacheDir);
    this.#caps ??= probeCaps(binary, this.store.paths.cacheDir).catch((e: unknown) => {
      this.#caps = undefined;
      throw e;
    });
    return this.#caps;
  }

  /** Whether /dev/kvm is usable. */
  kvmUsable(): boolean {
    try {
      accessSync('/dev/kvm', fsc.R_OK | fsc.W_OK);
      return existsSync('/dev/kvm');
    } catch {
      return false;
    }
  }

  /** All domains. */
  all(): QemuDomainObj[] {
    return [...this.#byName.values()];
  }

  /** Adds a domain object. */
  add(obj: QemuDomainObj): void {
    this.#byName.set(obj.name, obj);
    this.#byUuid.set(obj.uuid, obj);
  }

  /** Removes a domain object. */
  remove(obj: QemuDomainObj): void {
    if (this.#byName.get(obj.name) === obj) this.#byName.delete(obj.name);
    if (this.#byUuid.get(obj.uuid) === obj) this.#byUuid.delete(obj.uuid);
  }

  /** Forgets every domain (read-only views rebuild from disk). */
  clear(): void {
    this.#byName.clear();
    this.#byUuid.clear();
  }

  /** Re-keys after a rename. */
  rename(obj: QemuDomainObj, newName: string): void {
    this.#byName.delete(obj.name);
    obj.name = newName;
    this.#byName.set(newName, obj);
  }

  byName(name: string): QemuDomainObj | undefined {
    return this.#byName.get(name);
  }

  byUuid(uuid: string): QemuDomainObj | undefined {
    return this.#byUuid.get(uuid.toLowerCase());
  }

  byId(id: number): QemuDomainObj | undefined {
    if (id < 0) return undefined;
    return this.all().find((d) => d.id === id);
  }

  /** The object a ref names, or libvirt's "Domain not found" error. */
  get(ref: DomainRef): QemuDomainObj {
    const obj = this.byUuid(ref.uuid);
    if (!obj) throw virtError(VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
    return obj;
  }

  /** Like get(), but requires the domain to be running. */
  getActive(ref: DomainRef): QemuDomainObj {
    const obj = this.get(ref);
    if (!obj.active) throw virtError(VIR_ERR_OPERATION_INVALID, 'domain is not running');
    return obj;
  }

  /** A new domain id. */
  allocId(): number {
    return this.#nextId++;
  }

  /** Makes sure future ids are above `id` (after reconnect). */
  noteId(id: number): void {
    if (id >= this.#nextId) this.#nextId = id + 1;
  }

  /** Emits a lifecycle event. */
  emit(obj: QemuDomainObj, event: number, detail: number): void {
    if (this.closed) return;
    this.events.domainLifecycle(obj.ref(), event, detail);
  }

  readonly #statusChain = new WeakMap<QemuDomainObj, Promise<void>>();

  /** Writes the status file of a running domain (writes of one domain are serialised). */
  saveStatus(obj: QemuDomainObj): Promise<void> {
    const prev = this.#statusChain.get(obj) ?? Promise.resolve();
    const next = prev.then(() => this.#writeStatus(obj)).catch(() => undefined);
    this.#statusChain.set(obj, next);
    return next;
  }

  /** Removes the status file after pending writes. */
  removeStatus(obj: QemuDomainObj): Promise<void> {
    const prev = this.#statusChain.get(obj) ?? Promise.resolve();
    const next = prev.then(() => this.store.removeStatus(obj.name)).catch(() => undefined);
    this.#statusChain.set(obj, next);
    return next;
  }

  async #writeStatus(obj: QemuDomainObj): Promise<void> {
    if (!obj.active || !obj.liveDef) return;
    const status: DomainStatus = {
      version: 1,
      name: obj.name,
      uuid: obj.uuid,
      id: obj.id,
      pid: obj.pid,
      pidStart: obj.pidStart,
      state: obj.state,
      reason: obj.reason,
      monitor: this.store.monitorPath(obj.uuid),
      xml: formatDomainXML(obj.liveDef),
      fakeReboot: obj.fakeReboot,
      persistent: obj.persistent,
      taps: obj.taps,
    };
    await this.store.writeStatus(status);
  }

  /** Writes the persistent definition. */
  async saveConfig(obj: QemuDomainObj, def: DomainDef | undefined = obj.persistentDef): Promise<void> {
    if (!def) return;
    await this.store.writeDefinition(obj.name, formatDomainXML(def, { inactive: true }));
    if (obj.active) obj.configChangedWhileRunning = true;
  }
}
