/**
 * Drivers the vksh bundle carries inside itself. Core finds built-in drivers by importing
 * their packages at run time; the bundled bin instead registers its own lazily split copy
 * (bundle/entry.ts), so a start-up loads one small chunk rather than a package tree.
 */

/** Loads a driver module (`{ driver }`) for a URI scheme. */
export type DriverModuleLoader = () => Promise<{ driver: unknown }>;

const loaders = new Map<string, DriverModuleLoader>();
/** Schemes the running bundle carries; undefined when vksh runs unbundled. */
let bundled: Set<string> | undefined;

/** Declares how to load the driver of `scheme` (called by the bundle's entry). */
export function setDriverLoader(scheme: string, loader: DriverModuleLoader): void {
  loaders.set(scheme, loader);
  (bundled ??= new Set()).add(scheme);
}

/** Whether this process runs the bundled bin (which carries only in-memory drivers). */
export function isBundled(): boolean {
  return bundled !== undefined;
}

/**
 * Why `uri` cannot be opened by this process, if so: the bundled bin cannot import other
 * drivers (each would bring its own copy of core), so `connect` to them in a bundled shell
 * is refused with a hint instead of failing obscurely.
 */
export function bundleRefusal(uri: string | undefined): string | undefined {
  if (!bundled) return undefined;
  const scheme = uriScheme(uri);
  if (scheme !== undefined && bundled.has(scheme)) return undefined;
  return `this vksh session runs the bundle with the ${[...bundled].join(', ')} driver only: start vksh with -c ${uri ?? 'URI'}`;
}

/** The scheme of a URI: `test` in `test:///default`, `qemu` in `qemu+ssh://h/system`. */
export function uriScheme(uri: string | undefined): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9.-]*)(?:\+[^:]*)?:/.exec(uri ?? '');
  return m?.[1];
}

/** Registers the bundled driver for `uri`'s scheme with core, when the bundle has one. */
export async function registerBundledDriver(
  registerDriver: ((driver: never) => void) | undefined,
  uri: string | undefined,
): Promise<void> {
  const scheme = uriScheme(uri);
  const loader = scheme === undefined ? undefined : loaders.get(scheme);
  if (!loader || !registerDriver) return;
  loaders.delete(scheme!);
  const mod = await loader();
  registerDriver(mod.driver as never);
}
