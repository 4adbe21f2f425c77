/**
 * Volume resolution for other drivers: the QEMU driver turns
 * `<disk type='volume'><source pool='P' volume='V'/>` into a path and format through the
 * storage driver of the same root, without importing this package (drivers never depend on
 * each other). On load this module publishes a function on globalThis:
 *
 * ```ts
 * const resolve = (globalThis as any)[Symbol.for('@virtkit/storage:resolve-volume')] as
 *   VolumeResolver | undefined;      // undefined when the storage driver is not loaded
 * const { path, format, type } = await resolve(ctx.uri, 'default', 'disk1.qcow2');
 * ```
 *
 * It answers for the same state directories the storage driver uses for that URI
 * (`qemu:///system`, `qemu:///session`, `qemu:///embed?root=DIR`), with libvirt's errors:
 * VIR_ERR_NO_STORAGE_POOL, VIR_ERR_OPERATION_INVALID (pool not active),
 * VIR_ERR_NO_STORAGE_VOL.
 */
import type { ConnectURI } from '@virtkit/core';
import { VIR_ERR_NO_STORAGE_POOL, VIR_ERR_NO_STORAGE_VOL, VIR_ERR_OPERATION_INVALID } from './constants.js';
import type { StorageState, StoragePaths } from './pool-registry.js';
import { storageError } from './util.js';

/** What a volume resolves to. */
export interface ResolvedVolume {
  /** Absolute path of the file or block device. */
  path: string;
  /** Target format: 'raw', 'qcow2', ... ('none' partitions are raw data). */
  format: string;
  /** 'file', 'block' or 'dir'. */
  type: string;
  /** The pool's type ('dir', 'fs', 'disk'). */
  poolType: string;
}

/** Resolves a pool/volume pair for the storage state of `uri`. */
export type VolumeResolver = (uri: ConnectURI, pool: string, volume: string) => Promise<ResolvedVolume>;

/** The globalThis key of the resolver. */
export const VOLUME_RESOLVER_KEY: unique symbol = Symbol.for('@virtkit/storage:resolve-volume') as never;

/** Builds the resolver over the driver's state management. */
export function makeResolver(
  pathsOf: (uri: ConnectURI) => StoragePaths,
  acquire: (p: StoragePaths) => Promise<StorageState>,
  release: (s: StorageState, p: StoragePaths) => Promise<void>,
): VolumeResolver {
  return async (uri, poolName, volName) => {
    const paths = pathsOf(uri);
    const state = await acquire(paths);
    try {
      const pool = state.pools.get(poolName);
      if (!pool) throw storageError(VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching name '${poolName}'`);
      if (!pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${poolName}' containing volume '${volName}' is not active`);
      const vol = pool.volumes.get(volName);
      if (!vol) throw storageError(VIR_ERR_NO_STORAGE_VOL, `no storage vol with matching name '${volName}'`);
      return { path: vol.path, format: vol.format === 'none' ? 'raw' : vol.format, type: vol.type, poolType: pool.def.type };
    } finally {
      await release(state, paths);
    }
  };
}
