/**
 * libvirt's numbers the test driver uses (include/libvirt/libvirt-*.h, virterror.h). Kept
 * local so the driver does not depend on when core's generated constants land; the values
 * are libvirt's ABI and never change.
 */

/** virDomainState. */
export const enum DomState {
  NOSTATE = 0,
  RUNNING = 1,
  BLOCKED = 2,
  PAUSED = 3,
  SHUTDOWN = 4,
  SHUTOFF = 5,
  CRASHED = 6,
  PMSUSPENDED = 7,
  LAST = 8,
}

/** virDomainRunningReason. */
export const enum RunningReason {
  UNKNOWN = 0,
  BOOTED = 1,
  RESTORED = 3,
  FROM_SNAPSHOT = 4,
  UNPAUSED = 5,
}

/** virDomainPausedReason. */
export const enum PausedReason {
  USER = 1,
  FROM_SNAPSHOT = 7,
}

/** virDomainShutoffReason. */
export const enum ShutoffReason {
  UNKNOWN = 0,
  SHUTDOWN = 1,
  DESTROYED = 2,
  CRASHED = 3,
  SAVED = 5,
  FAILED = 6,
  FROM_SNAPSHOT = 7,
}

/** virDomainCrashedReason. */
export const CRASHED_PANICKED = 1;

/** virDomainEventType. */
export const enum Ev {
  DEFINED = 0,
  UNDEFINED = 1,
  STARTED = 2,
  SUSPENDED = 3,
  RESUMED = 4,
  STOPPED = 5,
  SHUTDOWN = 6,
  PMSUSPENDED = 7,
  CRASHED = 8,
}

/** Event details, named EVENTTYPE_DETAIL. */
export const enum EvDetail {
  DEFINED_ADDED = 0,
  DEFINED_UPDATED = 1,
  DEFINED_RENAMED = 2,
  UNDEFINED_REMOVED = 0,
  UNDEFINED_RENAMED = 1,
  STARTED_BOOTED = 0,
  STARTED_RESTORED = 2,
  STARTED_FROM_SNAPSHOT = 3,
  SUSPENDED_PAUSED = 0,
  SUSPENDED_FROM_SNAPSHOT = 5,
  RESUMED_UNPAUSED = 0,
  STOPPED_SHUTDOWN = 0,
  STOPPED_DESTROYED = 1,
  STOPPED_CRASHED = 2,
  STOPPED_SAVED = 4,
  STOPPED_FROM_SNAPSHOT = 6,
  CRASHED_PANICKED = 0,
}

/** virNetworkEventLifecycleType and virStoragePoolEventLifecycleType. */
export const enum ObjEv {
  DEFINED = 0,
  UNDEFINED = 1,
  STARTED = 2,
  STOPPED = 3,
  CREATED = 4,
  DELETED = 5,
}

/** virConnectListAllDomainsFlags. */
export const enum ListDom {
  ACTIVE = 1,
  INACTIVE = 2,
  PERSISTENT = 4,
  TRANSIENT = 8,
  RUNNING = 16,
  PAUSED = 32,
  SHUTOFF = 64,
  OTHER = 128,
  MANAGEDSAVE = 256,
  NO_MANAGEDSAVE = 512,
  AUTOSTART = 1024,
  NO_AUTOSTART = 2048,
  HAS_SNAPSHOT = 4096,
  NO_SNAPSHOT = 8192,
  HAS_CHECKPOINT = 16384,
  NO_CHECKPOINT = 32768,
  ALL = 65535,
}

/** virConnectListAllNetworksFlags / virConnectListAllStoragePoolsFlags (common part). */
export const enum ListObj {
  INACTIVE = 1,
  ACTIVE = 2,
  PERSISTENT = 4,
  TRANSIENT = 8,
  AUTOSTART = 16,
  NO_AUTOSTART = 32,
  NET_ALL = 63,
  /** Pool type filters: DIR (64) ... ISCSI_DIRECT (524288). */
  POOL_ALL = 1048575,
}

/** virDomainModificationImpact and friends. */
export const enum Affect {
  CURRENT = 0,
  LIVE = 1,
  CONFIG = 2,
  /** VIR_DOMAIN_MEM_MAXIMUM / VIR_DOMAIN_VCPU_MAXIMUM. */
  MAXIMUM = 4,
  VCPU_GUEST = 8,
}

/** virDomainSnapshotCreateFlags. */
export const enum SnapCreate {
  REDEFINE = 1,
  CURRENT = 2,
  NO_METADATA = 4,
  HALT = 8,
  DISK_ONLY = 16,
  REUSE_EXT = 32,
  QUIESCE = 64,
  ATOMIC = 128,
  LIVE = 256,
  VALIDATE = 512,
}

/** virDomainSnapshotListFlags. */
export const enum SnapList {
  ROOTS = 1,
  DESCENDANTS = 1,
  METADATA = 2,
  LEAVES = 4,
  NO_LEAVES = 8,
  NO_METADATA = 16,
  INACTIVE = 32,
  ACTIVE = 64,
  DISK_ONLY = 128,
  INTERNAL = 256,
  EXTERNAL = 512,
  TOPOLOGICAL = 1024,
  FILTERS_ALL = 1020,
}

/** virErrorNumber values the driver raises. */
export const enum Err {
  INTERNAL_ERROR = 1,
  NO_SUPPORT = 3,
  NO_CONNECT = 5,
  INVALID_ARG = 8,
  OPERATION_FAILED = 9,
  NO_NAME = 21,
  XML_ERROR = 27,
  OPERATION_DENIED = 29,
  XML_DETAIL = 35,
  SYSTEM_ERROR = 38,
  NO_DOMAIN = 42,
  NO_NETWORK = 43,
  AUTH_FAILED = 45,
  NO_STORAGE_POOL = 49,
  NO_STORAGE_VOL = 50,
  OPERATION_INVALID = 55,
  INVALID_DOMAIN_SNAPSHOT = 71,
  NO_DOMAIN_SNAPSHOT = 72,
  ARGUMENT_UNSUPPORTED = 74,
  SNAPSHOT_REVERT_RISKY = 77,
  NO_DOMAIN_METADATA = 80,
  OPERATION_UNSUPPORTED = 84,
}

/** virErrorDomain values the driver reports. */
export const enum From {
  NONE = 0,
  TEST = 12,
  STORAGE = 18,
  NETWORK = 19,
  DOMAIN = 20,
  DOMAIN_SNAPSHOT = 35,
}

/** virDomainMemoryStatTags. */
export const enum MemStat {
  SWAP_IN = 0,
  SWAP_OUT = 1,
  MAJOR_FAULT = 2,
  MINOR_FAULT = 3,
  UNUSED = 4,
  AVAILABLE = 5,
  ACTUAL_BALLOON = 6,
  RSS = 7,
  USABLE = 8,
  LAST_UPDATE = 9,
  DISK_CACHES = 10,
  HUGETLB_PGALLOC = 11,
  HUGETLB_PGFAIL = 12,
}
