/**
 * The slice of @virtkit/core's public API that vksh programs against (issue 3's names), as
 * structural types, and the lazy loader of core itself.
 *
 * vksh declares what it calls rather than importing core's classes so that it depends on the
 * documented method names only; `loadCore()` imports core on first use (keeping start-up
 * lean for commands that never connect, such as `help`).
 */
import type { Readable, Writable } from 'node:stream';

/** Options of long-running jobs (upload, download, clone, save, restore). */
export interface JobOpts {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** virDomainInfo. */
export interface DomainInfo {
  state: number;
  maxMem: number;
  memory: number;
  nrVirtCpu: number;
  cpuTime: number;
}

/** A domain snapshot. */
export interface Snapshot {
  getName(): string;
  getXMLDesc(flags?: number): Promise<string>;
  getParent(flags?: number): Promise<Snapshot>;
  isCurrent(flags?: number): Promise<boolean>;
  delete(flags?: number): Promise<void>;
  revert?(flags?: number): Promise<void>;
}

/** A domain. */
export interface Domain {
  getName(): string;
  getID(): number;
  getUUIDString(): string;
  getOSType(): Promise<string>;
  getInfo(): Promise<DomainInfo>;
  getState(flags?: number): Promise<{ state: number; reason: number }>;
  getXMLDesc(flags?: number): Promise<string>;
  isActive(): Promise<boolean>;
  isPersistent(): Promise<boolean>;
  create(flags?: number): Promise<void>;
  suspend(): Promise<void>;
  resume(): Promise<void>;
  shutdown(flags?: number): Promise<void>;
  reboot(flags?: number): Promise<void>;
  reset(flags?: number): Promise<void>;
  destroy(flags?: number): Promise<void>;
  undefine(flags?: number): Promise<void>;
  getAutostart(): Promise<boolean>;
  setAutostart(autostart: boolean): Promise<void>;
  setMemoryFlags(kib: number, flags: number): Promise<void>;
  setVcpusFlags(n: number, flags: number): Promise<void>;
  save(file: string, opts?: JobOpts & { dxml?: string; flags?: number }): Promise<void>;
  managedSave(flags?: number): Promise<void>;
  hasManagedSaveImage(flags?: number): Promise<boolean>;
  managedSaveRemove(flags?: number): Promise<void>;
  attachDeviceFlags(xml: string, flags: number): Promise<void>;
  detachDeviceFlags(xml: string, flags: number): Promise<void>;
  rename(name: string, flags?: number): Promise<void>;
  snapshotCreateXML(xml: string, flags?: number): Promise<Snapshot>;
  listAllSnapshots(flags?: number): Promise<Snapshot[]>;
  snapshotLookupByName(name: string, flags?: number): Promise<Snapshot>;
  snapshotCurrent(flags?: number): Promise<Snapshot>;
  hasCurrentSnapshot(flags?: number): Promise<boolean>;
  revertToSnapshot(snap: Snapshot, flags?: number): Promise<void>;
}

/** A virtual network. */
export interface Network {
  getName(): string;
  getUUIDString(): string;
  getXMLDesc(flags?: number): Promise<string>;
  getBridgeName(): Promise<string>;
  getAutostart(): Promise<boolean>;
  setAutostart(autostart: boolean): Promise<void>;
  isActive(): Promise<boolean>;
  isPersistent(): Promise<boolean>;
  create(flags?: number): Promise<void>;
  destroy(): Promise<void>;
  undefine(): Promise<void>;
}

/** A storage pool. */
export interface StoragePool {
  getName(): string;
  getUUIDString(): string;
  getInfo(): Promise<{ state: number; capacity: number; allocation: number; available: number }>;
  getXMLDesc(flags?: number): Promise<string>;
  getAutostart(): Promise<boolean>;
  setAutostart(autostart: boolean): Promise<void>;
  isActive(): Promise<boolean>;
  isPersistent(): Promise<boolean>;
  build(flags?: number): Promise<void>;
  create(flags?: number): Promise<void>;
  destroy(): Promise<void>;
  delete(flags?: number): Promise<void>;
  undefine(): Promise<void>;
  refresh(flags?: number): Promise<void>;
  listAllVolumes(flags?: number): Promise<StorageVol[]>;
  lookupStorageVolByName?(name: string): Promise<StorageVol>;
  storageVolLookupByName?(name: string): Promise<StorageVol>;
  createVolXML(xml: string, flags?: number, opts?: JobOpts): Promise<StorageVol>;
  createVolXMLFrom(xml: string, clone: StorageVol, flags?: number, opts?: JobOpts): Promise<StorageVol>;
}

/** A storage volume. */
export interface StorageVol {
  getName(): string;
  getKey(): string;
  getPath(): Promise<string> | string;
  getInfo(): Promise<{ type: number; capacity: number; allocation: number }>;
  getXMLDesc(flags?: number): Promise<string>;
  delete(flags?: number): Promise<void>;
  wipe(flags?: number, opts?: JobOpts): Promise<void>;
  resize(capacity: number, flags?: number): Promise<void>;
  upload(offset: number, length: number, flags?: number, opts?: JobOpts): Promise<Writable>;
  download(offset: number, length: number, flags?: number, opts?: JobOpts): Promise<Readable>;
}

/** An open connection. */
export interface Connection {
  getType(): Promise<string>;
  getVersion(): Promise<number>;
  getLibVersion(): Promise<number>;
  getHostname(): Promise<string>;
  getURI(): Promise<string> | string;
  getCapabilities(): Promise<string>;
  getDomainCapabilities(emulatorbin?: string, arch?: string, machine?: string, virttype?: string, flags?: number): Promise<string>;
  getNodeInfo(): Promise<{
    model: string;
    memory: number;
    cpus: number;
    mhz: number;
    nodes: number;
    sockets: number;
    cores: number;
    threads: number;
  }>;
  close(): Promise<void>;
  listAllDomains(flags?: number): Promise<Domain[]>;
  lookupDomainByName(name: string): Promise<Domain>;
  lookupDomainByID(id: number): Promise<Domain>;
  lookupDomainByUUIDString(uuid: string): Promise<Domain>;
  defineDomainXML(xml: string, flags?: number): Promise<Domain>;
  createDomainXML(xml: string, flags?: number): Promise<Domain>;
  restoreDomain(file: string, opts?: JobOpts & { dxml?: string; flags?: number }): Promise<void>;
  listAllNetworks(flags?: number): Promise<Network[]>;
  lookupNetworkByName(name: string): Promise<Network>;
  lookupNetworkByUUIDString(uuid: string): Promise<Network>;
  defineNetworkXML(xml: string, flags?: number): Promise<Network>;
  createNetworkXML(xml: string, flags?: number): Promise<Network>;
  listAllStoragePools(flags?: number): Promise<StoragePool[]>;
  lookupStoragePoolByName(name: string): Promise<StoragePool>;
  lookupStoragePoolByUUIDString(uuid: string): Promise<StoragePool>;
  lookupStoragePoolByVolume(vol: StorageVol): Promise<StoragePool>;
  defineStoragePoolXML(xml: string, flags?: number): Promise<StoragePool>;
  createStoragePoolXML(xml: string, flags?: number): Promise<StoragePool>;
  lookupStorageVolByPath(path: string): Promise<StorageVol>;
  lookupStorageVolByKey(key: string): Promise<StorageVol>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off?(event: string, listener: (...args: never[]) => void): unknown;
}

/** What vksh needs from the core module itself. */
export interface CoreModule {
  connect(uri?: string, opts?: { readOnly?: boolean }): Promise<Connection>;
  registerDriver?(driver: never): void;
}

/** A VirtError as thrown by core (checked structurally so a second copy of core still matches). */
export interface VirtErrorLike {
  readonly code: number;
  readonly domain: number;
  readonly message: string;
}

/** True for errors carrying libvirt's numeric code. */
export function isVirtError(e: unknown): e is VirtErrorLike {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
}

let corePromise: Promise<CoreModule> | undefined;

/** Imports @virtkit/core on first use. */
export function loadCore(): Promise<CoreModule> {
  corePromise ??= import('@virtkit/core') as unknown as Promise<CoreModule>;
  return corePromise;
}
