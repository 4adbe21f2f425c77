/**
 * Connection: an open connection to a driver, as libvirt's virConnectPtr. Methods are
 * libvirt's minus the `virConnect` prefix (`virConnectListAllDomains` -> `listAllDomains`),
 * with object lookups named after the object (`virDomainLookupByName` -> `lookupDomainByName`).
 */
import type { ConnectionCore } from './dispatch.js';
import { VIR_FROM_DOMAIN, VIR_FROM_NETWORK, VIR_FROM_STORAGE } from './constants/error-domains.js';
import { Domain } from './domain.js';
import { invalidArg } from './error-helpers.js';
import type { ConnectionEvent, ConnectionEventListeners, EventIteratorOptions } from './events.js';
import { Network } from './network.js';
import type { DomainRef, JobOptions, NetworkRef, NodeInfo, StoragePoolRef, StorageVolRef } from './spi.js';
import { StoragePool } from './storage-pool.js';
import { StorageVol } from './storage-vol.js';
import { normalizeUUID, parseUUID } from './uuid.js';

/** The libvirt version whose API virtkit implements, as virConnectGetLibVersion encodes it. */
export const LIBVIR_VERSION_NUMBER = 9000000;

/** Options of restoreDomain(): virDomainRestoreFlags' `dxml` and `flags`, plus job options. */
export interface DomainRestoreOptions extends JobOptions {
  /** A replacement domain XML for the restored guest. */
  readonly dxml?: string;
  /** VIR_DOMAIN_SAVE_* flags (RUNNING, PAUSED, BYPASS_CACHE, ...). */
  readonly flags?: number;
}

/** Options of getDomainCapabilities() (virConnectGetDomainCapabilities' arguments). */
export interface DomainCapabilitiesOptions {
  /** Path of the emulator binary (default: the driver's choice). */
  readonly emulatorbin?: string;
  /** Guest architecture, e.g. `x86_64`. */
  readonly arch?: string;
  /** Machine type, e.g. `q35`. */
  readonly machine?: string;
  /** Virtualization type, e.g. `kvm` or `qemu`. */
  readonly virttype?: string;
  /** Flags (none defined in libvirt 9.0 beyond 0). */
  readonly flags?: number;
}

/** An open connection (virConnectPtr). Obtain one with `connect()`. */
export class Connection {
  #core: ConnectionCore;
  /** Domains returned by listAllDomains, by driver ref (a ref that is dropped drops its entry). */
  readonly #listed = new WeakMap<DomainRef, Domain>();

  /** @internal Created by connect(). */
  constructor(core: ConnectionCore) {
    this.#core = core;
    core.owner = this;
  }

  /** Whether the connection was opened read-only. */
  get readOnly(): boolean {
    return this.#core.readOnly;
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#core.closed;
  }

  /** @internal Whether the connection's drivers implement an SPI method (support matrix, contract suite). */
  hasDriverMethod(method: Parameters<ConnectionCore['has']>[0]): boolean {
    return this.#core.has(method);
  }

  /** Wraps a driver-level ref as a Domain without a driver call (for tools and driver tests). */
  domainFromRef(ref: DomainRef): Domain {
    return new Domain(this.#core, ref);
  }

  /** Wraps a driver-level ref as a Network without a driver call. */
  networkFromRef(ref: NetworkRef): Network {
    return new Network(this.#core, ref);
  }

  /** Wraps a driver-level ref as a StoragePool without a driver call. */
  storagePoolFromRef(ref: StoragePoolRef): StoragePool {
    return new StoragePool(this.#core, ref);
  }

  /** Wraps a driver-level ref as a StorageVol without a driver call. */
  storageVolFromRef(ref: StorageVolRef): StorageVol {
    return new StorageVol(this.#core, ref);
  }

  /** virConnectGetType: the driver's name (the driver's own answer when it has one). */
  async getType(): Promise<string> {
    if (!this.#core.has('connectGetType')) {
      this.#core.checkOpen('virConnectGetType');
      return this.#core.driverName;
    }
    return this.#core.call('connectGetType', []);
  }

  /** virConnectGetVersion: the hypervisor version, major * 1,000,000 + minor * 1,000 + release. */
  getVersion(): Promise<number> {
    return this.#core.call('connectGetVersion', []);
  }

  /** virConnectGetLibVersion: the libvirt API level virtkit implements (9.0.0 -> 9000000). */
  async getLibVersion(): Promise<number> {
    this.#core.checkOpen('virConnectGetLibVersion');
    return LIBVIR_VERSION_NUMBER;
  }

  /** virConnectGetHostname. */
  getHostname(): Promise<string> {
    return this.#core.call('connectGetHostname', []);
  }

  /** virConnectGetURI: the URI this connection was opened with (local, so synchronous). */
  getURI(): string {
    this.#core.checkOpen('virConnectGetURI');
    return this.#core.uri.raw;
  }

  /** virConnectGetCapabilities: the capabilities XML. */
  getCapabilities(): Promise<string> {
    return this.#core.call('connectGetCapabilities', []);
  }

  /** virConnectGetDomainCapabilities: the domain capabilities XML. */
  getDomainCapabilities(opts: DomainCapabilitiesOptions = {}): Promise<string> {
    const { emulatorbin, arch, machine, virttype, flags = 0 } = opts;
    return this.#core.call('connectGetDomainCapabilities', [emulatorbin, arch, machine, virttype, flags]);
  }

  /** virNodeGetInfo: `{ model, memory, cpus, mhz, nodes, sockets, cores, threads }` (KiB). */
  getNodeInfo(): Promise<NodeInfo> {
    return this.#core.call('nodeGetInfo', []);
  }

  /** virNodeGetFreeMemory, in bytes. */
  getFreeMemory(): Promise<number> {
    return this.#core.call('nodeGetFreeMemory', []);
  }

  /** virConnectGetMaxVcpus for a virtualization type (e.g. `kvm`). */
  getMaxVcpus(type?: string): Promise<number> {
    return this.#core.call('connectGetMaxVcpus', [type]);
  }

  /** virConnectIsAlive. */
  isAlive(): Promise<boolean> {
    return this.#core.call('connectIsAlive', []);
  }

  /** virConnectIsSecure. */
  isSecure(): Promise<boolean> {
    return this.#core.call('connectIsSecure', []);
  }

  /** virConnectIsEncrypted. */
  isEncrypted(): Promise<boolean> {
    return this.#core.call('connectIsEncrypted', []);
  }

  /**
   * virConnectClose: closes the driver connections. Later calls on this connection and its
   * objects fail with VIR_ERR_INVALID_CONN; closing again is a no-op.
   */
  close(): Promise<void> {
    return this.#core.close();
  }

  /**
   * virConnectListAllDomains (VIR_CONNECT_LIST_DOMAINS_* flags). A domain whose driver ref is
   * unchanged since the last listing comes back as the same Domain object: code that polls the
   * list of thousands of domains does not allocate thousands of new objects each time.
   */
  async listAllDomains(flags = 0): Promise<Domain[]> {
    const refs = await this.#core.call('connectListAllDomains', [flags]);
    const listed = this.#listed;
    return refs.map((ref) => {
      let dom = listed.get(ref);
      if (dom === undefined) listed.set(ref, (dom = new Domain(this.#core, ref)));
      return dom;
    });
  }

  /** virConnectListDomains: ids of running domains. */
  listDomains(): Promise<number[]> {
    return this.#core.call('connectListDomains', []);
  }

  /** virConnectListDefinedDomains: names of inactive persistent domains. */
  listDefinedDomains(): Promise<string[]> {
    return this.#core.call('connectListDefinedDomains', []);
  }

  /** virConnectNumOfDomains: how many are running. */
  numOfDomains(): Promise<number> {
    return this.#core.call('connectNumOfDomains', []);
  }

  /** virConnectNumOfDefinedDomains: how many are inactive and persistent. */
  numOfDefinedDomains(): Promise<number> {
    return this.#core.call('connectNumOfDefinedDomains', []);
  }

  /** virDomainLookupByName. */
  async lookupDomainByName(name: string): Promise<Domain> {
    return new Domain(this.#core, await this.#core.call('domainLookupByName', [name]));
  }

  /** virDomainLookupByID. */
  async lookupDomainByID(id: number): Promise<Domain> {
    const validate = (): void => {
      if (!Number.isInteger(id) || id < 0) throw invalidArg('id in virDomainLookupByID must be zero or greater', VIR_FROM_DOMAIN);
    };
    return new Domain(this.#core, await this.#core.call('domainLookupByID', [id], { validate }));
  }

  /** virDomainLookupByUUIDString (any libvirt-accepted UUID spelling). */
  async lookupDomainByUUIDString(uuid: string): Promise<Domain> {
    const canonical = normalizeUUID(uuid);
    const validate = (): void => void parseUUID(uuid, VIR_FROM_DOMAIN);
    return new Domain(this.#core, await this.#core.call('domainLookupByUUID', [canonical ?? uuid], { validate }));
  }

  /** virDomainDefineXML (virDomainDefineXMLFlags when `flags` is given). */
  async defineDomainXML(xml: string, flags?: number): Promise<Domain> {
    const api = flags === undefined ? 'virDomainDefineXML' : 'virDomainDefineXMLFlags';
    return new Domain(this.#core, await this.#core.call('domainDefineXML', [xml, flags ?? 0], { api }));
  }

  /** virDomainCreateXML: starts a transient domain. */
  async createDomainXML(xml: string, flags = 0): Promise<Domain> {
    return new Domain(this.#core, await this.#core.call('domainCreateXML', [xml, flags]));
  }

  /** virDomainRestore (virDomainRestoreFlags when `dxml` or `flags` is given). */
  async restoreDomain(file: string, opts: DomainRestoreOptions = {}): Promise<void> {
    const api = opts.dxml === undefined && opts.flags === undefined ? 'virDomainRestore' : 'virDomainRestoreFlags';
    const job: JobOptions = { signal: opts.signal, onProgress: opts.onProgress };
    await this.#core.call('domainRestore', [file, opts.dxml, opts.flags ?? 0, job], { api, signal: opts.signal });
  }

  /** virConnectListAllNetworks (VIR_CONNECT_LIST_NETWORKS_* flags). */
  async listAllNetworks(flags = 0): Promise<Network[]> {
    const refs = await this.#core.call('connectListAllNetworks', [flags]);
    return refs.map((r) => new Network(this.#core, r));
  }

  /** virConnectNumOfNetworks: how many are active. */
  numOfNetworks(): Promise<number> {
    return this.#core.call('connectNumOfNetworks', []);
  }

  /** virConnectNumOfDefinedNetworks: how many are inactive. */
  numOfDefinedNetworks(): Promise<number> {
    return this.#core.call('connectNumOfDefinedNetworks', []);
  }

  /** virNetworkLookupByName. */
  async lookupNetworkByName(name: string): Promise<Network> {
    return new Network(this.#core, await this.#core.call('networkLookupByName', [name]));
  }

  /** virNetworkLookupByUUIDString. */
  async lookupNetworkByUUIDString(uuid: string): Promise<Network> {
    const canonical = normalizeUUID(uuid);
    const validate = (): void => void parseUUID(uuid, VIR_FROM_NETWORK);
    return new Network(this.#core, await this.#core.call('networkLookupByUUID', [canonical ?? uuid], { validate }));
  }

  /** virNetworkDefineXML (virNetworkDefineXMLFlags when `flags` is given). */
  async defineNetworkXML(xml: string, flags?: number): Promise<Network> {
    const api = flags === undefined ? 'virNetworkDefineXML' : 'virNetworkDefineXMLFlags';
    return new Network(this.#core, await this.#core.call('networkDefineXML', [xml, flags ?? 0], { api }));
  }

  /** virNetworkCreateXML (virNetworkCreateXMLFlags when `flags` is given): a transient network. */
  async createNetworkXML(xml: string, flags?: number): Promise<Network> {
    const api = flags === undefined ? 'virNetworkCreateXML' : 'virNetworkCreateXMLFlags';
    return new Network(this.#core, await this.#core.call('networkCreateXML', [xml, flags ?? 0], { api }));
  }

  /** virConnectListAllStoragePools (VIR_CONNECT_LIST_STORAGE_POOLS_* flags). */
  async listAllStoragePools(flags = 0): Promise<StoragePool[]> {
    const refs = await this.#core.call('connectListAllStoragePools', [flags]);
    return refs.map((r) => new StoragePool(this.#core, r));
  }

  /** virConnectNumOfStoragePools: how many are active. */
  numOfStoragePools(): Promise<number> {
    return this.#core.call('connectNumOfStoragePools', []);
  }

  /** virConnectNumOfDefinedStoragePools: how many are inactive. */
  numOfDefinedStoragePools(): Promise<number> {
    return this.#core.call('connectNumOfDefinedStoragePools', []);
  }

  /** virStoragePoolLookupByName. */
  async lookupStoragePoolByName(name: string): Promise<StoragePool> {
    return new StoragePool(this.#core, await this.#core.call('storagePoolLookupByName', [name]));
  }

  /** virStoragePoolLookupByUUIDString. */
  async lookupStoragePoolByUUIDString(uuid: string): Promise<StoragePool> {
    const canonical = normalizeUUID(uuid);
    const validate = (): void => void parseUUID(uuid, VIR_FROM_STORAGE);
    return new StoragePool(this.#core, await this.#core.call('storagePoolLookupByUUID', [canonical ?? uuid], { validate }));
  }

  /** virStoragePoolLookupByVolume: the pool holding `vol`. */
  async lookupStoragePoolByVolume(vol: StorageVol): Promise<StoragePool> {
    return new StoragePool(this.#core, await this.#core.call('storagePoolLookupByVolume', [vol.ref]));
  }

  /** virStoragePoolDefineXML. */
  async defineStoragePoolXML(xml: string, flags = 0): Promise<StoragePool> {
    return new StoragePool(this.#core, await this.#core.call('storagePoolDefineXML', [xml, flags]));
  }

  /** virStoragePoolCreateXML: a transient, started pool. */
  async createStoragePoolXML(xml: string, flags = 0): Promise<StoragePool> {
    return new StoragePool(this.#core, await this.#core.call('storagePoolCreateXML', [xml, flags]));
  }

  /** virStorageVolLookupByPath. */
  async lookupStorageVolByPath(path: string): Promise<StorageVol> {
    return new StorageVol(this.#core, await this.#core.call('storageVolLookupByPath', [path]));
  }

  /** virStorageVolLookupByKey. */
  async lookupStorageVolByKey(key: string): Promise<StorageVol> {
    return new StorageVol(this.#core, await this.#core.call('storageVolLookupByKey', [key]));
  }

  /** virConnectFindStoragePoolSources: the `<sources>` XML a pool type discovers. */
  findStoragePoolSources(type: string, srcSpec?: string, flags = 0): Promise<string> {
    return this.#core.call('connectFindStoragePoolSources', [type, srcSpec, flags]);
  }

  /** Adds an event listener (virConnectDomainEventRegisterAny and friends). */
  on<K extends keyof ConnectionEventListeners>(event: K, listener: ConnectionEventListeners[K]): this {
    this.#core.checkOpen('virConnectDomainEventRegisterAny');
    this.#core.events.on(event, listener);
    return this;
  }

  /** Removes an event listener added with on(). */
  off<K extends keyof ConnectionEventListeners>(event: K, listener: ConnectionEventListeners[K]): this {
    this.#core.events.off(event, listener);
    return this;
  }

  /**
   * Events from now on as an async iterator of typed records; the iteration ends when `signal`
   * aborts, when the loop breaks, or when the connection closes.
   */
  events(opts: EventIteratorOptions = {}): AsyncIterableIterator<ConnectionEvent> {
    this.#core.checkOpen('virConnectDomainEventRegisterAny');
    return this.#core.events.iterate(opts);
  }
}
