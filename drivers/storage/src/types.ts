/**
 * The storage driver's internal models of pools and volumes. The XML adapter
 * (xml-adapter.ts) converts between these and @virtkit/xml's documents.
 */

/** Owner, group and mode of a pool target or volume. */
export interface Permissions {
  /** Octal mode bits (e.g. 0o600); undefined = the default. */
  mode?: number;
  owner?: number;
  group?: number;
  label?: string;
}

/** A pool's source device (fs, disk pools). */
export interface PoolSourceDevice {
  path: string;
}

/** What the driver knows about a pool from its definition. */
export interface PoolDef {
  name: string;
  uuid: string;
  /** Pool type: 'dir', 'fs', 'disk', ... */
  type: string;
  /** The target directory (dir, fs) or device directory (disk, e.g. /dev). */
  targetPath: string;
  targetPerms: Permissions;
  /** Source devices (fs: one block device or image file; disk: the whole disk). */
  devices: PoolSourceDevice[];
  /** Source format: fs type ('auto', 'ext4', 'xfs', ...) or partition table ('gpt', 'dos', ...). */
  sourceFormat?: string;
  /** Values computed on refresh, in bytes. */
  capacity: number;
  allocation: number;
  available: number;
}

/** A volume's backing store. */
export interface BackingStore {
  path: string;
  format?: string;
}

/** Access/modify/change timestamps as libvirt prints them ("sec.nsec"). */
export interface Timestamps {
  atime: string;
  mtime: string;
  ctime: string;
  btime: string;
}

/** What the driver knows about a volume. */
export interface VolDef {
  name: string;
  key: string;
  /** 'file', 'block', 'dir' (volume type attribute). */
  type: 'file' | 'block' | 'dir';
  capacity: number;
  allocation: number;
  /** Bytes the volume occupies on its host (file size), when known. */
  physical?: number;
  path: string;
  /** Target format: 'raw', 'qcow2', 'dir', partition types for disk pools ('none', ...). */
  format: string;
  perms: Permissions;
  timestamps?: Timestamps;
  backingStore?: BackingStore;
  /** qcow2 compat level ('0.10' or '1.1') requested at creation. */
  compat?: string;
  /** qcow2 features requested at creation (e.g. lazy_refcounts), or probed from a v3 image. */
  features?: string[];
  /** qcow2 cluster size in bytes, as probed. */
  clusterSize?: number;
  /**
   * For volumes created through the driver (until the next pool refresh), the compat level
   * and features of the request: libvirt reports those instead of probed values.
   */
  createdAs?: { compat?: string; features?: string[] };
  /** Disk pools: partition extents on the source device. */
  extents?: { start: number; end: number }[];
  /** Disk pools: partition type as libvirt names it ('primary', 'logical', 'extended'). */
  partType?: string;
}

/** A volume request parsed from volume XML (what the caller asked for). */
export interface VolRequest {
  name: string;
  type?: string;
  capacity: number;
  /** Requested allocation; undefined = as capacity (libvirt's default). */
  allocation?: number;
  format?: string;
  perms: Permissions;
  backingStore?: BackingStore;
  compat?: string;
  features?: string[];
  /** Disk pools: requested partition type. */
  partType?: string;
  /** Whether the XML gave a capacity at all (clones may omit it). */
  hasCapacity: boolean;
}
