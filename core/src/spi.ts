/**
 * The driver SPI: what a hypervisor, network or storage driver implements.
 *
 * Modelled on libvirt's driver tables (virHypervisorDriver, virNetworkDriver,
 * virStorageDriver): one interface per object family, every method optional, method names
 * as libvirt's table fields (`domainSuspend`, `connectListAllDomains`). Core's dispatch is the
 * one place that turns a missing method into VIR_ERR_NO_SUPPORT, refuses mutating calls on
 * read-only connections, and wraps objects; drivers never see public classes, only refs.
 *
 * Conventions every driver follows:
 * - Objects cross the boundary as plain refs (`DomainRef`, ...), never as public classes.
 * - Failures throw `VirtError` with libvirt's code and message (see errors.ts).
 * - Flags are checked with `checkFlags()`; unknown bits -> VIR_ERR_INVALID_ARG.
 * - XML in and out is a string; drivers parse and format with @virtkit/xml.
 * - Sizes are libvirt's units: domain memory in KiB, storage sizes in bytes, time in ns.
 */
import type { Readable, Writable } from 'node:stream';

/**
 * A domain as drivers name it. `id` is -1 while the domain is inactive. Any object with these
 * properties will do (a driver may compute them in getters), so core reads them one by one and
 * never spreads a ref.
 */
export interface DomainRef {
  readonly name: string;
  readonly uuid: string;
  readonly id: number;
}

/** A virtual network. */
export interface NetworkRef {
  readonly name: string;
  readonly uuid: string;
}

/** A storage pool. */
export interface StoragePoolRef {
  readonly name: string;
  readonly uuid: string;
}

/** A storage volume: its pool's name, its own name, and its key (usually the path). */
export interface StorageVolRef {
  readonly pool: string;
  readonly name: string;
  readonly key: string;
}

/** A domain snapshot. */
export interface DomainSnapshotRef {
  readonly domain: DomainRef;
  readonly name: string;
}

/** A parsed connection URI: `driver[+transport]://[user@][host][:port]/path?query`. */
export interface ConnectURI {
  /** The URI exactly as given (after defaulting). */
  readonly raw: string;
  /** `qemu` in `qemu+ssh://...`. */
  readonly scheme: string;
  /** `ssh` in `qemu+ssh://...`, or undefined. */
  readonly transport?: string;
  readonly user?: string;
  readonly host?: string;
  readonly port?: number;
  /** `/system`, `/default`, `/abs/path/node.xml`; '' when absent. */
  readonly path: string;
  /** Decoded query parameters, e.g. `{ root: '/tmp/x' }` for `qemu:///embed?root=/tmp/x`. */
  readonly query: Readonly<Record<string, string>>;
}

/** Where drivers report events; core turns refs into objects and calls listeners. */
export interface DriverEventSink {
  /** VIR_DOMAIN_EVENT_ID_LIFECYCLE: `event` is virDomainEventType, `detail` its detail enum. */
  domainLifecycle(dom: DomainRef, event: number, detail: number): void;
  /** VIR_DOMAIN_EVENT_ID_REBOOT. */
  domainReboot(dom: DomainRef): void;
  /** VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, actual balloon size in KiB. */
  domainBalloonChange(dom: DomainRef, actualKiB: number): void;
  /** VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, the device alias (e.g. `virtio-disk1`). */
  domainDeviceRemoved(dom: DomainRef, devAlias: string): void;
  /** VIR_NETWORK_EVENT_ID_LIFECYCLE. */
  networkLifecycle(net: NetworkRef, event: number, detail: number): void;
  /** VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE. */
  storagePoolLifecycle(pool: StoragePoolRef, event: number, detail: number): void;
  /** VIR_STORAGE_POOL_EVENT_ID_REFRESH. */
  storagePoolRefresh(pool: StoragePoolRef): void;
}

/** Credentials callback, as virConnectAuth (kept minimal until a remote driver exists). */
export interface ConnectAuth {
  readonly credTypes?: readonly number[];
  readonly callback?: (creds: { type: number; prompt: string; result?: string }[]) => Promise<void>;
}

/** What core hands a driver when opening a connection. */
export interface DriverOpenContext {
  readonly uri: ConnectURI;
  readonly readOnly: boolean;
  readonly auth?: ConnectAuth;
  readonly events: DriverEventSink;
  readonly signal?: AbortSignal;
}

/** Options of long-running jobs (clone, upload, download, wipe, save, restore). */
export interface JobOptions {
  readonly signal?: AbortSignal;
  /** Called with bytes (or units) done and the total, as the job progresses. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** virDomainInfo. `maxMem` and `memory` in KiB, `cpuTime` in ns. */
export interface DomainInfo {
  state: number;
  maxMem: number;
  memory: number;
  nrVirtCpu: number;
  cpuTime: number;
}

/** virDomainGetState's result. */
export interface DomainStateInfo {
  state: number;
  reason: number;
}

/** virVcpuInfo. */
export interface VcpuInfo {
  number: number;
  state: number;
  cpuTime: number;
  cpu: number;
}

/** virNodeInfo. `memory` in KiB. */
export interface NodeInfo {
  model: string;
  memory: number;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/** virDomainBlockStatsStruct. -1 where unknown. */
export interface DomainBlockStats {
  rdReq: number;
  rdBytes: number;
  wrReq: number;
  wrBytes: number;
  errs: number;
}

/** virDomainInterfaceStatsStruct. -1 where unknown. */
export interface DomainInterfaceStats {
  rxBytes: number;
  rxPackets: number;
  rxErrs: number;
  rxDrop: number;
  txBytes: number;
  txPackets: number;
  txErrs: number;
  txDrop: number;
}

/** One virDomainMemoryStat: `tag` is VIR_DOMAIN_MEMORY_STAT_*. */
export interface DomainMemoryStat {
  tag: number;
  val: number;
}

/** virStoragePoolInfo: sizes in bytes. */
export interface StoragePoolInfo {
  state: number;
  capacity: number;
  allocation: number;
  available: number;
}

/** virStorageVolInfo: `type` is VIR_STORAGE_VOL_*, sizes in bytes. */
export interface StorageVolInfo {
  type: number;
  capacity: number;
  allocation: number;
}

/** A screenshot: the MIME type and the image bytes. */
export interface Screenshot {
  mimeType: string;
  data: Buffer;
}

/** virHypervisorDriver: the connection, the node and domains. Every method is optional. */
export interface HypervisorDriver {
  connectGetType?(): Promise<string>;
  connectGetVersion?(): Promise<number>;
  connectGetHostname?(): Promise<string>;
  connectGetCapabilities?(): Promise<string>;
  connectGetDomainCapabilities?(
    emulatorbin: string | undefined,
    arch: string | undefined,
    machine: string | undefined,
    virttype: string | undefined,
    flags: number,
  ): Promise<string>;
  connectGetMaxVcpus?(type: string | undefined): Promise<number>;
  connectIsAlive?(): Promise<boolean>;
  connectIsSecure?(): Promise<boolean>;
  connectIsEncrypted?(): Promise<boolean>;
  nodeGetInfo?(): Promise<NodeInfo>;
  nodeGetFreeMemory?(): Promise<number>;

  connectListAllDomains?(flags: number): Promise<DomainRef[]>;
  connectListDomains?(): Promise<number[]>;
  connectListDefinedDomains?(): Promise<string[]>;
  connectNumOfDomains?(): Promise<number>;
  connectNumOfDefinedDomains?(): Promise<number>;
  domainLookupByName?(name: string): Promise<DomainRef>;
  domainLookupByID?(id: number): Promise<DomainRef>;
  domainLookupByUUID?(uuid: string): Promise<DomainRef>;
  domainDefineXML?(xml: string, flags: number): Promise<DomainRef>;
  domainCreateXML?(xml: string, flags: number): Promise<DomainRef>;
  domainRestore?(file: string, dxml: string | undefined, flags: number, opts: JobOptions): Promise<void>;

  domainGetOSType?(dom: DomainRef): Promise<string>;
  domainGetInfo?(dom: DomainRef): Promise<DomainInfo>;
  domainGetState?(dom: DomainRef, flags: number): Promise<DomainStateInfo>;
  domainGetXMLDesc?(dom: DomainRef, flags: number): Promise<string>;
  domainIsActive?(dom: DomainRef): Promise<boolean>;
  domainIsPersistent?(dom: DomainRef): Promise<boolean>;
  domainIsUpdated?(dom: DomainRef): Promise<boolean>;
  /** virDomainCreateWithFlags; returns the ref with its new id. */
  domainCreate?(dom: DomainRef, flags: number): Promise<DomainRef>;
  domainSuspend?(dom: DomainRef): Promise<void>;
  domainResume?(dom: DomainRef): Promise<void>;
  domainShutdown?(dom: DomainRef, flags: number): Promise<void>;
  domainReboot?(dom: DomainRef, flags: number): Promise<void>;
  domainReset?(dom: DomainRef, flags: number): Promise<void>;
  domainDestroy?(dom: DomainRef, flags: number): Promise<void>;
  domainUndefine?(dom: DomainRef, flags: number): Promise<void>;
  domainGetAutostart?(dom: DomainRef): Promise<boolean>;
  domainSetAutostart?(dom: DomainRef, autostart: boolean): Promise<void>;
  /** virDomainSetMemoryFlags; core maps setMemory (AFFECT_LIVE) and setMaxMemory (MEM_MAXIMUM). */
  domainSetMemoryFlags?(dom: DomainRef, memoryKiB: number, flags: number): Promise<void>;
  domainGetMaxMemory?(dom: DomainRef): Promise<number>;
  domainSetVcpusFlags?(dom: DomainRef, nvcpus: number, flags: number): Promise<void>;
  domainGetVcpusFlags?(dom: DomainRef, flags: number): Promise<number>;
  domainGetVcpus?(dom: DomainRef): Promise<VcpuInfo[]>;
  domainGetMaxVcpus?(dom: DomainRef): Promise<number>;
  domainSave?(dom: DomainRef, file: string, dxml: string | undefined, flags: number, opts: JobOptions): Promise<void>;
  domainManagedSave?(dom: DomainRef, flags: number, opts: JobOptions): Promise<void>;
  domainHasManagedSaveImage?(dom: DomainRef, flags: number): Promise<boolean>;
  domainManagedSaveRemove?(dom: DomainRef, flags: number): Promise<void>;
  domainCoreDump?(dom: DomainRef, file: string, flags: number, opts: JobOptions): Promise<void>;
  domainAttachDeviceFlags?(dom: DomainRef, xml: string, flags: number): Promise<void>;
  domainDetachDeviceFlags?(dom: DomainRef, xml: string, flags: number): Promise<void>;
  domainUpdateDeviceFlags?(dom: DomainRef, xml: string, flags: number): Promise<void>;
  domainGetMetadata?(dom: DomainRef, type: number, uri: string | undefined, flags: number): Promise<string>;
  domainSetMetadata?(
    dom: DomainRef,
    type: number,
    metadata: string | undefined,
    key: string | undefined,
    uri: string | undefined,
    flags: number,
  ): Promise<void>;
  /** Returns the renamed domain's ref. */
  domainRename?(dom: DomainRef, newName: string, flags: number): Promise<DomainRef>;
  domainScreenshot?(dom: DomainRef, screen: number, flags: number): Promise<Screenshot>;
  domainBlockStats?(dom: DomainRef, disk: string): Promise<DomainBlockStats>;
  domainInterfaceStats?(dom: DomainRef, device: string): Promise<DomainInterfaceStats>;
  domainMemoryStats?(dom: DomainRef, nrStats: number, flags: number): Promise<DomainMemoryStat[]>;
  /** virDomainQemuMonitorCommand (QEMU only): a QMP JSON command, or HMP with the HMP flag. */
  domainQemuMonitorCommand?(dom: DomainRef, cmd: string, flags: number): Promise<string>;

  domainSnapshotCreateXML?(dom: DomainRef, xml: string, flags: number): Promise<DomainSnapshotRef>;
  domainListAllSnapshots?(dom: DomainRef, flags: number): Promise<DomainSnapshotRef[]>;
  domainSnapshotNum?(dom: DomainRef, flags: number): Promise<number>;
  domainSnapshotLookupByName?(dom: DomainRef, name: string, flags: number): Promise<DomainSnapshotRef>;
  domainSnapshotCurrent?(dom: DomainRef, flags: number): Promise<DomainSnapshotRef>;
  domainHasCurrentSnapshot?(dom: DomainRef, flags: number): Promise<boolean>;
  domainSnapshotGetXMLDesc?(snap: DomainSnapshotRef, flags: number): Promise<string>;
  domainSnapshotGetParent?(snap: DomainSnapshotRef, flags: number): Promise<DomainSnapshotRef>;
  domainSnapshotListAllChildren?(snap: DomainSnapshotRef, flags: number): Promise<DomainSnapshotRef[]>;
  domainSnapshotIsCurrent?(snap: DomainSnapshotRef, flags: number): Promise<boolean>;
  domainSnapshotHasMetadata?(snap: DomainSnapshotRef, flags: number): Promise<boolean>;
  domainRevertToSnapshot?(snap: DomainSnapshotRef, flags: number): Promise<void>;
  domainSnapshotDelete?(snap: DomainSnapshotRef, flags: number): Promise<void>;
}

/** virNetworkDriver. Every method is optional. */
export interface NetworkDriver {
  connectListAllNetworks?(flags: number): Promise<NetworkRef[]>;
  connectNumOfNetworks?(): Promise<number>;
  connectNumOfDefinedNetworks?(): Promise<number>;
  networkLookupByName?(name: string): Promise<NetworkRef>;
  networkLookupByUUID?(uuid: string): Promise<NetworkRef>;
  networkDefineXML?(xml: string, flags: number): Promise<NetworkRef>;
  networkCreateXML?(xml: string, flags: number): Promise<NetworkRef>;
  networkCreate?(net: NetworkRef, flags: number): Promise<void>;
  networkDestroy?(net: NetworkRef): Promise<void>;
  networkUndefine?(net: NetworkRef): Promise<void>;
  networkGetXMLDesc?(net: NetworkRef, flags: number): Promise<string>;
  networkGetBridgeName?(net: NetworkRef): Promise<string>;
  networkGetAutostart?(net: NetworkRef): Promise<boolean>;
  networkSetAutostart?(net: NetworkRef, autostart: boolean): Promise<void>;
  networkIsActive?(net: NetworkRef): Promise<boolean>;
  networkIsPersistent?(net: NetworkRef): Promise<boolean>;
}

/** virStorageDriver: pools and volumes. Every method is optional. */
export interface StorageDriver {
  connectListAllStoragePools?(flags: number): Promise<StoragePoolRef[]>;
  connectNumOfStoragePools?(): Promise<number>;
  connectNumOfDefinedStoragePools?(): Promise<number>;
  connectFindStoragePoolSources?(type: string, srcSpec: string | undefined, flags: number): Promise<string>;
  storagePoolLookupByName?(name: string): Promise<StoragePoolRef>;
  storagePoolLookupByUUID?(uuid: string): Promise<StoragePoolRef>;
  storagePoolLookupByVolume?(vol: StorageVolRef): Promise<StoragePoolRef>;
  storagePoolDefineXML?(xml: string, flags: number): Promise<StoragePoolRef>;
  storagePoolCreateXML?(xml: string, flags: number): Promise<StoragePoolRef>;
  storagePoolBuild?(pool: StoragePoolRef, flags: number): Promise<void>;
  storagePoolCreate?(pool: StoragePoolRef, flags: number): Promise<void>;
  storagePoolDestroy?(pool: StoragePoolRef): Promise<void>;
  storagePoolDelete?(pool: StoragePoolRef, flags: number): Promise<void>;
  storagePoolUndefine?(pool: StoragePoolRef): Promise<void>;
  storagePoolRefresh?(pool: StoragePoolRef, flags: number): Promise<void>;
  storagePoolGetInfo?(pool: StoragePoolRef): Promise<StoragePoolInfo>;
  storagePoolGetXMLDesc?(pool: StoragePoolRef, flags: number): Promise<string>;
  storagePoolGetAutostart?(pool: StoragePoolRef): Promise<boolean>;
  storagePoolSetAutostart?(pool: StoragePoolRef, autostart: boolean): Promise<void>;
  storagePoolIsActive?(pool: StoragePoolRef): Promise<boolean>;
  storagePoolIsPersistent?(pool: StoragePoolRef): Promise<boolean>;
  storagePoolNumOfVolumes?(pool: StoragePoolRef): Promise<number>;
  storagePoolListAllVolumes?(pool: StoragePoolRef, flags: number): Promise<StorageVolRef[]>;

  storageVolLookupByName?(pool: StoragePoolRef, name: string): Promise<StorageVolRef>;
  storageVolLookupByKey?(key: string): Promise<StorageVolRef>;
  storageVolLookupByPath?(path: string): Promise<StorageVolRef>;
  storageVolCreateXML?(pool: StoragePoolRef, xml: string, flags: number, opts: JobOptions): Promise<StorageVolRef>;
  storageVolCreateXMLFrom?(
    pool: StoragePoolRef,
    xml: string,
    clonevol: StorageVolRef,
    flags: number,
    opts: JobOptions,
  ): Promise<StorageVolRef>;
  storageVolDelete?(vol: StorageVolRef, flags: number): Promise<void>;
  /** virStorageVolWipePattern; plain virStorageVolWipe is algorithm VIR_STORAGE_VOL_WIPE_ALG_ZERO. */
  storageVolWipePattern?(vol: StorageVolRef, algorithm: number, flags: number, opts: JobOptions): Promise<void>;
  storageVolResize?(vol: StorageVolRef, capacity: number, flags: number): Promise<void>;
  /** Returns a stream the caller writes `length` bytes into (0 = to the end). */
  storageVolUpload?(vol: StorageVolRef, offset: number, length: number, flags: number, opts: JobOptions): Promise<Writable>;
  /** Returns a stream of `length` bytes from `offset` (0 = to the end). */
  storageVolDownload?(vol: StorageVolRef, offset: number, length: number, flags: number, opts: JobOptions): Promise<Readable>;
  /**
   * Optional fast path of virStorageVolUpload from a local regular file (beyond libvirt): stores
   * the file's bytes (at most `length`, 0 = all) in the volume from `offset`, as an upload stream
   * fed from the file would. Core falls back to `storageVolUpload` when a driver lacks it.
   */
  storageVolUploadFromFile?(vol: StorageVolRef, path: string, offset: number, length: number, flags: number, opts: JobOptions): Promise<void>;
  /**
   * Optional fast path of virStorageVolDownload into a local file (beyond libvirt): writes
   * `length` bytes from `offset` (0 = to the end) to `path`, created or truncated, as a download
   * stream piped into the file would. Core falls back to `storageVolDownload` when a driver lacks it.
   */
  storageVolDownloadToFile?(vol: StorageVolRef, path: string, offset: number, length: number, flags: number, opts: JobOptions): Promise<void>;
  storageVolGetInfo?(vol: StorageVolRef): Promise<StorageVolInfo>;
  storageVolGetXMLDesc?(vol: StorageVolRef, flags: number): Promise<string>;
  storageVolGetPath?(vol: StorageVolRef): Promise<string>;
}

/** One open connection of a driver: the families it serves, and how to close it. */
export interface DriverConnection {
  readonly hypervisor?: HypervisorDriver;
  readonly network?: NetworkDriver;
  readonly storage?: StorageDriver;
  /** Releases everything the connection holds (locks, sockets, timers). Idempotent. */
  close(): Promise<void>;
}

/**
 * A driver as registered with core.
 *
 * A primary driver owns URI schemes (`test`, `qemu`) and serves the hypervisor family. A
 * secondary driver (libvirt's stateful network/storage drivers) serves another family on
 * connections whose primary driver lacks it, when `accepts(uri)` says so.
 */
export interface VirtDriver {
  /** The name `getType()` reports for its connections, e.g. `Test`, `QEMU`. */
  readonly name: string;
  /** URI schemes this driver owns as primary driver (empty for secondary drivers). */
  readonly schemes: readonly string[];
  /**
   * Whether the driver handles URIs with a host or a `+transport` (libvirt's remote driver
   * does). Absent/false: core refuses such URIs with VIR_ERR_NO_CONNECT, as libvirt's
   * local-only drivers decline them. (Added by core; optional.)
   */
  readonly remote?: boolean;
  /** For secondary drivers: whether to serve this URI (e.g. storage for qemu:///...). */
  accepts?(uri: ConnectURI): boolean;
  /** Opens a connection; throws VirtError (VIR_ERR_NO_CONNECT, ...) when it cannot. */
  open(ctx: DriverOpenContext): Promise<DriverConnection>;
}
