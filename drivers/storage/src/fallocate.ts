/**
 * Preallocation (libvirt's safezero / posix_fallocate) without a native addon: Node has no
 * fallocate(2), so the long-lived `xfs_io` co-process of xfs-io.ts runs `falloc` commands, and
 * the result is verified with stat(2). When xfs_io or stdbuf is missing, or the path cannot be
 * quoted for xfs_io, `fallocate(1)` is spawned.
 */
import { statSync } from 'node:fs';
import { run } from './util.js';
import { fallocateIo as xfsIo } from './xfs-io.js';

/** Wakes the preallocation co-process ahead of a likely fallocate (see XfsIo.wake). */
export function wakeFallocate(): void {
  xfsIo.wake();
}

/**
 * Allocates [offset, offset+length) of the regular file at `path` (extending it when needed),
 * as posix_fallocate. Throws VirtError on failure.
 */
export async function fallocate(path: string, offset: number, length: number, signal?: AbortSignal): Promise<void> {
  if (length <= 0) return;
  if (xfsIo.state !== 'unavailable' && !/[\s"'\\]/.test(path)) {
    try {
      const { err } = await xfsIo.exec([`open ${path}`, `falloc ${offset} ${length}`, 'close']);
      // a stat is microseconds; a thread-pool round trip would cost more than the syscall
      const after = statSync(path);
      if (!err.trim() && after.size >= offset + length) return;
    } catch {
      // fall back to fallocate(1), which reports the error in libvirt's style
    }
  }
  await run('fallocate', ['-o', String(offset), '-l', String(length), path], { signal });
}
