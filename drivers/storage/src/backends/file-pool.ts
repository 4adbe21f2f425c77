/**
 * What the dir and fs backends share: a directory of volume files. Refresh lists the target
 * directory and probes every entry with stat(2) and `qemu-img info`; volumes are files made
 * by vol-file.ts; capacity comes from statfs(2) as libvirt computes it.
 */
import { promises as fsp, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobOptions } from '@virtkit/core';
import { VIR_ERR_NO_STORAGE_VOL, VIR_STORAGE_VOL_DELETE_ZEROED, VIR_STORAGE_VOL_WIPE_ALG_ZERO } from '../constants.js';
import type { PoolDef, VolDef, VolRequest } from '../types.js';
import { checkFlags, isErrno, storageError, systemError } from '../util.js';
import { cloneFileVolume, createFileVolume, probeVolume, resizeFileVolume } from '../vol-file.js';
import { wipePath } from '../wipe.js';
import type { RefreshResult } from './backend.js';
import { TMP_PREFIX } from '../copy.js';


/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** statfs(2) of `dir` as libvirt reports pool sizes: capacity, allocation = capacity - free, free. */
export async function statfsSizes(dir: string): Promise<Pick<RefreshResult, 'capacity' | 'allocation' | 'available'>> {
  let sb;
  try {
    // statfs is microseconds in the kernel, less than a thread-pool round trip
    sb = statfsSync(dir);
  } catch (e) {
    throw systemError(`cannot statvfs path '${dir}'`, e);
  }
  const capacity = sb.bsize * sb.blocks;
  const available = sb.bsize * sb.bfree;
  return { capacity, available, allocation: capacity - available };
}

/** Lists and probes the volumes in `dir` (libvirt's virStorageBackendFileSystemRefresh). */
/** virStorageBackendFileSystemDelete: removes the (empty) target directory of a dir or fs pool. */
export async function deleteTargetDirectory(def: PoolDef, flags: number): Promise<void> {
  checkFlags(flags, 0, 'virStorageBackendFileSystemDelete');
  try {
    await fsp.rmdir(def.targetPath);
  } catch (e) {
    throw systemError(`failed to remove pool '${def.targetPath}'`, e);
  }
}

export async function refreshDirectory(def: PoolDef, signal?: AbortSignal): Promise<RefreshResult> {
  let names: string[];
  try {
    names = await fsp.readdir(def.targetPath);
  } catch (e) {
    throw systemError(`cannot open directory '${def.targetPath}'`, e);
  }
  names = names.filter((n) => !n.startsWith(TMP_PREFIX)).sort();
  const probed = await mapLimit(names, 4, (n) => probeVolume(n, join(def.targetPath, n), signal));
  const sizes = await statfsSizes(def.targetPath);
  return { ...sizes, volumes: probed.filter((v): v is VolDef => v !== undefined) };
}

/** Volume operations of pools whose volumes are files in the target directory. */
export const fileVolumeOps = {
  /** Pool sizes after a volume changed: statfs only, no directory scan. */
  sizes: (def: PoolDef) => statfsSizes(def.targetPath),
  volPath(def: PoolDef, name: string): string {
    return join(def.targetPath, name);
  },
  async refreshVol(_def: PoolDef, vol: VolDef): Promise<VolDef> {
    const v = await probeVolume(vol.name, vol.path, undefined, vol.format);
    if (!v) throw storageError(VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching path '${vol.path}'`);
    return v;
  },
  async createVol(def: PoolDef, req: VolRequest, flags: number, opts: JobOptions): Promise<VolDef> {
    const path = join(def.targetPath, req.name);
    await createFileVolume(path, req, flags, opts);
    const v = await fileVolumeOps.refreshVol(def, { name: req.name, path, format: req.format } as VolDef);
    return { ...v, createdAs: { compat: req.compat, features: req.features } };
  },
  async cloneVol(def: PoolDef, req: VolRequest, src: VolDef, flags: number, opts: JobOptions): Promise<VolDef> {
    const path = join(def.targetPath, req.name);
    await cloneFileVolume(path, req, src, flags, opts);
    const v = await fileVolumeOps.refreshVol(def, { name: req.name, path, format: req.format ?? src.format } as VolDef);
    return { ...v, createdAs: { compat: req.compat, features: req.features } };
  },
  async deleteVol(_def: PoolDef, vol: VolDef, flags: number): Promise<void> {
    if (flags & VIR_STORAGE_VOL_DELETE_ZEROED && vol.type !== 'dir') await wipePath(vol.path, VIR_STORAGE_VOL_WIPE_ALG_ZERO);
    try {
      if (vol.type === 'dir') await fsp.rmdir(vol.path);
      else await fsp.unlink(vol.path);
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return;
      throw systemError(`cannot unlink file '${vol.path}'`, e);
    }
  },
  async resizeVol(_def: PoolDef, vol: VolDef, capacity: number, flags: number): Promise<void> {
    await resizeFileVolume(vol, capacity, flags);
  },
  async wipeVol(_def: PoolDef, vol: VolDef, algorithm: number, opts: JobOptions): Promise<void> {
    await wipePath(vol.path, algorithm, opts);
  },
};
