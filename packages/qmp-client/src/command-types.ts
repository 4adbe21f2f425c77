/**
 * Argument and return types of the commands with typed wrappers, after QEMU 7.2's
 * qapi/*.json. Structures QEMU extends often keep an index signature so newer fields pass.
 */
import type { JobStatus, MigrationStatus } from './events.js';
import type { QemuVersionTriple } from './wire.js';

/** qapi RunState. */
export type RunState =
  | 'debug'
  | 'inmigrate'
  | 'internal-error'
  | 'io-error'
  | 'paused'
  | 'postmigrate'
  | 'prelaunch'
  | 'finish-migrate'
  | 'restore-vm'
  | 'running'
  | 'save-vm'
  | 'shutdown'
  | 'suspended'
  | 'watchdog'
  | 'guest-panicked'
  | 'colo';

/** `query-status`. */
export interface StatusInfo {
  running: boolean;
  singlestep: boolean;
  status: RunState;
}

/** `query-version`. */
export interface VersionInfo {
  qemu: QemuVersionTriple;
  package: string;
}

/** One entry of `query-commands`. */
export interface CommandInfo {
  name: string;
}

/** `query-kvm`. */
export interface KvmInfo {
  enabled: boolean;
  present: boolean;
}

/** One entry of `query-machines`. */
export interface MachineInfo {
  name: string;
  alias?: string;
  'is-default'?: boolean;
  'cpu-max': number;
  'hotpluggable-cpus': boolean;
  'numa-mem-supported': boolean;
  deprecated: boolean;
  'default-cpu-type'?: string;
  'default-ram-id'?: string;
}

/** One entry of `query-cpu-definitions`. */
export interface CpuDefinitionInfo {
  name: string;
  'migration-safe'?: boolean;
  static: boolean;
  'unavailable-features'?: string[];
  typename: string;
  'alias-of'?: string;
  deprecated: boolean;
}

/** Topology of a CPU slot. */
export interface CpuInstanceProperties {
  'node-id'?: number;
  'socket-id'?: number;
  'die-id'?: number;
  'cluster-id'?: number;
  'core-id'?: number;
  'thread-id'?: number;
}

/** One entry of `query-cpus-fast`. */
export interface CpuInfoFast {
  'cpu-index': number;
  'qom-path': string;
  'thread-id': number;
  props?: CpuInstanceProperties;
  target: string;
  [key: string]: unknown;
}

/** One entry of `query-hotpluggable-cpus`. */
export interface HotpluggableCpu {
  type: string;
  'vcpus-count': number;
  props: CpuInstanceProperties;
  /** Present when the slot is occupied. */
  'qom-path'?: string;
}

/** `query-balloon`. */
export interface BalloonInfo {
  /** Logical guest memory size in bytes. */
  actual: number;
}

/** A block node as in `query-block`'s `inserted` and `query-named-block-nodes`. */
export interface BlockDeviceInfo {
  file: string;
  'node-name'?: string;
  ro: boolean;
  drv: string;
  backing_file?: string;
  backing_file_depth: number;
  encrypted: boolean;
  detect_zeroes: 'off' | 'on' | 'unmap';
  image: { filename: string; format: string; 'virtual-size': number; 'actual-size'?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** One entry of `query-block`. */
export interface BlockInfo {
  device: string;
  qdev?: string;
  type: string;
  removable: boolean;
  locked: boolean;
  inserted?: BlockDeviceInfo;
  tray_open?: boolean;
  'io-status'?: 'ok' | 'failed' | 'nospace';
  [key: string]: unknown;
}

/** I/O counters of a block device. */
export interface BlockDeviceStats {
  rd_bytes: number;
  wr_bytes: number;
  rd_operations: number;
  wr_operations: number;
  flush_operations: number;
  rd_total_time_ns: number;
  wr_total_time_ns: number;
  flush_total_time_ns: number;
  [key: string]: unknown;
}

/** One entry of `query-blockstats`. */
export interface BlockStats {
  device?: string;
  qdev?: string;
  'node-name'?: string;
  stats: BlockDeviceStats;
  parent?: BlockStats;
  backing?: BlockStats;
  [key: string]: unknown;
}

/** `blockdev-add` arguments: a driver, a node name and the driver's options. */
export interface BlockdevOptions {
  driver: string;
  'node-name'?: string;
  'read-only'?: boolean;
  [key: string]: unknown;
}

/** `device_add` arguments: the driver plus its properties. */
export interface DeviceAddArgs {
  driver: string;
  id?: string;
  bus?: string;
  [key: string]: unknown;
}

/** `netdev_add` arguments: backend type, id and its options. */
export interface NetdevAddArgs {
  type: string;
  id: string;
  [key: string]: unknown;
}

/** A PCI device in `query-pci`. */
export interface PciDeviceInfo {
  bus: number;
  slot: number;
  function: number;
  class_info: { desc?: string; class: number };
  id: { device: number; vendor: number; subsystem?: number; 'subsystem-vendor'?: number };
  irq?: number;
  irq_pin: number;
  qdev_id: string;
  pci_bridge?: { bus: { number: number; secondary: number; subordinate: number }; devices?: PciDeviceInfo[] };
  regions: Array<{ bar: number; type: string; address: number; size: number; prefetch?: boolean; mem_type_64?: boolean }>;
}

/** One bus of `query-pci`. */
export interface PciInfo {
  bus: number;
  devices: PciDeviceInfo[];
}

/** `migrate` arguments. */
export interface MigrateArgs {
  uri: string;
  blk?: boolean;
  inc?: boolean;
  detach?: boolean;
  resume?: boolean;
}

/** RAM transfer counters of `query-migrate`. */
export interface MigrationStats {
  transferred: number;
  remaining: number;
  total: number;
  duplicate: number;
  normal: number;
  'normal-bytes': number;
  'dirty-pages-rate': number;
  mbps: number;
  [key: string]: unknown;
}

/** `query-migrate`. */
export interface MigrationInfo {
  status?: MigrationStatus;
  ram?: MigrationStats;
  'total-time'?: number;
  'expected-downtime'?: number;
  downtime?: number;
  'setup-time'?: number;
  'error-desc'?: string;
  [key: string]: unknown;
}

/** One migration capability switch. */
export interface MigrationCapabilityStatus {
  capability: string;
  state: boolean;
}

/** `migrate-set-parameters` arguments (a subset; any parameter QEMU knows passes). */
export interface MigrateSetParameters {
  'max-bandwidth'?: number;
  'downtime-limit'?: number;
  'multifd-channels'?: number;
  'xbzrle-cache-size'?: number;
  'tls-creds'?: string;
  [key: string]: unknown;
}

/** `screendump` arguments. */
export interface ScreendumpArgs {
  filename: string;
  device?: string;
  head?: number;
  format?: 'ppm' | 'png';
}

/** `snapshot-save` / `snapshot-load` arguments (they start a job). */
export interface SnapshotArgs {
  'job-id': string;
  tag: string;
  vmstate: string;
  devices: string[];
}

/** `snapshot-delete` arguments. */
export interface SnapshotDeleteArgs {
  'job-id': string;
  tag: string;
  devices: string[];
}

/** One entry of `query-jobs`. */
export interface JobInfo {
  id: string;
  type: string;
  status: JobStatus;
  'current-progress': number;
  'total-progress': number;
  error?: string;
}

/** One entry of `query-chardev`. */
export interface ChardevInfo {
  label: string;
  filename: string;
  'frontend-open': boolean;
}

/** A key for `send-key`: a QKeyCode name or a raw number. */
export type KeyValue = { type: 'qcode'; data: string } | { type: 'number'; data: number };

/** `send-key` arguments. */
export interface SendKeyArgs {
  keys: KeyValue[];
  'hold-time'?: number;
}

/** Empty object QEMU returns for commands without a result. */
export type Empty = Record<string, never>;

/** Arguments (`args`) and result (`ret`) of each typed command. */
export interface QmpCommandMap {
  'query-status': { args: undefined; ret: StatusInfo };
  stop: { args: undefined; ret: Empty };
  cont: { args: undefined; ret: Empty };
  system_powerdown: { args: undefined; ret: Empty };
  system_reset: { args: undefined; ret: Empty };
  quit: { args: undefined; ret: Empty };
  'query-version': { args: undefined; ret: VersionInfo };
  'query-commands': { args: undefined; ret: CommandInfo[] };
  'query-kvm': { args: undefined; ret: KvmInfo };
  'query-machines': { args: undefined; ret: MachineInfo[] };
  'query-cpu-definitions': { args: undefined; ret: CpuDefinitionInfo[] };
  'query-cpus-fast': { args: undefined; ret: CpuInfoFast[] };
  'query-hotpluggable-cpus': { args: undefined; ret: HotpluggableCpu[] };
  balloon: { args: { value: number }; ret: Empty };
  'query-balloon': { args: undefined; ret: BalloonInfo };
  'query-block': { args: undefined; ret: BlockInfo[] };
  'query-blockstats': { args: { 'query-nodes'?: boolean } | undefined; ret: BlockStats[] };
  'query-named-block-nodes': { args: { flat?: boolean } | undefined; ret: BlockDeviceInfo[] };
  'blockdev-add': { args: BlockdevOptions; ret: Empty };
  'blockdev-del': { args: { 'node-name': string }; ret: Empty };
  device_add: { args: DeviceAddArgs; ret: Empty };
  device_del: { args: { id: string }; ret: Empty };
  netdev_add: { args: NetdevAddArgs; ret: Empty };
  netdev_del: { args: { id: string }; ret: Empty };
  'query-pci': { args: undefined; ret: PciInfo[] };
  migrate: { args: MigrateArgs; ret: Empty };
  'migrate-incoming': { args: { uri: string }; ret: Empty };
  'query-migrate': { args: undefined; ret: MigrationInfo };
  'migrate-set-capabilities': { args: { capabilities: MigrationCapabilityStatus[] }; ret: Empty };
  'migrate-set-parameters': { args: MigrateSetParameters; ret: Empty };
  screendump: { args: ScreendumpArgs; ret: Empty };
  'human-monitor-command': { args: { 'command-line': string; 'cpu-index'?: number }; ret: string };
  'snapshot-save': { args: SnapshotArgs; ret: Empty };
  'snapshot-load': { args: SnapshotArgs; ret: Empty };
  'snapshot-delete': { args: SnapshotDeleteArgs; ret: Empty };
  'query-jobs': { args: undefined; ret: JobInfo[] };
  'job-dismiss': { args: { id: string }; ret: Empty };
  'query-chardev': { args: undefined; ret: ChardevInfo[] };
  system_wakeup: { args: undefined; ret: Empty };
  'inject-nmi': { args: undefined; ret: Empty };
  'send-key': { args: SendKeyArgs; ret: Empty };
}

/** Names of the typed commands. */
export type QmpCommandName = keyof QmpCommandMap;
