/**
 * Atomic file writes: write a sibling temp file, fsync, rename over the target. A reader sees
 * the old or the new content, never a torn one, even if the writer is killed mid-way.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { writeFileSync, renameSync, fsyncSync, openSync, closeSync } from 'node:fs';

let counter = 0;

function tempName(path: string): string {
  return `${path}.tmp-${process.pid}-${++counter}`;
}

/**
 * Writes `data` to `path` atomically. `durable` adds an fsync before the rename (definitions);
 * runtime status files skip it: they describe processes that do not survive a host crash
 * anyway, and readers still never see a torn file.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600, durable = true): Promise<void> {
  const tmp = tempName(path);
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Synchronous variant, for exit paths that cannot await. */
export function writeFileAtomicSync(path: string, data: string | Buffer, mode = 0o600): void {
  const tmp = tempName(path);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
