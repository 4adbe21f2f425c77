/**
 * @virtkit/driver-storage: libvirt's storage driver on real storage — `dir`, `fs` and `disk`
 * pools (one backend file each under backends/), volumes as raw or qcow2 images or
 * partitions, pool lifecycle events, persistent definitions and autostart.
 *
 * URIs: `storage:///system` and `storage:///session` (libvirt's modular-daemon URIs), and
 * `storage:///embed?root=DIR`, which keeps every definition and state file under DIR. As a
 * secondary driver it serves `qemu://`, `lxc://` and `uml://` connections (same paths:
 * `qemu:///embed?root=DIR` keeps storage state under DIR too).
 *
 * Where state lives (virtkit's own directories, so that it never fights a running libvirtd):
 * - system: /etc/virtkit/storage (definitions), .../autostart (links), /run/virtkit/storage
 * - session: $XDG_CONFIG_HOME/virtkit/storage, $XDG_RUNTIME_DIR/virtkit/storage
 * - embed: DIR/etc/storage, DIR/etc/storage/autostart, DIR/run/storage
 *
 * Other drivers tell the storage driver which volumes running domains use with
 * {@link registerVolumeInUseChecker} (or the globalThis symbol documented in in-use.ts), and
 * resolve `<source pool='P' volume='V'/>` with {@link resolveVolume} (also published on
 * globalThis, see resolve.ts).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { virtError, type ConnectURI, type DriverConnection, type DriverOpenContext, type StorageDriver, type VirtDriver } from '@virtkit/core';
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_INVALID_ARG, VIR_ERR_NO_CONNECT, VIR_FROM_STORAGE } from './constants.js';
import { PoolOps } from './pool-ops.js';
import { StorageState, type StoragePaths } from './pool-registry.js';
import { makeResolver, VOLUME_RESOLVER_KEY, type VolumeResolver } from './resolve.js';
import { VolOps } from './vol-ops.js';
import { endIdleXfsIo } from './xfs-io.js';

export { registerVolumeInUseChecker, VOLUME_IN_USE_KEY, type VolumeInUseChecker } from './in-use.js';
export { BACKENDS } from './pool-registry.js';
export { VOLUME_RESOLVER_KEY, type ResolvedVolume, type VolumeResolver } from './resolve.js';
export type { PoolBackend, BackendSupport } from './backends/backend.js';
export * from './constants.js';

/** Schemes whose connections get this driver as their storage family. */
const HYPERVISOR_SCHEMES = new Set(['qemu', 'lxc', 'uml']);

/**
 * Where the driver keeps definitions and state for `uri`, or a VirtError for URIs it cannot
 * serve (relative embed roots, unknown paths).
 */
export function storagePaths(uri: ConnectURI): StoragePaths {
  if (uri.path === '/embed') {
    const root = uri.query.root;
    if (!root) throw virtError(VIR_ERR_INVALID_ARG, "URI must have a 'root' parameter for embedded driver", VIR_FROM_STORAGE);
    if (!isAbsolute(root)) throw virtError(VIR_ERR_INVALID_ARG, `root path must be absolute: '${root}'`, VIR_FROM_STORAGE);
    return { configDir: join(root, 'etc/storage'), autostartDir: join(root, 'etc/storage/autostart'), stateDir: join(root, 'run/storage') };
  }
  if (uri.path === '/system' || (uri.path === '' && process.getuid?.() === 0)) {
    return { configDir: '/etc/virtkit/storage', autostartDir: '/etc/virtkit/storage/autostart', stateDir: '/run/virtkit/storage' };
  }
  if (uri.path === '/session' || uri.path === '') {
    const cfg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    const run = process.env.XDG_RUNTIME_DIR || join(homedir(), '.cache');
    return { configDir: join(cfg, 'virtkit/storage'), autostartDir: join(cfg, 'virtkit/storage/autostart'), stateDir: join(run, 'virtkit/storage') };
  }
  throw virtError(VIR_ERR_INTERNAL_ERROR, `unexpected storage URI path '${uri.path}', try storage:///system`, VIR_FROM_STORAGE);
}

/** Driver states by config directory, shared by the connections of this process. */
const states = new Map<string, Promise<StorageState>>();

async function acquire(paths: StoragePaths): Promise<StorageState> {
  let p = states.get(paths.configDir);
  if (!p) {
    p = (async () => {
      const s = new StorageState(paths);
      await s.load();
      return s;
    })();
    states.set(paths.configDir, p);
    p.catch(() => states.delete(paths.configDir));
  }
  const s = await p;
  s.refs++;
  return s;
}

async function release(state: StorageState, paths: StoragePaths): Promise<void> {
  if (--state.refs === 0) {
    const cur = await states.get(paths.configDir);
    if (cur === state && state.refs === 0) states.delete(paths.configDir);
    // no storage connection left: the idle xfs_io co-processes go too (a later job starts one)
    if (states.size === 0) endIdleXfsIo();
  }
}

/** Resolves `<source pool='P' volume='V'/>` for other drivers (see resolve.ts). */
export const resolveVolume: VolumeResolver = makeResolver(storagePaths, acquire, release);
(globalThis as unknown as Record<symbol, VolumeResolver>)[VOLUME_RESOLVER_KEY] = resolveVolume;

/** Binds the methods of the pool and volume halves into one StorageDriver object. */
function storageDriverOf(state: StorageState): StorageDriver {
  const out: Record<string, unknown> = {};
  for (const half of [new PoolOps(state), new VolOps(state)]) {
    const proto = Object.getPrototypeOf(half) as object;
    for (const k of Object.getOwnPropertyNames(proto)) {
      const f = (half as unknown as Record<string, unknown>)[k];
      if (k !== 'constructor' && typeof f === 'function') out[k] = (f as (...a: unknown[]) => unknown).bind(half);
    }
  }
  return out as StorageDriver;
}

/** The storage driver. */
export const driver: VirtDriver = {
  name: 'storage',
  schemes: ['storage'],
  accepts(uri: ConnectURI): boolean {
    if (!HYPERVISOR_SCHEMES.has(uri.scheme) || uri.host) return false;
    return ['', '/system', '/session', '/embed'].includes(uri.path) && (uri.path !== '/embed' || !!uri.query.root);
  },
  async open(ctx: DriverOpenContext): Promise<DriverConnection> {
    const { uri } = ctx;
    if (uri.host) throw virtError(VIR_ERR_NO_CONNECT, `remote storage URIs are not supported: ${uri.raw}`, VIR_FROM_STORAGE);
    const paths = storagePaths(uri);
    const state = await acquire(paths);
    state.sinks.add(ctx.events);
    let closed = false;
    return {
      storage: storageDriverOf(state),
      async close(): Promise<void> {
        if (closed) return;
        closed = true;
        state.sinks.delete(ctx.events);
        await release(state, paths);
      },
    };
  },
};
