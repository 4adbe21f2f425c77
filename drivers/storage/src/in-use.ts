/**
 * "Is this volume in use?" — the hook other drivers register so that the storage driver can
 * refuse to delete a volume a running domain uses (VIR_ERR_OPERATION_INVALID; libvirt itself
 * does not check this).
 *
 * Drivers never import each other, so the registry lives on `globalThis` under the symbol
 * `Symbol.for('@virtkit/storage:volume-in-use')`: a Set of checker functions. A hypervisor
 * driver registers without importing this package:
 *
 * ```ts
 * const key = Symbol.for('@virtkit/storage:volume-in-use');
 * const g = globalThis as { [k: symbol]: Set<VolumeInUseChecker> | undefined };
 * (g[key] ??= new Set()).add(async (path) => runningDomainUsing(path)?.name);
 * ```
 *
 * or, when it may depend on this package, with `registerVolumeInUseChecker(fn)`, which
 * returns the function that unregisters it.
 */

/**
 * Answers whether `path` (a volume's absolute path, symlinks resolved as the volume was
 * found) is used by a running domain: the domain's name when it is, undefined when not.
 */
export type VolumeInUseChecker = (path: string) => Promise<string | undefined> | string | undefined;

/** The globalThis key of the checker set. */
export const VOLUME_IN_USE_KEY: unique symbol = Symbol.for('@virtkit/storage:volume-in-use') as never;

function checkers(): Set<VolumeInUseChecker> {
  const g = globalThis as unknown as { [k: symbol]: Set<VolumeInUseChecker> | undefined };
  return (g[VOLUME_IN_USE_KEY] ??= new Set());
}

/** Registers a checker; returns a function that removes it again. */
export function registerVolumeInUseChecker(fn: VolumeInUseChecker): () => void {
  checkers().add(fn);
  return () => {
    checkers().delete(fn);
  };
}

/** Asks every registered checker; returns the first domain name using `path`, if any. */
export async function volumeUser(path: string): Promise<string | undefined> {
  for (const fn of [...checkers()]) {
    const who = await fn(path);
    if (who) return who;
  }
  return undefined;
}
