/**
 * Drivers the vksh bundle carries inside itself. Core finds built-in drivers by importing
 * their packages at run time; the bundled bin instead registers its own lazily split copy
 * (bundle/entry.ts), so a start-up loads one small chunk rather than a package tree.
 */

/** Loads a driver module (`{ driver }`) for a URI scheme. */
export type DriverModuleLoader = () => Promise<{ driver: unknown }>;

const loaders = new Map<string, DriverModuleLoader>();

/** Declares how to load the driver of `scheme` (called by the bundle's entry). */
export function setDriverLoader(scheme: string, loader: DriverModuleLoader): void {
  loaders.set(scheme, loader);
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
