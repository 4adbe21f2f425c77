/**
 * Volume methods of the storage driver's SPI (libvirt's storage_driver.c, volume half):
 * lookups, create/clone, delete, wipe, resize, upload/download streams, info and XML.
 */
import { realpath } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { JobOptions, StoragePoolRef, StorageVolInfo, StorageVolRef } from '@virtkit/core';
import {
  VIR_ERR_CONFIG_UNSUPPORTED,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_STORAGE_POOL,
  VIR_ERR_NO_STORAGE_VOL,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_FAILED,
  VIR_ERR_OPERATION_INVALID,
  VIR_ERR_STORAGE_VOL_EXIST,
  VIR_STORAGE_VOL_BLOCK,
  VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA,
  VIR_STORAGE_VOL_CREATE_REFLINK,
  VIR_STORAGE_VOL_CREATE_VALIDATE,
  VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS,
  VIR_STORAGE_VOL_DELETE_ZEROED,
  VIR_STORAGE_VOL_DIR,
  VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM,
  VIR_STORAGE_VOL_FILE,
  VIR_STORAGE_VOL_RESIZE_ALLOCATE,
  VIR_STORAGE_VOL_RESIZE_DELTA,
  VIR_STORAGE_VOL_RESIZE_SHRINK,
  VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM,
} from './constants.js';
import { volumeUser } from './in-use.js';
import { activePool, refreshPool } from './pool-ops.js';
import type { PoolObj, StorageState } from './pool-registry.js';
import { openDownload, openUpload } from './stream.js';
import { downloadToFile, uploadFromFile } from './file-transfer.js';
import type { VolDef, VolRequest } from './types.js';
import { checkFlags, checkName, storageError } from './util.js';
import { probeVolume } from './vol-file.js';
import { checkWipeAlgorithm } from './wipe.js';
import { formatVol, parseVolRequest } from './xml-adapter.js';

/** libvirt 9.0's volume format names (virStorageFileFormat) for file-based pools. */
const FILE_FORMAT_NAMES = ['none', 'raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk', 'luks', 'vhdx'];
/** libvirt's partition formats (virStorageVolFormatDisk). */
const DISK_VOL_FORMATS = ['none', 'linux', 'fat16', 'fat32', 'linux-swap', 'linux-lvm', 'linux-raid', 'extended'];

const VOL_TYPES: Record<VolDef['type'], number> = { file: VIR_STORAGE_VOL_FILE, block: VIR_STORAGE_VOL_BLOCK, dir: VIR_STORAGE_VOL_DIR };

function volRef(pool: PoolObj, v: VolDef): StorageVolRef {
  return { pool: pool.def.name, name: v.name, key: v.key };
}

/** The volume half of the StorageDriver SPI over one StorageState. */
export class VolOps {
  readonly #s: StorageState;

  constructor(state: StorageState) {
    this.#s = state;
  }

  /** Pool and volume for a ref; the pool must be active and hold the volume. */
  #get(ref: StorageVolRef): { pool: PoolObj; vol: VolDef } {
    const pool = this.#s.pools.get(ref.pool);
    if (!pool) throw storageError(VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching name '${ref.pool}'`);
    if (!pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${pool.def.name}' is not active`);
    const vol = pool.volumes.get(ref.name);
    if (!vol) throw storageError(VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching name '${ref.name}'`);
    return { pool, vol };
  }

  /** Runs a long volume job: the pool cannot be destroyed or refreshed meanwhile. */
  async #job<T>(pool: PoolObj, fn: () => Promise<T>): Promise<T> {
    pool.jobs++;
    try {
      return await fn();
    } finally {
      pool.jobs--;
    }
  }

  #notBuilding(pool: PoolObj, vol: VolDef): void {
    if (pool.building.has(vol.name)) throw storageError(VIR_ERR_OPERATION_INVALID, `volume '${vol.name}' is still being allocated.`);
  }

  /** Probes the volume again so that info and XML are exact (libvirt's refreshVol). */
  async #fresh(pool: PoolObj, vol: VolDef): Promise<VolDef> {
    const v = await pool.backend.refreshVol(pool.def, vol);
    if (vol.createdAs) v.createdAs = vol.createdAs;
    pool.volumes.set(v.name, v);
    return v;
  }

  async storagePoolLookupByVolume(ref: StorageVolRef): Promise<StoragePoolRef> {
    const pool = this.#s.pools.get(ref.pool);
    if (!pool) throw storageError(VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching name '${ref.pool}'`);
    return pool.ref;
  }

  async storagePoolNumOfVolumes(ref: StoragePoolRef): Promise<number> {
    const pool = activePool(this.#s, ref);
    await pool.settled();
    return pool.volumes.size;
  }

  async storagePoolListAllVolumes(ref: StoragePoolRef, flags: number): Promise<StorageVolRef[]> {
    checkFlags(flags, 0, 'storagePoolListAllVolumes');
    const pool = activePool(this.#s, ref);
    await pool.settled();
    return [...pool.volumes.values()].filter((v) => !pool.building.has(v.name)).map((v) => volRef(pool, v));
  }

  async storageVolLookupByName(ref: StoragePoolRef, name: string): Promise<StorageVolRef> {
    const pool = activePool(this.#s, ref);
    await pool.settled();
    const v = pool.volumes.get(name);
    if (!v) throw storageError(VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching name '${name}'`);
    return volRef(pool, v);
  }

  async storageVolLookupByKey(key: string): Promise<StorageVolRef> {
    for (const pool of this.#s.pools.values()) {
      await pool.settled();
      if (!pool.active) continue;
      for (const v of pool.volumes.values()) if (v.key === key) return volRef(pool, v);
    }
    throw storageError(VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching key ${key}`);
  }

  async storageVolLookupByPath(path: string): Promise<StorageVolRef> {
    const real = await realpath(path).catch(() => path);
    for (const pool of this.#s.pools.values()) {
      await pool.settled();
      if (!pool.active) continue;
      for (const v of pool.volumes.values()) if (v.path === path || v.path === real) return volRef(pool, v);
    }
    throw storageError(VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching path '${path}'`);
  }

  /** Checks a request against the pool: name safety, uniqueness, backend support. */
  #checkNew(pool: PoolObj, req: VolRequest, what: 'createVol' | 'cloneVol'): void {
    checkName(req.name, 'volume');
    if (pool.volumes.has(req.name) || pool.building.has(req.name)) {
      throw storageError(VIR_ERR_STORAGE_VOL_EXIST, `'${req.name}'`);
    }
    if (!pool.backend.supports[what] || !pool.backend[what]) {
      throw storageError(VIR_ERR_NO_SUPPORT, 'storage pool does not support volume creation');
    }
    const fmts = pool.backend.supports.volFormats;
    const known = pool.def.type === 'disk' ? DISK_VOL_FORMATS : FILE_FORMAT_NAMES;
    if (req.format !== undefined && !known.includes(req.format)) {
      throw storageError(VIR_ERR_CONFIG_UNSUPPORTED, `unknown volume format type ${req.format}`);
    }
    if (req.format !== undefined && !fmts.includes(req.format)) {
      throw storageError(VIR_ERR_NO_SUPPORT, `storage pool does not support volume format '${req.format}'`);
    }
  }

  /** Reserves the name while `fn` creates the volume, then lists it. */
  async #build(pool: PoolObj, name: string, fn: () => Promise<VolDef>): Promise<StorageVolRef> {
    pool.building.add(name);
    try {
      const v = await this.#job(pool, fn);
      pool.volumes.set(v.name, v);
      await this.#updatePoolSizes(pool);
      return volRef(pool, v);
    } finally {
      pool.building.delete(name);
    }
  }

  async #updatePoolSizes(pool: PoolObj): Promise<void> {
    const r = await (pool.backend.sizes ?? pool.backend.refresh)(pool.def).catch(() => undefined);
    if (!r) return;
    pool.def.capacity = r.capacity;
    pool.def.allocation = r.allocation;
    pool.def.available = r.available;
  }

  async storageVolCreateXML(ref: StoragePoolRef, xml: string, flags: number, opts: JobOptions): Promise<StorageVolRef> {
    checkFlags(flags, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_VALIDATE, 'storageVolCreateXML');
    const pool = activePool(this.#s, ref);
    const req = parseVolRequest(xml);
    if (req.format === undefined) req.format = pool.backend.supports.volFormats[0];
    this.#checkNew(pool, req, 'createVol');
    return this.#build(pool, req.name, () => pool.backend.createVol!(pool.def, req, flags & ~VIR_STORAGE_VOL_CREATE_VALIDATE, opts));
  }

  async storageVolCreateXMLFrom(
    ref: StoragePoolRef,
    xml: string,
    clone: StorageVolRef,
    flags: number,
    opts: JobOptions,
  ): Promise<StorageVolRef> {
    checkFlags(flags, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_REFLINK | VIR_STORAGE_VOL_CREATE_VALIDATE, 'storageVolCreateXMLFrom');
    const pool = activePool(this.#s, ref);
    const { pool: srcPool, vol: src0 } = this.#get(clone);
    this.#notBuilding(srcPool, src0);
    const req = parseVolRequest(xml, true);
    if (req.format === undefined) req.format = pool.backend.supports.volFormats[0];
    this.#checkNew(pool, req, 'cloneVol');
    const src = await this.#fresh(srcPool, src0);
    if (!req.hasCapacity || req.capacity < src.capacity) req.capacity = src.capacity;
    const run = () => pool.backend.cloneVol!(pool.def, req, src, flags & ~VIR_STORAGE_VOL_CREATE_VALIDATE, opts);
    return srcPool === pool ? this.#build(pool, req.name, run) : this.#job(srcPool, () => this.#build(pool, req.name, run));
  }

  async storageVolDelete(ref: StorageVolRef, flags: number): Promise<void> {
    checkFlags(flags, VIR_STORAGE_VOL_DELETE_ZEROED | VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS, 'storageVolDelete');
    const { pool, vol } = this.#get(ref);
    this.#notBuilding(pool, vol);
    if (flags & VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS) {
      throw storageError(VIR_ERR_NO_SUPPORT, 'deleting volumes with snapshots is only supported for ploop volumes');
    }
    if (!pool.backend.supports.deleteVol || !pool.backend.deleteVol) {
      throw storageError(VIR_ERR_NO_SUPPORT, 'storage pool does not support vol deletion');
    }
    const user = await volumeUser(vol.path);
    if (user) throw storageError(VIR_ERR_OPERATION_INVALID, `volume '${vol.name}' is in use by running domain '${user}'`);
    await this.#job(pool, () => pool.backend.deleteVol!(pool.def, vol, flags));
    pool.volumes.delete(vol.name);
    await this.#updatePoolSizes(pool);
  }

  async storageVolWipePattern(ref: StorageVolRef, algorithm: number, flags: number, opts: JobOptions): Promise<void> {
    checkFlags(flags, 0, 'storageVolWipePattern');
    checkWipeAlgorithm(algorithm);
    const { pool, vol } = this.#get(ref);
    this.#notBuilding(pool, vol);
    if (!pool.backend.supports.wipeVol || !pool.backend.wipeVol) throw storageError(VIR_ERR_NO_SUPPORT, 'storage pool does not support volume wiping');
    if (vol.type === 'dir') throw storageError(VIR_ERR_NO_SUPPORT, `cannot wipe directory volume '${vol.name}'`);
    await this.#job(pool, () => pool.backend.wipeVol!(pool.def, vol, algorithm, opts));
    await this.#fresh(pool, vol).catch(() => {});
  }

  async storageVolResize(ref: StorageVolRef, capacity: number, flags: number): Promise<void> {
    checkFlags(flags, VIR_STORAGE_VOL_RESIZE_ALLOCATE | VIR_STORAGE_VOL_RESIZE_DELTA | VIR_STORAGE_VOL_RESIZE_SHRINK, 'storageVolResize');
    const { pool, vol: v0 } = this.#get(ref);
    this.#notBuilding(pool, v0);
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw storageError(VIR_ERR_INVALID_ARG, `invalid capacity ${capacity}`);
    if (!pool.backend.supports.resizeVol || !pool.backend.resizeVol) throw storageError(VIR_ERR_NO_SUPPORT, 'storage pool does not support changing of volume capacity');
    const vol = await this.#fresh(pool, v0);
    let abs = capacity;
    if (flags & VIR_STORAGE_VOL_RESIZE_DELTA) {
      if (flags & VIR_STORAGE_VOL_RESIZE_SHRINK) {
        if (capacity > vol.capacity) throw storageError(VIR_ERR_INVALID_ARG, "can't shrink capacity below 0");
        abs = vol.capacity - capacity;
      } else {
        abs = vol.capacity + capacity;
      }
    }
    if (abs < vol.allocation && abs < vol.capacity) {
      throw storageError(VIR_ERR_INVALID_ARG, "can't shrink capacity below existing allocation");
    }
    if (abs < vol.capacity && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
      throw storageError(VIR_ERR_INVALID_ARG, "Can't shrink capacity below current capacity unless shrink flag explicitly specified");
    }
    const delta = flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE ? abs - vol.allocation : 0;
    if (delta > pool.def.available) throw storageError(VIR_ERR_OPERATION_FAILED, 'Not enough space left in storage pool');
    await this.#job(pool, () => pool.backend.resizeVol!(pool.def, vol, abs, flags));
    await this.#fresh(pool, vol);
    await this.#updatePoolSizes(pool);
  }

  async storageVolUpload(ref: StorageVolRef, offset: number, length: number, flags: number, opts: JobOptions): Promise<Writable> {
    const { pool, vol } = this.#transferTarget(ref, 'upload', offset, length, flags);
    pool.jobs++;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        pool.jobs--;
      }
    };
    const ws = await openUpload(vol.path, offset, length, {
      ...opts,
      onFinish: async () => {
        finish();
        this.#afterUpload(pool);
      },
    }).catch((e) => {
      finish();
      throw e;
    });
    ws.once('close', finish);
    return ws;
  }

  async storageVolDownload(ref: StorageVolRef, offset: number, length: number, flags: number, opts: JobOptions): Promise<Readable> {
    const { pool, vol } = this.#transferTarget(ref, 'download', offset, length, flags);
    pool.jobs++;
    const rs = await openDownload(vol.path, offset, length, opts).catch((e) => {
      pool.jobs--;
      throw e;
    });
    rs.once('close', () => pool.jobs--);
    return rs;
  }

  /** Fast path of StorageVol.uploadFromFile: file to volume in the kernel (see file-transfer.ts). */
  async storageVolUploadFromFile(ref: StorageVolRef, path: string, offset: number, length: number, flags: number, opts: JobOptions): Promise<void> {
    const { pool, vol } = this.#transferTarget(ref, 'upload', offset, length, flags);
    await this.#job(pool, () => uploadFromFile(path, vol.path, offset, length, opts));
    this.#afterUpload(pool);
  }

  /** Fast path of StorageVol.downloadToFile: volume to file in the kernel (see file-transfer.ts). */
  async storageVolDownloadToFile(ref: StorageVolRef, path: string, offset: number, length: number, flags: number, opts: JobOptions): Promise<void> {
    const { pool, vol } = this.#transferTarget(ref, 'download', offset, length, flags);
    await this.#job(pool, () => downloadToFile(vol.path, path, offset, length, opts));
  }

  /** The checks every upload/download shares (flags, pool state, range, backend, volume type), in libvirt's order. */
  #transferTarget(ref: StorageVolRef, direction: 'upload' | 'download', offset: number, length: number, flags: number): { pool: PoolObj; vol: VolDef } {
    const upload = direction === 'upload';
    checkFlags(flags, upload ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM, upload ? 'storageVolUpload' : 'storageVolDownload');
    const { pool, vol } = this.#get(ref);
    this.#notBuilding(pool, vol);
    this.#checkRange(offset, length);
    if (!pool.backend.supports[direction]) throw storageError(VIR_ERR_NO_SUPPORT, `storage pool does not support volume ${direction}`);
    if (vol.type === 'dir') {
      throw storageError(VIR_ERR_NO_SUPPORT, upload ? `cannot upload to directory volume '${vol.name}'` : `cannot download directory volume '${vol.name}'`);
    }
    return { pool, vol };
  }

  /**
   * Refreshes the pool after an upload and sends the refresh event, as libvirt does in a thread
   * of its own (virStorageVolPoolRefreshThread): the upload has returned by then. The refresh
   * holds the pool's lifecycle lock, and the pool's readers wait for it (PoolObj.settled), as
   * libvirt's wait for the pool lock.
   */
  #afterUpload(pool: PoolObj): void {
    const run: Promise<void> = pool
      .locked(async () => {
        if (!pool.active) return;
        await refreshPool(pool).catch(() => {});
        if (pool.active) this.#s.refreshed(pool);
      })
      .catch(() => {})
      .then(() => {
        if (pool.afterUpload === run) pool.afterUpload = undefined;
      });
    pool.afterUpload = run;
  }

  #checkRange(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) throw storageError(VIR_ERR_INVALID_ARG, `invalid offset ${offset}`);
    if (!Number.isSafeInteger(length) || length < 0) throw storageError(VIR_ERR_INVALID_ARG, `invalid length ${length}`);
  }

  async storageVolGetInfo(ref: StorageVolRef): Promise<StorageVolInfo> {
    const { pool, vol } = this.#get(ref);
    const v = await this.#fresh(pool, vol);
    return { type: VOL_TYPES[v.type], capacity: v.capacity, allocation: v.allocation };
  }

  async storageVolGetXMLDesc(ref: StorageVolRef, flags: number): Promise<string> {
    checkFlags(flags, 0, 'storageVolGetXMLDesc');
    const { pool, vol } = this.#get(ref);
    const v = await this.#fresh(pool, vol);
    const backing = v.backingStore ? await probeVolume(v.backingStore.path, v.backingStore.path).catch(() => undefined) : undefined;
    return formatVol(v, backing);
  }

  async storageVolGetPath(ref: StorageVolRef): Promise<string> {
    return this.#get(ref).vol.path;
  }
}
