/**
 * Storage pool and volume definitions through @virtkit/xml, formatted with the test
 * driver's live figures (capacity, allocation, available; volume key, path and format).
 */
import {
  formatStoragePoolXML,
  formatStorageVolXML,
  generateUUID,
  parseStoragePoolElement,
  parseStoragePoolXML,
  parseStorageVolElement,
  parseStorageVolXML,
} from '@virtkit/xml';
import type { StoragePoolDef, StorageVolDef, XmlElement } from '@virtkit/xml';
import { From } from './consts.js';
import { asVirtError } from './errors.js';
import type { PoolObj, VolObj } from './pool-obj.js';

/** A pool definition with its UUID filled in. */
export type PoolDef = StoragePoolDef & { uuid: string };
/** A volume definition with its sizes resolved to bytes. */
export type VolDef = StorageVolDef & { capacityBytes: number; allocationBytes: number };

/** VIR_CONNECT_LIST_STORAGE_POOLS_<TYPE> bits by pool type. */
export const POOL_TYPE_FLAGS: Readonly<Record<string, number>> = {
  dir: 64, fs: 128, netfs: 256, logical: 512, disk: 1024, iscsi: 2048, scsi: 4096, mpath: 8192,
  rbd: 16384, sheepdog: 32768, gluster: 65536, zfs: 131072, vstorage: 262144, 'iscsi-direct': 524288,
};

/** Parses `<pool>` XML (string or node-file element). */
export function parsePoolDef(src: string | XmlElement): PoolDef {
  let def: StoragePoolDef;
  try {
    def = typeof src === 'string' ? parseStoragePoolXML(src) : parseStoragePoolElement(src);
  } catch (e) {
    throw asVirtError(e, From.STORAGE);
  }
  def.uuid ??= generateUUID();
  return def as PoolDef;
}

/** The pool type ('dir', 'logical', ...). */
export function poolType(def: StoragePoolDef): string {
  return def.type;
}

/** The pool's target path ('' when it has none). */
export function poolTargetPath(def: StoragePoolDef): string {
  return def.target?.path ?? '';
}

/** Formats a pool with its current sizes, as virStoragePoolDefFormat. */
export function formatPoolDef(def: StoragePoolDef, obj: PoolObj): string {
  const view: StoragePoolDef = {
    ...def,
    capacity: { bytes: obj.capacity },
    allocation: { bytes: obj.allocation },
    available: { bytes: obj.available },
    source: withSource(def.source),
  };
  return formatStoragePoolXML(view);
}

/**
 * libvirt always writes a pool's `<source>`, empty as an open/close pair on two lines; a
 * white-space text child makes the formatter write exactly that.
 */
function withSource(src: StoragePoolDef['source']): NonNullable<StoragePoolDef['source']> {
  const s = src ?? { hosts: [], devices: [] };
  const empty =
    s.hosts.length === 0 && s.devices.length === 0 && s.dir === undefined && s.name === undefined &&
    s.format === undefined && !s.extra?.children.length && !s.extra?.attributes.length;
  if (!empty) return s;
  return { ...s, extra: { attributes: [], children: [], text: '\n  ' } };
}

/** Parses `<volume>` XML for a pool (string or node-file element). */
export function parseVolDef(src: string | XmlElement, pool: StoragePoolDef): VolDef {
  let def: StorageVolDef;
  try {
    def = typeof src === 'string' ? parseStorageVolXML(src) : parseStorageVolElement(src);
  } catch (e) {
    throw asVirtError(e, From.STORAGE);
  }
  const cap = def.capacity.bytes;
  const out = def as VolDef;
  out.capacityBytes = cap;
  out.allocationBytes = def.allocation?.bytes ?? cap;
  if (pool.type === 'dir' || pool.type === 'fs' || pool.type === 'netfs') {
    out.type ??= 'file';
  }
  return out;
}

/** Formats a volume as virStorageVolDefFormat, with its key, path and pool-default format. */
export function formatVolDef(pool: StoragePoolDef, vol: VolObj): string {
  const def = vol.def;
  const fileLike = pool.type === 'dir' || pool.type === 'fs' || pool.type === 'netfs';
  const view: StorageVolDef = {
    ...def,
    key: vol.key,
    capacity: { bytes: vol.capacity },
    allocation: { bytes: vol.allocation },
    target: { ...(def.target ?? {}), path: vol.path, ...(fileLike ? { format: def.target?.format ?? 'raw' } : {}) },
  };
  delete (view as Partial<VolDef>).capacityBytes;
  delete (view as Partial<VolDef>).allocationBytes;
  return formatStorageVolXML(view);
}
