/**
 * The driver registry: drivers registered at run time, and built-in drivers found by URI scheme
 * and loaded lazily by dynamic import, so `connect('test:///default')` needs no other import
 * and core has no package dependency on any driver.
 */
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_INVALID_ARG } from './constants/error-codes.js';
import { VIR_FROM_NONE } from './constants/error-domains.js';
import { VirtError, virtError } from './errors.js';
import type { ConnectURI, VirtDriver } from './spi.js';

/** Built-in primary drivers: URI scheme -> package exporting `driver: VirtDriver`. */
export const BUILTIN_DRIVERS: Readonly<Record<string, string>> = Object.freeze({
  test: '@virtkit/driver-test',
  qemu: '@virtkit/driver-qemu',
  storage: '@virtkit/driver-storage',
});

/**
 * Built-in packages also tried as secondary drivers, with the URI schemes they may serve: the
 * package is imported only for those schemes (imports cost time), then its `accepts()` decides.
 */
export const BUILTIN_SECONDARY_DRIVERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  '@virtkit/driver-storage': Object.freeze(['qemu', 'lxc', 'uml']),
});

/** Loads the module of a built-in driver package (`{ driver }`), as `import(spec)` would. */
export type BuiltinDriverModuleLoader = () => Promise<{ driver?: unknown }>;

interface RegistryState {
  primaries: Map<string, VirtDriver>;
  secondaries: VirtDriver[];
  /** Import outcome per built-in package: the driver, or why it is unavailable. */
  builtinCache: Map<string, Promise<VirtDriver | Error>>;
  /** Modules of built-in packages supplied by the application (see provideBuiltinDriver). */
  provided?: Map<string, BuiltinDriverModuleLoader>;
  warnedBroken: Set<string>;
}

/**
 * One registry per process, even when core is loaded twice (CJS and ESM copies under test
 * runners): a driver registered through one copy must be found by connect() of the other.
 */
const STATE_KEY = Symbol.for('virtkit.registry');
const state: RegistryState = ((globalThis as Record<symbol, unknown>)[STATE_KEY] as RegistryState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STATE_KEY] = {
    primaries: new Map(),
    secondaries: [],
    builtinCache: new Map(),
    warnedBroken: new Set(),
  } satisfies RegistryState) as RegistryState;
const { primaries, secondaries, builtinCache, warnedBroken } = state;
// a state made by an older copy of core has no such map
const provided = (state.provided ??= new Map());

function validate(driver: VirtDriver): void {
  const ok =
    driver !== null &&
    typeof driver === 'object' &&
    typeof driver.name === 'string' &&
    Array.isArray(driver.schemes) &&
    typeof driver.open === 'function';
  if (!ok) {
    throw new VirtError(VIR_ERR_INVALID_ARG, 'driver in registerDriver must have a name, schemes and open()', {
      domain: VIR_FROM_NONE,
    });
  }
}

/**
 * Registers a driver: as primary for each of its `schemes` (replacing a previous driver of that
 * scheme, so applications and tests can override built-ins), and as secondary when it has
 * `accepts()`. Registering the same driver twice is harmless.
 */
export function registerDriver(driver: VirtDriver): void {
  validate(driver);
  for (const scheme of driver.schemes) primaries.set(scheme, driver);
  if (typeof driver.accepts === 'function' && !secondaries.includes(driver)) secondaries.push(driver);
}

/**
 * Supplies the module of the built-in driver package `spec` (a key of BUILTIN_DRIVERS or
 * BUILTIN_SECONDARY_DRIVERS): the registry calls `load` where it would `import(spec)`, on first
 * use, and treats the result as that package. For bundled applications, which carry the
 * drivers inside the bundle and cannot import packages by name: `load` is typically
 * `() => import('@virtkit/driver-qemu')`, which a bundler resolves at build time. Only a
 * package not loaded yet is affected.
 */
export function provideBuiltinDriver(spec: string, load: BuiltinDriverModuleLoader): void {
  provided.set(spec, load);
}

/** Removes a driver registered with registerDriver() (built-ins come back on next use). */
export function unregisterDriver(driver: VirtDriver): void {
  for (const [scheme, d] of primaries) if (d === driver) primaries.delete(scheme);
  const i = secondaries.indexOf(driver);
  if (i >= 0) secondaries.splice(i, 1);
  for (const [spec, p] of builtinCache) {
    void p.then((d) => {
      if (d === driver) builtinCache.delete(spec);
    });
  }
}

/** The drivers registered so far (built-ins appear once loaded). */
export function registeredDrivers(): VirtDriver[] {
  return [...new Set([...primaries.values(), ...secondaries])];
}

function isMissingPackage(err: unknown, spec: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    err instanceof Error &&
    err.message.includes(spec)
  );
}

async function importBuiltin(spec: string): Promise<VirtDriver | Error> {
  let mod: { driver?: VirtDriver };
  try {
    const load = provided.get(spec);
    // A string variable, so neither tsc nor bundlers turn this into a static dependency.
    const target: string = spec;
    mod = (await (load ? load() : import(target))) as { driver?: VirtDriver };
  } catch (err) {
    if (isMissingPackage(err, spec)) return new Error(`driver package '${spec}' is not installed`);
    // The package exists but fails to load: a bug worth surfacing, not a missing driver.
    return new VirtError(VIR_ERR_INTERNAL_ERROR, `internal error: cannot load driver package '${spec}': ${String(err)}`, {
      detail: `cannot load driver package '${spec}'`,
      cause: err,
    });
  }
  if (!mod.driver) return new Error(`driver package '${spec}' does not export 'driver'`);
  validate(mod.driver);
  return mod.driver;
}

/**
 * Loads a built-in driver package once and registers its driver (without overriding a driver
 * an application registered for the same scheme). Resolves to the driver, or to an Error
 * saying why it is unavailable; rejects only when the package exists but is broken.
 */
export async function loadBuiltinDriver(spec: string): Promise<VirtDriver | Error> {
  let pending = builtinCache.get(spec);
  if (!pending) {
    pending = importBuiltin(spec);
    builtinCache.set(spec, pending);
  }
  const result = await pending;
  if (result instanceof VirtError) throw result;
  if (!(result instanceof Error)) {
    for (const scheme of result.schemes) if (!primaries.has(scheme)) primaries.set(scheme, result);
    if (typeof result.accepts === 'function' && !secondaries.includes(result)) secondaries.push(result);
  }
  return result;
}

/**
 * The primary driver for `scheme`: a registered one, else the built-in one (loaded now).
 * Resolves to the driver, or to a string saying why there is none.
 */
export async function findPrimaryDriver(scheme: string): Promise<VirtDriver | string> {
  const registered = primaries.get(scheme);
  if (registered) return registered;
  const spec = Object.hasOwn(BUILTIN_DRIVERS, scheme) ? BUILTIN_DRIVERS[scheme] : undefined;
  if (!spec) return `no driver registered for scheme '${scheme}'`;
  const loaded = await loadBuiltinDriver(spec);
  if (loaded instanceof Error) return loaded.message;
  return primaries.get(scheme) ?? `driver package '${spec}' does not serve scheme '${scheme}'`;
}

/** Secondary drivers (other than `primary`) that accept `uri`, built-ins loaded first. */
export async function findSecondaryDrivers(uri: ConnectURI, primary: VirtDriver): Promise<VirtDriver[]> {
  for (const [spec, schemes] of Object.entries(BUILTIN_SECONDARY_DRIVERS)) {
    if (!schemes.includes(uri.scheme)) continue;
    try {
      await loadBuiltinDriver(spec);
    } catch (err) {
      // A broken optional secondary must not break connections to other drivers; say so once.
      if (!warnedBroken.has(spec)) {
        warnedBroken.add(spec);
        console.warn(`virtkit: secondary driver package '${spec}' failed to load:`, err);
      }
    }
  }
  return secondaries.filter((d) => {
    if (d === primary) return false;
    try {
      return d.accepts!(uri);
    } catch (err) {
      throw virtError(VIR_ERR_INTERNAL_ERROR, `driver '${d.name}' accepts() threw: ${String(err)}`);
    }
  });
}
