/**
 * The types of @virtkit/core's public API that vksh programs against, and core's entry points.
 */

import { connect, registerDriver } from '@virtkit/core';
import type {
  Connection as CoreConnection,
  Domain as CoreDomain,
  DomainSnapshot,
  Network as CoreNetwork,
  StoragePool as CoreStoragePool,
  StorageVol as CoreStorageVol,
  JobOptions,
  VirtDriver,
} from '@virtkit/core';

/** Options of long-running jobs (upload, download, clone, save, restore). */
export type JobOpts = JobOptions;
/** An open connection. */
export type Connection = CoreConnection;
/** A domain. */
export type Domain = CoreDomain;
/** A domain snapshot. */
export type Snapshot = DomainSnapshot;
/** A virtual network. */
export type Network = CoreNetwork;
/** A storage pool. */
export type StoragePool = CoreStoragePool;
/** A storage volume. */
export type StorageVol = CoreStorageVol;

/** What vksh needs from the core module itself. */
export interface CoreModule {
  connect(uri?: string, opts?: { readOnly?: boolean }): Promise<Connection>;
  registerDriver(driver: VirtDriver): void;
}

/** A VirtError as thrown by core (checked structurally so a second copy of core still matches). */
export interface VirtErrorLike {
  readonly code: number;
  readonly domain: number;
  readonly message: string;
}

/** True for errors carrying libvirt's numeric code. */
export function isVirtError(e: unknown): e is VirtErrorLike {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
}

/**
 * Core's entry points vksh calls. Imported by name, not as a namespace: a namespace object of
 * core's thousands of constants costs milliseconds at every start of the bundled bin.
 */
export function loadCore(): CoreModule {
  return { connect, registerDriver };
}
