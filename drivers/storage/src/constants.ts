/**
 * libvirt's storage enums and the error codes the storage driver raises (values as in
 * libvirt 9.0's libvirt-storage.h and virterror.h).
 */

/** virStoragePoolState. */
export const VIR_STORAGE_POOL_INACTIVE = 0;
export const VIR_STORAGE_POOL_BUILDING = 1;
export const VIR_STORAGE_POOL_RUNNING = 2;
export const VIR_STORAGE_POOL_DEGRADED = 3;
export const VIR_STORAGE_POOL_INACCESSIBLE = 4;

/** virStoragePoolBuildFlags. */
export const VIR_STORAGE_POOL_BUILD_NEW = 0;
export const VIR_STORAGE_POOL_BUILD_REPAIR = 1;
export const VIR_STORAGE_POOL_BUILD_RESIZE = 2;
export const VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = 4;
export const VIR_STORAGE_POOL_BUILD_OVERWRITE = 8;

/** virStoragePoolCreateFlags. */
export const VIR_STORAGE_POOL_CREATE_NORMAL = 0;
export const VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1;
export const VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 2;
export const VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 4;

/** virStoragePoolDefineFlags. */
export const VIR_STORAGE_POOL_DEFINE_VALIDATE = 1;

/** virStoragePoolDeleteFlags. */
export const VIR_STORAGE_POOL_DELETE_NORMAL = 0;
export const VIR_STORAGE_POOL_DELETE_ZEROED = 1;

/** virStorageXMLFlags. */
export const VIR_STORAGE_XML_INACTIVE = 1;

/** virConnectListAllStoragePoolsFlags. */
export const VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1;
export const VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 2;
export const VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 4;
export const VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 8;
export const VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 16;
export const VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 32;
/** Pool-type filter bits, by pool type name. */
export const VIR_CONNECT_LIST_STORAGE_POOLS_TYPES: Readonly<Record<string, number>> = {
  dir: 64,
  fs: 128,
  netfs: 256,
  logical: 512,
  disk: 1024,
  iscsi: 2048,
  scsi: 4096,
  mpath: 8192,
  rbd: 16384,
  sheepdog: 32768,
  gluster: 65536,
  zfs: 131072,
  vstorage: 262144,
  'iscsi-direct': 524288,
};
/** Every valid virConnectListAllStoragePools flag bit. */
export const VIR_CONNECT_LIST_STORAGE_POOLS_ALL = 0xfffff;

/** virStorageVolType. */
export const VIR_STORAGE_VOL_FILE = 0;
export const VIR_STORAGE_VOL_BLOCK = 1;
export const VIR_STORAGE_VOL_DIR = 2;
export const VIR_STORAGE_VOL_NETWORK = 3;
export const VIR_STORAGE_VOL_NETDIR = 4;
export const VIR_STORAGE_VOL_PLOOP = 5;

/** virStorageVolCreateFlags. */
export const VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1;
export const VIR_STORAGE_VOL_CREATE_REFLINK = 2;
export const VIR_STORAGE_VOL_CREATE_VALIDATE = 4;

/** virStorageVolDeleteFlags. */
export const VIR_STORAGE_VOL_DELETE_NORMAL = 0;
export const VIR_STORAGE_VOL_DELETE_ZEROED = 1;
export const VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 2;

/** virStorageVolResizeFlags. */
export const VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1;
export const VIR_STORAGE_VOL_RESIZE_DELTA = 2;
export const VIR_STORAGE_VOL_RESIZE_SHRINK = 4;

/** virStorageVolUploadFlags / virStorageVolDownloadFlags. */
export const VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1;
export const VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1;

/** virStorageVolWipeAlgorithm. */
export const VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0;
export const VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1;
export const VIR_STORAGE_VOL_WIPE_ALG_DOD = 2;
export const VIR_STORAGE_VOL_WIPE_ALG_BSI = 3;
export const VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4;
export const VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5;
export const VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6;
export const VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7;
export const VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8;
export const VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9;
/** scrub(1) pattern names, indexed by algorithm (as virStorageVolWipeAlgorithmTypeToString). */
export const WIPE_ALGORITHM_NAMES = [
  'zero', 'nnsa', 'dod', 'bsi', 'gutmann', 'schneier', 'pfitzner7', 'pfitzner33', 'random', 'trim',
] as const;

/** virStorageVolInfoFlags. */
export const VIR_STORAGE_VOL_USE_ALLOCATION = 0;
export const VIR_STORAGE_VOL_GET_PHYSICAL = 1;

/** virStoragePoolEventLifecycleType. */
export const VIR_STORAGE_POOL_EVENT_DEFINED = 0;
export const VIR_STORAGE_POOL_EVENT_UNDEFINED = 1;
export const VIR_STORAGE_POOL_EVENT_STARTED = 2;
export const VIR_STORAGE_POOL_EVENT_STOPPED = 3;
export const VIR_STORAGE_POOL_EVENT_CREATED = 4;
export const VIR_STORAGE_POOL_EVENT_DELETED = 5;

/** virErrorNumber values the storage driver raises. */
export const VIR_ERR_INTERNAL_ERROR = 1;
export const VIR_ERR_NO_SUPPORT = 3;
export const VIR_ERR_NO_CONNECT = 5;
export const VIR_ERR_INVALID_ARG = 8;
export const VIR_ERR_OPERATION_FAILED = 9;
export const VIR_ERR_XML_ERROR = 27;
export const VIR_ERR_SYSTEM_ERROR = 38;
export const VIR_ERR_NO_STORAGE_POOL = 49;
export const VIR_ERR_NO_STORAGE_VOL = 50;
export const VIR_ERR_OPERATION_INVALID = 55;
export const VIR_ERR_CONFIG_UNSUPPORTED = 67;
export const VIR_ERR_STORAGE_PROBE_FAILED = 75;
export const VIR_ERR_STORAGE_POOL_BUILT = 76;
export const VIR_ERR_OPERATION_ABORTED = 78;
export const VIR_ERR_OPERATION_UNSUPPORTED = 84;
export const VIR_ERR_STORAGE_VOL_EXIST = 90;

/** virErrorDomain VIR_FROM_STORAGE. */
export const VIR_FROM_STORAGE = 18;
