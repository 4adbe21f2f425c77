/**
 * Byte copying for clones, wipes and streams: large buffers, sparse-aware (zero chunks are
 * skipped on fresh files and left as holes), reflink when asked, progress and AbortSignal.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { JobOptions } from '@virtkit/core';
import { VIR_ERR_OPERATION_UNSUPPORTED } from './constants.js';
import { run, storageError, systemError, throwIfAborted } from './util.js';
import { copyWithXfsIo, mayReflink } from './xfs-copy.js';

/** Prefix of the driver's temporary files in pool directories (never listed as volumes). */
export const TMP_PREFIX = '.virtkit-tmp-';

/** Chunk size for copies and streams: large enough to keep syscall overhead negligible. */
export const COPY_CHUNK = 8 * 1024 * 1024;

const ZERO_CHUNK = Buffer.alloc(COPY_CHUNK);

/** Whether `buf[0..len)` is all zero bytes. */
export function isZero(buf: Buffer, len = buf.length): boolean {
  for (let off = 0; off < len; off += ZERO_CHUNK.length) {
    const n = Math.min(ZERO_CHUNK.length, len - off);
    if (buf.compare(ZERO_CHUNK, 0, n, off, off + n) !== 0) return false;
  }
  return true;
}

/** Granularity of hole detection in sparse copies. */
const SPARSE_BLOCK = 64 * 1024;

/**
 * Most bytes handed to one write(2). Linux sizes the page-cache folios a buffered write
 * allocates after the write: writes of 2 MiB and more get 2 MiB folios, and on a VM with free
 * page reporting (virtio-balloon, as on the bench machine) those come from memory the host has
 * taken back and faults in again, 5-10x slower. Measured, 512 MiB into a new file: dd bs=8M
 * 1.3-1.8 s vs bs=1M 0.14-0.32 s; the upload stream fed 8 MiB buffers 1.3-1.6 s as one writev per
 * buffer vs 0.19-0.27 s in 1 MiB writes. Smaller pieces gain nothing (256 KiB and 512 KiB
 * measure the same as 1 MiB) and cost more calls.
 */
export const WRITE_MAX = 1024 * 1024;

/** Writes `buf[off..off+len)` at `pos`, in write(2) calls of at most WRITE_MAX bytes. */
export async function writeFull(fh: FileHandle, buf: Buffer, off: number, len: number, pos: number): Promise<void> {
  let w = 0;
  while (w < len) w += (await fh.write(buf, off + w, Math.min(len - w, WRITE_MAX), pos + w)).bytesWritten;
}

/** Options of copyData. */
export interface CopyOptions extends JobOptions {
  /** Skip writing zero chunks (the destination range must read as zeros already: a fresh file). */
  sparse?: boolean;
  /** Bytes to copy (default: until the source's end). */
  length?: number;
  /** Offset in the source and destination (default 0). */
  srcOffset?: number;
  dstOffset?: number;
  /** Text naming the job for abort messages. */
  what?: string;
}

/**
 * Copies bytes from `src` to `dst` (open handles) through an 8 MiB buffer (read at once,
 * written in WRITE_MAX pieces). Returns the number
 * of bytes copied. Progress is reported after every chunk; abort is checked between chunks.
 */
export async function copyData(src: FileHandle, dst: FileHandle, total: number, opts: CopyOptions = {}): Promise<number> {
  const buf = Buffer.allocUnsafe(COPY_CHUNK);
  let done = 0;
  const srcOff = opts.srcOffset ?? 0;
  const dstOff = opts.dstOffset ?? 0;
  const limit = opts.length ?? total;
  opts.onProgress?.(0, limit);
  while (done < limit) {
    throwIfAborted(opts.signal, opts.what ?? 'copy');
    const want = Math.min(COPY_CHUNK, limit - done);
    const { bytesRead } = await src.read(buf, 0, want, srcOff + done);
    if (bytesRead === 0) break;
    if (!opts.sparse) await writeFull(dst, buf, 0, bytesRead, dstOff + done);
    else {
      // write only the runs of non-zero blocks; zero blocks stay holes
      let runStart = -1;
      for (let off = 0; off < bytesRead; off += SPARSE_BLOCK) {
        const end = Math.min(off + SPARSE_BLOCK, bytesRead);
        const zero = buf.compare(ZERO_CHUNK, 0, end - off, off, end) === 0;
        if (!zero && runStart < 0) runStart = off;
        if (zero && runStart >= 0) {
          await writeFull(dst, buf, runStart, off - runStart, dstOff + done + runStart);
          runStart = -1;
        }
      }
      if (runStart >= 0) await writeFull(dst, buf, runStart, bytesRead - runStart, dstOff + done + runStart);
    }
    done += bytesRead;
    opts.onProgress?.(done, limit);
  }
  return done;
}

/**
 * Clones a whole regular file to a new path. A source with holes, or on a file system that may
 * have reflinks, is copied with `cp --reflink=auto --sparse=auto` (`--reflink=always` when
 * `reflink` is set): a reflink where the file system has them, else an in-kernel copy
 * (copy_file_range) with holes kept; progress is the file's size, polled. Any other source is
 * copied by a pooled xfs_io co-process (xfs-copy.ts), with no process start, progress every
 * 64 MiB. Either writes a fresh temporary file next to the destination (never an existing
 * file: ext4 flushes files truncated and rewritten), which is then linked to `dstPath` without
 * replacing anything (EEXIST if a file appeared there) and unlinked. Abort kills the copy.
 * Without cp or xfs_io, a sparse-aware 8 MiB-chunk copy does the work. On failure nothing is
 * left behind.
 */
export async function cloneFile(srcPath: string, dstPath: string, mode: number, opts: CopyOptions & { reflink?: boolean } = {}): Promise<void> {
  const tmp = join(dirname(dstPath), `${TMP_PREFIX}${randomBytes(6).toString('hex')}`);
  let linked = false;
  try {
    const st = await fsp.stat(srcPath).catch((e) => Promise.reject(systemError(`cannot open volume '${srcPath}'`, e)));
    const size = st.size;
    throwIfAborted(opts.signal, opts.what ?? 'copy');
    opts.onProgress?.(0, size);
    // no holes to keep and no reflink possible: the pooled xfs_io copy, with no process start
    const plain = !opts.reflink && st.blocks * 512 >= size && !mayReflink(srcPath);
    const copied = plain && (await copyInCoProcess(srcPath, tmp, dstPath, size, opts));
    if (!copied && !(await copyWithCp(srcPath, tmp, size, opts))) {
      if (opts.reflink) throw storageError(VIR_ERR_OPERATION_UNSUPPORTED, 'reflink clones need cp(1)');
      await copyChunked(srcPath, tmp, size, opts);
    }
    await fsp.chmod(tmp, mode);
    await fsp.link(tmp, dstPath).catch((e) => Promise.reject(systemError(`cannot create file '${dstPath}'`, e)));
    linked = true;
    await fsp.unlink(tmp);
    opts.onProgress?.(size, size);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    if (linked) await fsp.rm(dstPath, { force: true }).catch(() => {});
    throw systemError(`failed to clone '${srcPath}' to '${dstPath}'`, e);
  }
}

/**
 * Reports an external copy's progress (cp has none to give) from the size of `dst`, every 100 ms;
 * the caller clears the returned timer.
 */
export function pollCopyProgress(dst: string, size: number, onProgress: JobOptions['onProgress']): NodeJS.Timeout | undefined {
  if (!onProgress) return undefined;
  return setInterval(() => {
    fsp.stat(dst).then((st) => onProgress(Math.min(st.size, size), size), () => {});
  }, 100);
}

/** Runs cp to the new file `dst`; false when cp is not available. */
async function copyWithCp(src: string, dst: string, size: number, opts: CopyOptions & { reflink?: boolean }): Promise<boolean> {
  const poll = pollCopyProgress(dst, size, opts.onProgress);
  try {
    await run('cp', [`--reflink=${opts.reflink ? 'always' : 'auto'}`, '--sparse=auto', '--', src, dst], { signal: opts.signal });
    return true;
  } catch (e) {
    if ((e as { message?: string }).message?.includes("Cannot find 'cp'")) return false;
    throw e;
  } finally {
    if (poll) clearInterval(poll);
  }
}

/**
 * Opens `srcPath`, creates the new file `dstPath` (mode 0600) and runs `copy` on both; the new
 * file is removed again when `copy` fails or returns false.
 */
async function copyIntoNewFile(srcPath: string, dstPath: string, copy: (src: FileHandle, dst: FileHandle) => Promise<boolean>): Promise<boolean> {
  const s = await fsp.open(srcPath, 'r');
  let copied = false;
  try {
    const d = await fsp.open(dstPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      copied = await copy(s, d);
    } finally {
      await d.close();
      if (!copied) await fsp.rm(dstPath, { force: true });
    }
  } finally {
    await s.close();
  }
  return copied;
}

/** Copies `srcPath` into the new file `tmp` in an xfs_io co-process; false (nothing left at `tmp`) when it cannot. */
function copyInCoProcess(srcPath: string, tmp: string, dstPath: string, size: number, opts: CopyOptions): Promise<boolean> {
  return copyIntoNewFile(srcPath, tmp, (s, d) => copyWithXfsIo(s, d, dstPath, 0, 0, size, opts, opts.what ?? 'copy'));
}

/** The fallback: a sparse-aware chunked copy into the new file `dst`. */
async function copyChunked(srcPath: string, dstPath: string, size: number, opts: CopyOptions): Promise<void> {
  await copyIntoNewFile(srcPath, dstPath, async (s, d) => {
    await copyData(s, d, size, { ...opts, sparse: opts.sparse ?? true });
    await d.truncate(size);
    return true;
  });
}
