/**
 * Byte copying for clones, wipes and streams: large buffers, sparse-aware (zero chunks are
 * skipped on fresh files and left as holes), reflink when asked, progress and AbortSignal.
 */
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { JobOptions } from '@virtkit/core';
import { systemError, throwIfAborted } from './util.js';

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

async function writeFull(fh: FileHandle, buf: Buffer, off: number, len: number, pos: number): Promise<void> {
  let w = 0;
  while (w < len) w += (await fh.write(buf, off + w, len - w, pos + w)).bytesWritten;
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
 * Copies bytes from `src` to `dst` (open handles) with an 8 MiB buffer. Returns the number
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
 * Clones a whole regular file to a new path: a reflink when `reflink` is set (fails when
 * the file system cannot), else a sparse-aware chunked copy. The destination must not exist;
 * on failure it is removed.
 */
export async function cloneFile(srcPath: string, dstPath: string, mode: number, opts: CopyOptions & { reflink?: boolean } = {}): Promise<void> {
  if (opts.reflink) {
    try {
      await fsp.copyFile(srcPath, dstPath, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
      await fsp.chmod(dstPath, mode);
      const { size } = await fsp.stat(dstPath);
      opts.onProgress?.(size, size);
      return;
    } catch (e) {
      await fsp.rm(dstPath, { force: true }).catch(() => {});
      throw systemError(`failed to clone files from '${srcPath}'`, e);
    }
  }
  let src: FileHandle | undefined;
  let dst: FileHandle | undefined;
  let created = false;
  try {
    const s = await fsp.open(srcPath, 'r').catch((e) => Promise.reject(systemError(`cannot open volume '${srcPath}'`, e)));
    src = s;
    const { size } = await s.stat();
    const d = await fsp.open(dstPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode).catch((e) =>
      Promise.reject(systemError(`cannot create file '${dstPath}'`, e)),
    );
    dst = d;
    created = true;
    await copyData(s, d, size, { ...opts, sparse: opts.sparse ?? true });
    await d.truncate(size);
    await d.chmod(mode);
  } catch (e) {
    await dst?.close().catch(() => {});
    dst = undefined;
    if (created) await fsp.rm(dstPath, { force: true }).catch(() => {});
    throw systemError(`failed to copy '${srcPath}' to '${dstPath}'`, e);
  } finally {
    await src?.close().catch(() => {});
    await dst?.close().catch(() => {});
  }
}
