/**
 * Volume wiping as libvirt's storageBackendVolWipeLocal: zero (sparse files are emptied by
 * truncation, everything else overwritten with zeros), libvirt's 'random' algorithm (one
 * pass of random data, done here natively), other scrub(1) patterns through `scrub`.
 */
import { constants, promises as fsp } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import type { JobOptions } from '@virtkit/core';
import { COPY_CHUNK, writeFull } from './copy.js';
import {
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_SUPPORT,
  VIR_STORAGE_VOL_WIPE_ALG_RANDOM,
  VIR_STORAGE_VOL_WIPE_ALG_TRIM,
  VIR_STORAGE_VOL_WIPE_ALG_ZERO,
  WIPE_ALGORITHM_NAMES,
} from './constants.js';
import { run, storageError, systemError, throwIfAborted } from './util.js';

/** Validates a wipe algorithm number (INVALID_ARG when out of range). */
export function checkWipeAlgorithm(algorithm: number): void {
  if (!Number.isInteger(algorithm) || algorithm < 0 || algorithm >= WIPE_ALGORITHM_NAMES.length) {
    throw storageError(VIR_ERR_INVALID_ARG, `wiping algorithm ${algorithm} not supported`);
  }
  if (algorithm === VIR_STORAGE_VOL_WIPE_ALG_TRIM) {
    throw storageError(VIR_ERR_NO_SUPPORT, "'trim' algorithm not supported");
  }
}

/**
 * Wipes `length` bytes of the file or block device at `path` with `algorithm`.
 * Progress is reported per chunk; abort is honoured between chunks.
 */
export async function wipePath(path: string, algorithm: number, opts: JobOptions & { length?: number } = {}): Promise<void> {
  checkWipeAlgorithm(algorithm);
  if (algorithm !== VIR_STORAGE_VOL_WIPE_ALG_ZERO && algorithm !== VIR_STORAGE_VOL_WIPE_ALG_RANDOM) {
    await run('scrub', ['-f', '-p', WIPE_ALGORITHM_NAMES[algorithm], path], { signal: opts.signal });
    return;
  }
  let fh;
  try {
    fh = await fsp.open(path, constants.O_WRONLY);
  } catch (e) {
    throw systemError(`Failed to open storage volume with path '${path}'`, e);
  }
  try {
    const st = await fh.stat();
    const total = opts.length ?? st.size;
    if (algorithm === VIR_STORAGE_VOL_WIPE_ALG_ZERO && st.isFile() && st.blocks < st.size / 512) {
      // A sparse file: emptying and re-extending it zeroes it without writing (libvirt does the same).
      opts.onProgress?.(0, total);
      await fh.truncate(0);
      await fh.truncate(st.size);
      opts.onProgress?.(total, total);
      return;
    }
    const buf = Buffer.alloc(COPY_CHUNK);
    let done = 0;
    opts.onProgress?.(0, total);
    while (done < total) {
      throwIfAborted(opts.signal, 'volume wipe');
      const n = Math.min(buf.length, total - done);
      if (algorithm === VIR_STORAGE_VOL_WIPE_ALG_RANDOM) randomFillSync(buf, 0, n);
      await writeFull(fh, buf, 0, n, done);
      done += n;
      opts.onProgress?.(done, total);
    }
    await fh.datasync();
  } catch (e) {
    throw systemError(`Failed to wipe vol with path '${path}'`, e);
  } finally {
    await fh.close();
  }
}
