/**
 * Upload and download streams over a volume's bytes (virStorageVolUpload/Download): Node
 * Writable/Readable with offset and length, progress and AbortSignal (downloads in 1 MiB chunks).
 */
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import type { JobOptions } from '@virtkit/core';
import { COPY_CHUNK } from './copy.js';

/**
 * Download chunk size. Every chunk is a fresh buffer (the consumer owns what it is pushed), so
 * the size decides what allocation costs (large buffers are likely to be fresh mappings that
 * fault in page by page; smaller ones are more often recycled by the allocator).
 * Measured (512 MiB to a file, 2 shared cores): 1 MiB 0.25-0.29 s vs 4 MiB 0.59-0.81 s in a plain
 * read-and-push loop; through the driver, medians 0.72 vs 0.93 s on a loaded machine.
 */
export const DOWNLOAD_CHUNK = 1024 * 1024;
import { VIR_ERR_SYSTEM_ERROR } from './constants.js';
import { aborted, storageError, systemError } from './util.js';


/**
 * Opens `path` for reading and returns a stream of `length` bytes from `offset`
 * (length 0 = to the end of the file or device). `onDone` runs after the stream ends.
 */
export async function openDownload(path: string, offset: number, length: number, opts: JobOptions = {}): Promise<Readable> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY);
  } catch (e) {
    throw systemError(`Unable to open '${path}'`, e);
  }
  let size: number;
  try {
    const st = await fh.stat();
    size = st.isBlockDevice() ? await deviceSize(fh) : st.size;
  } catch (e) {
    await fh.close();
    throw systemError(`Unable to access '${path}'`, e);
  }
  const end = length > 0 ? Math.min(offset + length, size) : size;
  const total = Math.max(0, end - offset);
  let pos = offset;
  const signal = opts.signal;
  const stream = new Readable({
    // room for reading ahead while the consumer writes the previous chunk
    highWaterMark: 4 * DOWNLOAD_CHUNK,
    read() {
      if (signal?.aborted) {
        this.destroy(aborted('download', signal));
        return;
      }
      if (pos >= end) {
        this.push(null);
        return;
      }
      const buf = Buffer.allocUnsafe(Math.min(DOWNLOAD_CHUNK, end - pos));
      fh.read(buf, 0, buf.length, pos).then(
        ({ bytesRead }) => {
          if (bytesRead === 0) {
            this.push(null);
            return;
          }
          pos += bytesRead;
          opts.onProgress?.(pos - offset, total);
          this.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
        },
        (e) => this.destroy(systemError(`cannot read from '${path}'`, e)),
      );
    },
    destroy(err, cb) {
      fh.close().then(() => cb(err), () => cb(err));
    },
  });
  const onAbort = () => stream.destroy(aborted('download', signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal?.removeEventListener('abort', onAbort));
  return stream;
}

/** The size of the block device open as `fh`. */
export async function deviceSize(fh: FileHandle): Promise<number> {
  // Block devices report st_size 0: find the end by reading the last sector via a binary search.
  let lo = 0;
  let hi = 1;
  const b = Buffer.alloc(1);
  while ((await fh.read(b, 0, 1, hi * 512 - 1)).bytesRead === 1) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await fh.read(b, 0, 1, mid * 512 - 1)).bytesRead === 1) lo = mid;
    else hi = mid;
  }
  return lo * 512;
}

/**
 * Opens `path` for writing and returns a Writable that stores bytes from `offset`, at most
 * `length` of them (0 = no limit; writing past the limit fails as libvirt's "cannot write to
 * stream: No space left on device"). `onFinish` runs after the last byte is written.
 */
export async function openUpload(
  path: string,
  offset: number,
  length: number,
  opts: JobOptions & { onFinish?: () => Promise<void> } = {},
): Promise<Writable> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, constants.O_WRONLY);
  } catch (e) {
    throw systemError(`Unable to open '${path}'`, e);
  }
  let pos = offset;
  const limit = length > 0 ? offset + length : Infinity;
  const signal = opts.signal;
  const total = length > 0 ? length : 0;
  const writeAll = async (chunks: Buffer[]): Promise<void> => {
    if (signal?.aborted) throw aborted('upload', signal);
    let n = 0;
    for (const c of chunks) n += c.length;
    if (pos + n > limit) {
      throw storageError(VIR_ERR_SYSTEM_ERROR, 'cannot write to stream: No space left on device');
    }
    let left = n;
    let at = pos;
    let bufs = chunks;
    while (left > 0) {
      const { bytesWritten } = await fh.writev(bufs, at);
      left -= bytesWritten;
      at += bytesWritten;
      if (left > 0) bufs = [Buffer.concat(bufs).subarray(n - left)];
    }
    pos += n;
    opts.onProgress?.(pos - offset, total || pos - offset);
  };
  const stream = new Writable({
    highWaterMark: 4 * COPY_CHUNK,
    writev(chunks, cb) {
      writeAll(chunks.map((c) => c.chunk as Buffer)).then(() => cb(), (e) => cb(wrap(e)));
    },
    write(chunk: Buffer, _enc, cb) {
      writeAll([chunk]).then(() => cb(), (e) => cb(wrap(e)));
    },
    final(cb) {
      // like libvirt's fdstream (and cp), no fsync: the data is in the page cache, durable on writeback
      fh.close()
        .then(() => opts.onFinish?.())
        .then(() => cb(), (e) => cb(wrap(e)));
    },
    destroy(err, cb) {
      fh.close().then(() => cb(err), () => cb(err));
    },
  });
  const wrap = (e: unknown): Error => systemError(`cannot write to '${path}'`, e);
  const onAbort = () => stream.destroy(aborted('upload', signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal?.removeEventListener('abort', onAbort));
  return stream;
}
