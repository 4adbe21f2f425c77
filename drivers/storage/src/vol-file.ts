/**
 * Volumes that are files (or block devices) on the host: probing with
 * `qemu-img info --output=json` and stat(2), creating raw and qcow2 images, cloning
 * (also across formats), resizing. Used by the dir and fs backends, and by disk for probing.
 */
import { closeSync, constants, fchmodSync, fchownSync, ftruncateSync, openSync, promises as fsp, statSync, type BigIntStats } from 'node:fs';
import type { JobOptions } from '@virtkit/core';
import { cloneFile } from './copy.js';
import { fallocate, wakeFallocate } from './fallocate.js';
import { canWriteQcow2v2, writeQcow2v2 } from './qcow2-create.js';
import { readQcow2Header } from './qcow2-header.js';
import { forgetProbe, keepProbe, keptProbe, wallClockNs } from './probe-cache.js';
import {
  VIR_ERR_CONFIG_UNSUPPORTED,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_FAILED,
  VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA,
  VIR_STORAGE_VOL_CREATE_REFLINK,
  VIR_STORAGE_VOL_RESIZE_ALLOCATE,
  VIR_STORAGE_VOL_RESIZE_SHRINK,
} from './constants.js';
import type { Permissions, Timestamps, VolDef, VolRequest } from './types.js';
import { isErrno, run, storageError, systemError, throwIfAborted } from './util.js';

/** Image formats qemu-img can create (libvirt's file formats for dir/fs pools). */
export const QEMU_IMG_FORMATS = ['raw', 'qcow2', 'qcow', 'qed', 'vmdk', 'vpc', 'vdi', 'vhdx', 'cloop', 'dmg', 'bochs', 'luks'] as const;
/** Formats we create ourselves or through qemu-img. */
export const FILE_VOL_FORMATS = new Set<string>(['raw', 'dir', 'iso', 'qcow2', 'qcow', 'qed', 'vmdk', 'vpc', 'vdi', 'vhdx']);

/** What `qemu-img info --output=json` tells about an image. */
export interface ImageInfo {
  format: string;
  virtualSize: number;
  actualSize?: number;
  backing?: string;
  backingFormat?: string;
  compat?: string;
  lazyRefcounts?: boolean;
  clusterSize?: number;
}

/** Runs `qemu-img info --output=json -U path`; undefined when qemu-img cannot read it. */
export async function qemuImgInfo(path: string, signal?: AbortSignal): Promise<ImageInfo | undefined> {
  let out: string;
  try {
    out = (await run('qemu-img', ['info', '--output=json', '-U', path], { signal })).stdout;
  } catch {
    return undefined;
  }
  const j = JSON.parse(out) as Record<string, unknown>;
  const spec = (j['format-specific'] as { data?: Record<string, unknown> } | undefined)?.data;
  return {
    format: String(j.format),
    virtualSize: Number(j['virtual-size'] ?? 0),
    actualSize: j['actual-size'] === undefined ? undefined : Number(j['actual-size']),
    backing: (j['full-backing-filename'] ?? j['backing-filename']) as string | undefined,
    backingFormat: j['backing-filename-format'] as string | undefined,
    compat: spec?.compat as string | undefined,
    lazyRefcounts: spec?.['lazy-refcounts'] as boolean | undefined,
    clusterSize: j['cluster-size'] === undefined ? undefined : Number(j['cluster-size']),
  };
}

/** A raw image that is an ISO 9660 file system ("CD001" at 32769) is reported as 'iso'. */
async function isIso(path: string): Promise<boolean> {
  const fh = await fsp.open(path, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const buf = Buffer.alloc(5);
    const { bytesRead } = await fh.read(buf, 0, 5, 32769);
    return bytesRead === 5 && buf.toString('latin1') === 'CD001';
  } finally {
    await fh.close();
  }
}

function ts(sec: bigint): string {
  const s = sec / 1_000_000_000n;
  const ns = sec % 1_000_000_000n;
  return ns === 0n ? `${s}` : `${s}.${ns.toString().padStart(9, '0')}`;
}

/** libvirt's timestamps element from a stat result (btime is reported as 0, as libvirt 9.0 does). */
export function timestampsOf(st: BigIntStats): Timestamps {
  return { atime: ts(st.atimeNs), mtime: ts(st.mtimeNs), ctime: ts(st.ctimeNs), btime: '0' };
}

/** Permissions from a stat result. */
export function permsOf(st: BigIntStats): Permissions {
  return { mode: Number(st.mode & 0o7777n), owner: Number(st.uid), group: Number(st.gid) };
}

/**
 * Stats and probes `path` as a volume named `name`. Returns undefined when the entry is not
 * a volume (sockets, FIFOs, dangling links) or vanished meanwhile.
 */
export async function probeVolume(name: string, path: string, signal?: AbortSignal, knownFormat?: string): Promise<VolDef | undefined> {
  let st: BigIntStats;
  try {
    // a stat is microseconds in the kernel, less than a thread-pool round trip
    st = statSync(path, { bigint: true });
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ELOOP')) {
      forgetProbe(path);
      return undefined;
    }
    throw systemError(`cannot stat file '${path}'`, e);
  }
  const base = { name, key: path, path, perms: permsOf(st), timestamps: timestampsOf(st) };
  if (st.isDirectory()) {
    return { ...base, type: 'dir', format: 'dir', capacity: 0, allocation: 0 };
  }
  if (!st.isFile() && !st.isBlockDevice()) return undefined;
  const size = Number(st.size);
  if (st.isBlockDevice()) {
    const info = await qemuImgInfo(path, signal);
    const cap = info?.virtualSize ?? 0;
    return { ...base, type: 'block', format: info?.format ?? 'raw', capacity: cap, allocation: cap, physical: cap };
  }
  const known = await knownInfo(path, size, knownFormat);
  const { info, format } = known ? { info: known, format: known.format } : await probeFile(path, st, signal);
  const vol: VolDef = {
    ...base,
    type: 'file',
    format,
    capacity: format === 'raw' || format === 'iso' || !info ? size : info.virtualSize,
    allocation: Number(st.blocks) * 512,
    physical: size,
  };
  if (info?.backing) vol.backingStore = { path: info.backing, format: info.backingFormat };
  // libvirt's probe: cluster size for qcow2; compat and features for v3 (compat 1.1) only
  if (info?.format === 'qcow2') {
    if (info.clusterSize) vol.clusterSize = info.clusterSize;
    if (info.compat && info.compat !== '0.10') {
      vol.compat = info.compat;
      vol.features = info.lazyRefcounts ? ['lazy_refcounts'] : [];
    }
  }
  return vol;
}

/** The format of a regular file as qemu-img sees it ('iso' for a raw ISO 9660 image). */
interface FileProbe {
  info: ImageInfo | undefined;
  format: string;
}

/** Probes a regular file with qemu-img, or takes what it said before if the file is unchanged (probe-cache.ts). */
async function probeFile(path: string, st: BigIntStats, signal?: AbortSignal): Promise<FileProbe> {
  const kept = keptProbe<FileProbe>(path, st);
  if (kept) return kept;
  const at = wallClockNs();
  const info = await qemuImgInfo(path, signal);
  let format = info?.format ?? 'raw';
  if (format === 'raw' && st.size >= 32774n && (await isIso(path))) format = 'iso';
  const probe = { info, format };
  // a failed qemu-img (missing, killed) is not an answer to keep
  if (info) keepProbe(path, st, probe, at);
  return probe;
}

/**
 * Re-probes a file whose format the driver already knows without spawning qemu-img: raw from
 * stat, qcow2 from its header. Undefined (probe with qemu-img) for other formats, or when the
 * content no longer matches.
 */
async function knownInfo(path: string, size: number, format: string | undefined): Promise<ImageInfo | undefined> {
  if (format === 'raw' || format === 'iso') return { format, virtualSize: size };
  if (format !== 'qcow2') return undefined;
  const h = await readQcow2Header(path);
  if (!h) return undefined;
  const info: ImageInfo = { format: 'qcow2', virtualSize: h.virtualSize, compat: h.compat, clusterSize: h.clusterSize, lazyRefcounts: h.lazyRefcounts };
  if (h.backing) info.backing = h.backing;
  if (h.backingFormat) info.backingFormat = h.backingFormat;
  return info;
}

/** qemu-img's -o options for a new image, as libvirt builds them. */
function createOptions(req: VolRequest, format: string, flags: number): string[] {
  const o: string[] = [];
  if (format === 'qcow2') {
    o.push(`compat=${req.compat ?? '0.10'}`);
    if (req.features?.includes('lazy_refcounts')) {
      if ((req.compat ?? '0.10') === '0.10') throw storageError(VIR_ERR_CONFIG_UNSUPPORTED, 'lazy refcounts not supported with compat level 0.10');
      o.push('lazy_refcounts');
    }
    if (flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) {
      o.push(`preallocation=${req.allocation !== undefined && req.allocation < req.capacity ? 'metadata' : 'falloc'}`);
    }
  }
  return o.length ? ['-o', o.join(',')] : [];
}

/** Applies requested owner/group/mode to a freshly created volume. */
async function applyPerms(path: string, perms: Permissions, defaultMode: number): Promise<void> {
  if (perms.owner !== undefined || perms.group !== undefined) {
    await fsp.chown(path, perms.owner ?? -1, perms.group ?? -1);
  }
  await fsp.chmod(path, perms.mode ?? defaultMode);
}

/**
 * Creates the volume file at `path` from `req` (raw: sparse up to capacity, preallocated up
 * to allocation; other formats through qemu-img; 'dir': a directory). On failure nothing is
 * left behind. The caller has checked the name and that `path` does not exist.
 */
export async function createFileVolume(path: string, req: VolRequest, flags: number, opts: JobOptions = {}): Promise<void> {
  const format = req.format ?? 'raw';
  if (!FILE_VOL_FORMATS.has(format)) {
    throw storageError(VIR_ERR_NO_SUPPORT, `storage pool does not support volume format '${format}'`);
  }
  if (flags & VIR_STORAGE_VOL_CREATE_REFLINK) throw storageError(VIR_ERR_INVALID_ARG, 'reflink is only supported when cloning volumes');
  throwIfAborted(opts.signal, 'volume creation');
  if (format === 'dir') {
    try {
      await fsp.mkdir(path, req.perms.mode ?? 0o755);
      await applyPerms(path, req.perms, 0o755);
    } catch (e) {
      await fsp.rmdir(path).catch(() => {});
      throw systemError(`cannot create path '${path}'`, e);
    }
    return;
  }
  let created = false;
  try {
    if (format === 'raw' || format === 'iso') {
      if (req.backingStore) throw storageError(VIR_ERR_NO_SUPPORT, 'backing storage not supported for raw volumes');
      if (flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) {
        throw storageError(VIR_ERR_NO_SUPPORT, 'metadata preallocation is not supported for raw volumes');
      }
      const alloc = Math.min(req.allocation ?? req.capacity, req.capacity);
      // an idle helper process takes 0.1-0.2 ms to wake on a VM: it wakes while the file is made
      if (alloc > 0) wakeFallocate();
      // open, fchown/fchmod, ftruncate and close are each a few microseconds in the kernel, but
      // every hop through libuv's thread pool costs 0.1-0.2 ms of thread wake-ups: done inline
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, req.perms.mode ?? 0o600);
      created = true;
      let allocated: Promise<void> = Promise.resolve();
      try {
        // a fully allocated volume gets its size from fallocate
        if (alloc < req.capacity) ftruncateSync(fd, req.capacity);
        opts.onProgress?.(0, alloc);
        // the allocation starts now; owner and mode are set while the kernel allocates
        allocated = fallocate(path, 0, alloc, opts.signal);
        if (req.perms.owner !== undefined || req.perms.group !== undefined) fchownSync(fd, req.perms.owner ?? -1, req.perms.group ?? -1);
        fchmodSync(fd, req.perms.mode ?? 0o600);
      } finally {
        closeSync(fd);
        // settled before a failure removes the file, so nothing is left behind
        await allocated.catch(() => {});
      }
      await allocated;
      opts.onProgress?.(alloc, alloc);
      return;
    } else if (
      format === 'qcow2' &&
      !req.backingStore &&
      (req.compat ?? '0.10') === '0.10' &&
      !req.features?.length &&
      !(flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) &&
      canWriteQcow2v2(Math.ceil(req.capacity / 1024) * 1024)
    ) {
      // what `qemu-img create -f qcow2 -o compat=0.10` writes, byte for byte, without a fork
      created = true;
      await writeQcow2v2(path, Math.ceil(req.capacity / 1024) * 1024, req.perms.mode ?? 0o600);
    } else {
      const args = ['create', '-f', format];
      if (req.backingStore) {
        args.push('-b', req.backingStore.path);
        const bfmt = req.backingStore.format ?? (await qemuImgInfo(req.backingStore.path))?.format;
        if (!bfmt) throw storageError(VIR_ERR_OPERATION_FAILED, `unable to determine format of backing store '${req.backingStore.path}'`);
        args.push('-F', bfmt);
      }
      args.push(...createOptions(req, format, flags), path, `${Math.ceil(req.capacity / 1024)}K`);
      created = true;
      await run('qemu-img', args, { signal: opts.signal });
    }
    await applyPerms(path, req.perms, 0o600);
  } catch (e) {
    if (created) await fsp.rm(path, { force: true }).catch(() => {});
    throw systemError(`cannot create volume '${path}'`, e);
  }
}

/**
 * Creates `path` as a copy of the volume `src` (createXMLFrom): raw to raw is a byte copy
 * (reflink with VIR_STORAGE_VOL_CREATE_REFLINK, else sparse-aware), other combinations go
 * through `qemu-img convert`. The new volume is then grown to `req.capacity` when larger.
 */
export async function cloneFileVolume(path: string, req: VolRequest, src: VolDef, flags: number, opts: JobOptions = {}): Promise<void> {
  const format = req.format ?? src.format;
  if (format === 'dir' || src.format === 'dir') throw storageError(VIR_ERR_NO_SUPPORT, 'cannot clone directory volumes');
  if (!FILE_VOL_FORMATS.has(format)) throw storageError(VIR_ERR_NO_SUPPORT, `storage pool does not support volume format '${format}'`);
  const mode = req.perms.mode ?? 0o600;
  const rawLike = (f: string) => f === 'raw' || f === 'iso';
  let created = false;
  try {
    if (rawLike(format) && rawLike(src.format) && src.type === 'file') {
      created = true;
      await cloneFile(src.path, path, mode, { ...opts, reflink: !!(flags & VIR_STORAGE_VOL_CREATE_REFLINK), what: 'volume clone' });
      if (req.capacity > src.capacity) await fsp.truncate(path, req.capacity);
    } else {
      if (flags & VIR_STORAGE_VOL_CREATE_REFLINK) throw storageError(VIR_ERR_INVALID_ARG, 'reflink is only supported for raw volumes');
      const args = ['convert', '-f', src.format === 'iso' ? 'raw' : src.format, '-O', rawLike(format) ? 'raw' : format];
      if (format === 'qcow2') args.push(...createOptions({ ...req, allocation: undefined }, format, flags));
      args.push('-p', src.path, path);
      opts.onProgress?.(0, src.capacity);
      created = true;
      await run('qemu-img', args, { signal: opts.signal, onStdout: qemuImgProgress(src.capacity, opts) });
      opts.onProgress?.(src.capacity, src.capacity);
      if (req.capacity > src.capacity) {
        if (rawLike(format)) await fsp.truncate(path, req.capacity);
        else await run('qemu-img', ['resize', '-f', format, path, String(req.capacity)]);
      }
    }
    await applyPerms(path, req.perms, 0o600);
  } catch (e) {
    if (created) await fsp.rm(path, { force: true }).catch(() => {});
    throw systemError(`failed to clone volume '${src.path}' to '${path}'`, e);
  }
}

/** Turns `qemu-img -p` output ("    (42.00/100%)\r") into onProgress calls in bytes of `total`. */
export function qemuImgProgress(total: number, opts: JobOptions): ((text: string) => void) | undefined {
  if (!opts.onProgress) return undefined;
  return (text) => {
    const all = [...text.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)];
    const last = all.at(-1);
    if (last) opts.onProgress!(Math.floor((Number(last[1]) / 100) * total), total);
  };
}

/** Resizes a file volume to `capacity` bytes (flags already validated by the driver). */
export async function resizeFileVolume(vol: VolDef, capacity: number, flags: number): Promise<void> {
  if (vol.type === 'dir') throw storageError(VIR_ERR_NO_SUPPORT, 'cannot resize directory volumes');
  const allocate = !!(flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE);
  if (vol.format === 'raw' || vol.format === 'iso') {
    try {
      const cur = (await fsp.stat(vol.path)).size;
      await fsp.truncate(vol.path, capacity);
      if (allocate && capacity > cur) await fallocate(vol.path, cur, capacity - cur);
    } catch (e) {
      throw systemError(`Failed to truncate file '${vol.path}'`, e);
    }
    return;
  }
  const args = ['resize'];
  if (flags & VIR_STORAGE_VOL_RESIZE_SHRINK) args.push('--shrink');
  if (allocate) args.push('--preallocation=falloc');
  args.push('-f', vol.format, vol.path, String(capacity));
  await run('qemu-img', args);
}
