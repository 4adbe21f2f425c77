/**
 * The local-file fast paths of upload and download (core's StorageVol.uploadFromFile /
 * downloadToFile; beyond libvirt): the bytes move file to file in a helper process (cp, or a
 * pooled xfs_io) instead of through Node buffers.
 *
 * - A whole-volume download into a file that does not exist yet, from a volume with holes or
 *   on a file system that may have reflinks, is `cp --reflink=auto --sparse=auto`: a reflink
 *   where the file system has them, else copy_file_range with holes kept. Every download
 *   creates its file with the mode a fresh 0666 file gets (as virsh creates it), not the
 *   volume's.
 * - Every other regular-file to regular-file transfer (ranges, uploads, existing download
 *   targets, truncated first as virsh does) is `pwrite -i` of a pooled `xfs_io` co-process
 *   (xfs-io.ts) in 64 MiB steps: progress after every step, abort kills the co-process. Uploads
 *   never truncate the volume. No fsync, like libvirt's fdstream and cp.
 * - Without xfs_io, or for block devices (disk pools), a chunked copy with one reused 8 MiB
 *   buffer; for anything that is not a regular file or block device (FIFOs, character
 *   devices), the stream path.
 *
 * A download that fails or is aborted removes the destination file if it created it (virsh
 * does the same); no temporary files are used.
 */
import { constants, createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import type { JobOptions } from '@virtkit/core';
import { copyData, pollCopyProgress } from './copy.js';
import { VIR_ERR_SYSTEM_ERROR } from './constants.js';
import { deviceSize, openDownload, openUpload } from './stream.js';
import { aborted, isErrno, storageError, systemError, throwIfAborted } from './util.js';
import { copyWithXfsIo, mayReflink } from './xfs-copy.js';

/**
 * Copies `length` bytes from `srcOff` of `src` to `dstOff` of `dst` (named `dstPath` in errors):
 * in the xfs_io co-process when both are regular files (`regular`), else (or when it cannot)
 * with the chunked copy, whose errors become "cannot copy to '<dstPath>': ...".
 */
async function copyRange(src: FileHandle, dst: FileHandle, dstPath: string, srcOff: number, dstOff: number, length: number, regular: boolean, opts: JobOptions, what: string): Promise<void> {
  if (regular && (await copyWithXfsIo(src, dst, dstPath, srcOff, dstOff, length, opts, what))) return;
  await copyData(src, dst, length, { ...opts, srcOffset: srcOff, dstOffset: dstOff, length, what }).catch((e) => Promise.reject(systemError(`cannot copy to '${dstPath}'`, e)));
}

/** The file type of an open handle: 'file', 'block' or 'other'; `holes` when a regular file has fewer blocks than bytes. */
async function kindOf(fh: FileHandle): Promise<{ kind: 'file' | 'block' | 'other'; size: number; holes: boolean }> {
  const st = await fh.stat();
  return { kind: st.isFile() ? 'file' : st.isBlockDevice() ? 'block' : 'other', size: st.size, holes: st.isFile() && st.blocks * 512 < st.size };
}

/** Size of a regular file or block device open as `fh` (block devices report st_size 0). */
async function sizeOf(fh: FileHandle, kind: 'file' | 'block' | 'other', size: number): Promise<number> {
  return kind === 'block' ? deviceSize(fh) : size;
}

/**
 * Downloads `length` bytes from `offset` (0 = to the end) of the volume file `volPath` into
 * the local file `dstPath` (created with mode 0666 & ~umask, or truncated).
 */
export async function downloadToFile(volPath: string, dstPath: string, offset: number, length: number, opts: JobOptions = {}): Promise<void> {
  const what = 'download';
  throwIfAborted(opts.signal, what);
  let src: FileHandle;
  try {
    src = await fsp.open(volPath, constants.O_RDONLY);
  } catch (e) {
    throw systemError(`Unable to open '${volPath}'`, e);
  }
  let created = false;
  try {
    const s = await kindOf(src);
    const size = await sizeOf(src, s.kind, s.size);
    const end = length > 0 ? Math.min(offset + length, size) : size;
    const total = Math.max(0, end - offset);
    const existing = await fsp.stat(dstPath).catch((e) => {
      if (isErrno(e, 'ENOENT')) return undefined;
      throw systemError(`cannot create ${dstPath}`, e);
    });
    if (s.kind === 'file' && !existing && offset === 0 && end === size && (s.holes || mayReflink(volPath))) {
      // whole volume into a new file, where holes are to be kept or a reflink may do: cp
      // (reflink or copy_file_range, holes kept); otherwise the co-process copy below, which
      // needs no process start
      const mode = await freshFileMode(dstPath);
      created = true;
      await copyWithCp(volPath, dstPath, total, opts);
      await fsp.chmod(dstPath, mode);
      opts.onProgress?.(total, total);
      return;
    }
    if (existing && !existing.isFile()) {
      // a FIFO, character device, ...: the stream path writes it sequentially
      await src.close().catch(() => {});
      const rs = await openDownload(volPath, offset, length, opts);
      await pipeline(rs, createWriteStream(dstPath)).catch((e) => Promise.reject(opts.signal?.aborted ? aborted(what, opts.signal) : systemError(`cannot write to '${dstPath}'`, e)));
      return;
    }
    const dst = await fsp.open(dstPath, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o666).catch((e) => Promise.reject(systemError(`cannot create ${dstPath}`, e)));
    created = !existing;
    try {
      await copyRange(src, dst, dstPath, offset, 0, total, s.kind === 'file', opts, what);
    } finally {
      await dst.close();
    }
  } catch (e) {
    if (created) await fsp.rm(dstPath, { force: true }).catch(() => {});
    throw e;
  } finally {
    await src.close().catch(() => {});
  }
}

/** The mode a file created with 0666 gets under the current umask (probed by creating it). */
async function freshFileMode(path: string): Promise<number> {
  const fh = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666).catch((e) => Promise.reject(systemError(`cannot create ${path}`, e)));
  try {
    return (await fh.stat()).mode & 0o7777;
  } finally {
    await fh.close();
    // cp must create the file itself: copying onto an existing (even empty) file truncates it,
    // and ext4 then flushes it on close
    await fsp.unlink(path);
  }
}

async function copyWithCp(src: string, dst: string, size: number, opts: JobOptions): Promise<void> {
  const poll = pollCopyProgress(dst, size, opts.onProgress);
  try {
    const res = await execa('cp', ['--reflink=auto', '--sparse=auto', '-T', '--', src, dst], { reject: false, cancelSignal: opts.signal, env: { LC_ALL: 'C' } });
    if (res.isCanceled || opts.signal?.aborted) throw aborted('download', opts.signal);
    if (res.failed) throw storageError(VIR_ERR_SYSTEM_ERROR, `cannot copy to '${dst}': ${String(res.stderr || res.shortMessage).trim()}`);
  } finally {
    if (poll) clearInterval(poll);
  }
}

/**
 * Uploads the local file `srcPath` (at most `length` bytes of it, 0 = all) into the volume file
 * `volPath` from `offset`, never truncating the volume. A file longer than `length` fails
 * after `length` bytes, as the stream does ("No space left on device").
 */
export async function uploadFromFile(srcPath: string, volPath: string, offset: number, length: number, opts: JobOptions = {}): Promise<void> {
  const what = 'upload';
  throwIfAborted(opts.signal, what);
  let src: FileHandle;
  try {
    src = await fsp.open(srcPath, constants.O_RDONLY);
  } catch (e) {
    throw systemError(`cannot read ${srcPath}`, e);
  }
  try {
    const s = await kindOf(src);
    if (s.kind === 'other') {
      // a FIFO or character device: stream it sequentially
      const ws = await openUpload(volPath, offset, length, opts);
      await pipeline(createReadStream('', { fd: src, autoClose: false }), ws).catch((e) =>
        Promise.reject(opts.signal?.aborted ? aborted(what, opts.signal) : e),
      );
      return;
    }
    const srcSize = await sizeOf(src, s.kind, s.size);
    const n = length > 0 ? Math.min(length, srcSize) : srcSize;
    let dst: FileHandle;
    try {
      dst = await fsp.open(volPath, constants.O_WRONLY);
    } catch (e) {
      throw systemError(`Unable to open '${volPath}'`, e);
    }
    try {
      const d = await kindOf(dst);
      await copyRange(src, dst, volPath, 0, offset, n, s.kind === 'file' && d.kind === 'file', opts, what);
    } finally {
      await dst.close();
    }
    if (length > 0 && srcSize > length) {
      throw storageError(VIR_ERR_SYSTEM_ERROR, 'cannot write to stream: No space left on device');
    }
  } finally {
    await src.close().catch(() => {});
  }
}
