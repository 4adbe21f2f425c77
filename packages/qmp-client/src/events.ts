/**
 * QMP event types: the envelope every event shares and the payloads of the events the
 * drivers use. Payload shapes follow qapi/*.json of QEMU 7.2.
 */

/** An event as received: name, payload and QEMU's timestamp. */
export interface QmpEvent<N extends string = string, D = Record<string, unknown>> {
  /** Event name, e.g. `STOP`. */
  event: N;
  /** The payload; `{}` when QEMU sent none. */
  data: D;
  /** When QEMU emitted it (seconds and microseconds since the epoch). */
  timestamp: { seconds: number; microseconds: number };
}

/** Why the guest shut down (qapi ShutdownCause). */
export type ShutdownCause =
  | 'none'
  | 'host-error'
  | 'host-qmp-quit'
  | 'host-qmp-system-reset'
  | 'host-signal'
  | 'host-ui'
  | 'guest-shutdown'
  | 'guest-reset'
  | 'guest-panic'
  | 'subsystem-reset'
  | 'snapshot-load';

/** SHUTDOWN: the guest or the host asked QEMU to shut down. */
export interface ShutdownEventData {
  /** True when the guest initiated it. */
  guest: boolean;
  reason: ShutdownCause;
}

/** RESET: the machine was reset. */
export interface ResetEventData {
  guest: boolean;
  reason: ShutdownCause;
}

/** STOP, RESUME and POWERDOWN carry no payload. */
export type EmptyEventData = Record<string, never>;

/** GUEST_PANICKED payload. */
export interface GuestPanickedEventData {
  action: 'pause' | 'poweroff' | 'run';
  info?: { type: 'hyper-v' | 's390'; [key: string]: unknown };
}

/** DEVICE_DELETED: a device finished unplugging. */
export interface DeviceDeletedEventData {
  /** The device id, when it had one. */
  device?: string;
  /** The QOM path of the device. */
  path: string;
}

/** BALLOON_CHANGE: the guest's memory size as seen by the balloon changed. */
export interface BalloonChangeEventData {
  /** Logical size of the VM in bytes. */
  actual: number;
}

/** Migration states (qapi MigrationStatus). */
export type MigrationStatus =
  | 'none'
  | 'setup'
  | 'cancelling'
  | 'cancelled'
  | 'active'
  | 'postcopy-active'
  | 'postcopy-paused'
  | 'postcopy-recover'
  | 'completed'
  | 'failed'
  | 'colo'
  | 'pre-switchover'
  | 'device'
  | 'wait-unplug';

/** MIGRATION: emitted on each migration state change when the `events` capability is on. */
export interface MigrationEventData {
  status: MigrationStatus;
}

/** Job states (qapi JobStatus). */
export type JobStatus =
  | 'undefined'
  | 'created'
  | 'running'
  | 'paused'
  | 'ready'
  | 'standby'
  | 'waiting'
  | 'pending'
  | 'aborting'
  | 'concluded'
  | 'null';

/** JOB_STATUS_CHANGE: a job moved to a new state. */
export interface JobStatusChangeEventData {
  id: string;
  status: JobStatus;
}

/** Block job types (qapi JobType subset used by block jobs). */
export type BlockJobType = 'commit' | 'stream' | 'mirror' | 'backup' | 'create' | 'amend' | 'snapshot-load' | 'snapshot-save' | 'snapshot-delete';

/** BLOCK_JOB_COMPLETED / BLOCK_JOB_CANCELLED / BLOCK_JOB_READY payload. */
export interface BlockJobInfoEventData {
  type: BlockJobType;
  device: string;
  len: number;
  offset: number;
  speed: number;
  /** Only on BLOCK_JOB_COMPLETED when the job failed. */
  error?: string;
}

/** BLOCK_JOB_ERROR: a block job hit an I/O error. */
export interface BlockJobErrorEventData {
  device: string;
  operation: 'read' | 'write';
  action: 'ignore' | 'report' | 'stop';
}

/** BLOCK_JOB_PENDING: a block job is ready to finalize. */
export interface BlockJobPendingEventData {
  type: BlockJobType;
  id: string;
}

/** Payload type of each known event name. */
export interface QmpEventDataMap {
  SHUTDOWN: ShutdownEventData;
  STOP: EmptyEventData;
  RESUME: EmptyEventData;
  RESET: ResetEventData;
  POWERDOWN: EmptyEventData;
  SUSPEND: EmptyEventData;
  WAKEUP: EmptyEventData;
  GUEST_PANICKED: GuestPanickedEventData;
  DEVICE_DELETED: DeviceDeletedEventData;
  BALLOON_CHANGE: BalloonChangeEventData;
  MIGRATION: MigrationEventData;
  MIGRATION_PASS: { pass: number };
  JOB_STATUS_CHANGE: JobStatusChangeEventData;
  BLOCK_JOB_COMPLETED: BlockJobInfoEventData;
  BLOCK_JOB_CANCELLED: BlockJobInfoEventData;
  BLOCK_JOB_READY: BlockJobInfoEventData;
  BLOCK_JOB_ERROR: BlockJobErrorEventData;
  BLOCK_JOB_PENDING: BlockJobPendingEventData;
}

/** Names of the events with a typed payload. */
export type KnownEventName = keyof QmpEventDataMap;

/** The event type for a name: typed for known names, generic otherwise. */
export type QmpEventOf<N extends string> = N extends KnownEventName ? QmpEvent<N, QmpEventDataMap[N]> : QmpEvent<N>;

/** Any event with a typed payload, discriminated by `event`. */
export type KnownQmpEvent = { [N in KnownEventName]: QmpEvent<N, QmpEventDataMap[N]> }[KnownEventName];
