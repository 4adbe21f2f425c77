/**
 * What `qemu-img info` said about a regular file, kept while the file has not changed, so that
 * a pool refresh spawns qemu-img only for files that are new or were written since (a spawn
 * costs 5-10 ms; a refresh of five unchanged files took 24-35 ms here, now a few stats).
 *
 * A file counts as unchanged while its device, inode, size, mtime and ctime are the same. ctime
 * cannot be set from user space, so a rewrite that restores the mtime is still seen. The kernel
 * stamps times from a clock that advances once per tick (1-10 ms), so a write in the same tick
 * as the probe could leave every stamp as it was: as git does with "racy" index entries, files
 * changed in the last RACY_NS before the probe are not kept. Block devices are never kept: a
 * write to the device does not change the times of its /dev node.
 */
import type { BigIntStats } from 'node:fs';

/** Files changed this recently (ns) before their probe are probed again next time. */
const RACY_NS = 100_000_000n;

/** Entries kept at most (one per file path probed); the oldest go first. */
const MAX_ENTRIES = 10_000;

const kept = new Map<string, { stamp: string; value: unknown }>();

function stampOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The probe result kept for `path` if the file (stat `st`) has not changed since. */
export function keptProbe<T>(path: string, st: BigIntStats): T | undefined {
  const e = kept.get(path);
  if (!e) return undefined;
  if (e.stamp === stampOf(st)) return e.value as T;
  kept.delete(path);
  return undefined;
}

/**
 * Keeps `value`, the probe of the regular file `path` whose stat before the probe was `st`,
 * started at `probedAtNs` (wall clock, ns).
 */
export function keepProbe(path: string, st: BigIntStats, value: unknown, probedAtNs: bigint): void {
  if (!st.isFile() || st.ctimeNs > probedAtNs - RACY_NS || st.mtimeNs > probedAtNs - RACY_NS) {
    kept.delete(path);
    return;
  }
  if (kept.size >= MAX_ENTRIES) kept.delete(kept.keys().next().value as string);
  kept.set(path, { stamp: stampOf(st), value });
}

/** Forgets what was kept for `path` (the file is gone). */
export function forgetProbe(path: string): void {
  kept.delete(path);
}

/** The wall clock in ns, as file times are stamped. */
export function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
