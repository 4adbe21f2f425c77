/**
 * The pool backend contract: one implementation per pool type (dir.ts, fs.ts, disk.ts).
 * Backends do the storage work; the driver (pool-registry.ts, storage-driver.ts) owns
 * definitions, state, flags, locking and events.
 */
import type { JobOptions } from '@virtkit/core';
import type { PoolDef, VolDef, VolRequest } from '../types.js';

/** What a backend can do; the driver answers VIR_ERR_NO_SUPPORT for the rest. */
export interface BackendSupport {
  build: boolean;
  delete: boolean;
  createVol: boolean;
  cloneVol: boolean;
  deleteVol: boolean;
  resizeVol: boolean;
  wipeVol: boolean;
  upload: boolean;
  download: boolean;
  /** Volume formats accepted by createVol; the first is the default. */
  volFormats: readonly string[];
  /** Pool build flags accepted (VIR_STORAGE_POOL_BUILD_*). */
  buildFlags: number;
}

/** Result of a pool refresh. */
export interface RefreshResult {
  capacity: number;
  allocation: number;
  available: number;
  volumes: VolDef[];
}

/** A pool type's storage operations. */
export interface PoolBackend {
  /** Pool type name as in `<pool type='...'>`. */
  readonly type: string;
  readonly supports: BackendSupport;
  /** Checks a definition beyond the schema (e.g. fs needs a source device); throws VirtError. */
  validate(def: PoolDef): void;
  /** Whether the pool's storage is already active (e.g. mounted) — used when reloading state. */
  isActive(def: PoolDef): Promise<boolean>;
  build?(def: PoolDef, flags: number): Promise<void>;
  start(def: PoolDef): Promise<void>;
  stop(def: PoolDef): Promise<void>;
  delete?(def: PoolDef, flags: number): Promise<void>;
  refresh(def: PoolDef, signal?: AbortSignal): Promise<RefreshResult>;
  /** The pool's sizes alone (cheaper than refresh), after a volume was created, resized or deleted. */
  sizes?(def: PoolDef): Promise<Pick<RefreshResult, 'capacity' | 'allocation' | 'available'>>;
  /** Where a new volume named `name` would live (undefined when the backend picks it). */
  volPath(def: PoolDef, name: string): string | undefined;
  /** Probes one volume again (after create, resize, upload, wipe). */
  refreshVol(def: PoolDef, vol: VolDef): Promise<VolDef>;
  createVol?(def: PoolDef, req: VolRequest, flags: number, opts: JobOptions): Promise<VolDef>;
  cloneVol?(def: PoolDef, req: VolRequest, src: VolDef, flags: number, opts: JobOptions): Promise<VolDef>;
  deleteVol?(def: PoolDef, vol: VolDef, flags: number): Promise<void>;
  resizeVol?(def: PoolDef, vol: VolDef, capacity: number, flags: number): Promise<void>;
  wipeVol?(def: PoolDef, vol: VolDef, algorithm: number, opts: JobOptions): Promise<void>;
}
