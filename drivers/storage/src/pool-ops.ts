/**
 * Pool methods of the storage driver's SPI (libvirt's storage_driver.c, pool half):
 * lookups, listing, define/create/build/start/destroy/delete/undefine, refresh, info, XML,
 * autostart. Flag checks, state checks and events follow libvirt 9.0.
 */
import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import type { StoragePoolInfo, StoragePoolRef } from '@virtkit/core';
import {
  VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
  VIR_CONNECT_LIST_STORAGE_POOLS_ALL,
  VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART,
  VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE,
  VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART,
  VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT,
  VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT,
  VIR_CONNECT_LIST_STORAGE_POOLS_TYPES,
  VIR_ERR_INTERNAL_ERROR,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_STORAGE_POOL,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_FAILED,
  VIR_ERR_OPERATION_INVALID,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
  VIR_STORAGE_POOL_CREATE_WITH_BUILD,
  VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE,
  VIR_STORAGE_POOL_DEFINE_VALIDATE,
  VIR_STORAGE_POOL_DELETE_ZEROED,
  VIR_STORAGE_POOL_EVENT_CREATED,
  VIR_STORAGE_POOL_EVENT_DEFINED,
  VIR_STORAGE_POOL_EVENT_DELETED,
  VIR_STORAGE_POOL_EVENT_STARTED,
  VIR_STORAGE_POOL_EVENT_STOPPED,
  VIR_STORAGE_POOL_EVENT_UNDEFINED,
  VIR_STORAGE_POOL_INACTIVE,
  VIR_STORAGE_POOL_RUNNING,
  VIR_STORAGE_XML_INACTIVE,
} from './constants.js';
import { PoolObj, type StorageState } from './pool-registry.js';
import type { Permissions } from './types.js';
import { checkFlags, checkName, storageError } from './util.js';
import { permsOf } from './vol-file.js';
import { formatPool, parsePool, type PoolDoc } from './xml-adapter.js';

/** Finds a pool by ref (name, then UUID), or VIR_ERR_NO_STORAGE_POOL. */
export function getPool(state: StorageState, ref: StoragePoolRef): PoolObj {
  const p = state.pools.get(ref.name);
  if (p && (!ref.uuid || p.def.uuid.toLowerCase() === ref.uuid.toLowerCase())) return p;
  const u = ref.uuid ? state.byUUID(ref.uuid) : undefined;
  if (u) return u;
  throw storageError(VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching uuid '${ref.uuid}' (${ref.name})`);
}

/** The pool, which must be active ("storage pool 'x' is not active" otherwise). */
export function activePool(state: StorageState, ref: StoragePoolRef): PoolObj {
  const p = getPool(state, ref);
  if (!p.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${p.def.name}' is not active`);
  return p;
}

function sourceKey(doc: PoolDoc): string[] {
  const d = doc.def;
  if (d.type === 'dir') return [`path:${resolve(d.targetPath)}`];
  const keys = d.devices.map((x) => `dev:${resolve(x.path)}`);
  if (d.type === 'fs') keys.push(`path:${resolve(d.targetPath)}`);
  return keys;
}

/** libvirt's virStoragePoolObjIsDuplicate + virStoragePoolObjSourceFindDuplicate. */
function checkDuplicate(state: StorageState, doc: PoolDoc, checkActive: boolean): PoolObj | undefined {
  const byName = state.pools.get(doc.def.name);
  const byUUID = state.byUUID(doc.def.uuid);
  if (byName && byName.def.uuid.toLowerCase() !== doc.def.uuid.toLowerCase()) {
    throw storageError(VIR_ERR_OPERATION_FAILED, `pool '${doc.def.name}' already exists with uuid ${byName.def.uuid}`);
  }
  if (byUUID && byUUID.def.name !== doc.def.name) {
    throw storageError(VIR_ERR_OPERATION_FAILED, `pool '${byUUID.def.name}' is already defined with uuid ${doc.def.uuid}`);
  }
  if (byName && checkActive && byName.active) {
    throw storageError(VIR_ERR_OPERATION_INVALID, `pool is already active as '${byName.def.name}'`);
  }
  const mine = new Set(sourceKey(doc));
  for (const p of state.pools.values()) {
    if (p === byName) continue;
    if (sourceKey(p.doc).some((k) => mine.has(k))) {
      throw storageError(VIR_ERR_OPERATION_FAILED, `Storage source conflict with pool: '${p.def.name}'`);
    }
  }
  return byName;
}

function parseDoc(xml: string): PoolDoc {
  const doc = parsePool(xml);
  checkName(doc.def.name, 'pool');
  const p = new PoolObj(doc); // resolves the backend: NO_SUPPORT for unknown types
  p.backend.validate(doc.def);
  return doc;
}

async function livePerms(pool: PoolObj): Promise<Permissions | undefined> {
  if (pool.def.type === 'disk') return undefined;
  const st = await fsp.stat(pool.def.targetPath, { bigint: true }).catch(() => undefined);
  return st ? permsOf(st) : undefined;
}

/** Refreshes the pool's sizes and volume list from its storage. */
export async function refreshPool(pool: PoolObj): Promise<void> {
  const before = new Map(pool.volumes);
  const r = await pool.backend.refresh(pool.def);
  pool.def.capacity = r.capacity;
  pool.def.allocation = r.allocation;
  pool.def.available = r.available;
  pool.mergeVolumes(before, r.volumes);
}

/** The pool half of the StorageDriver SPI over one StorageState. */
export class PoolOps {
  readonly #s: StorageState;

  constructor(state: StorageState) {
    this.#s = state;
  }

  async connectListAllStoragePools(flags: number): Promise<StoragePoolRef[]> {
    checkFlags(flags, VIR_CONNECT_LIST_STORAGE_POOLS_ALL, 'storageConnectListAllStoragePools');
    const pick = (a: number, b: number, va: boolean) => !(flags & (a | b)) || (flags & a && va) || (flags & b && !va);
    const typeBits = Object.values(VIR_CONNECT_LIST_STORAGE_POOLS_TYPES).reduce((a, b) => a | b, 0);
    return [...this.#s.pools.values()]
      .filter((p) => pick(VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE, VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE, p.active))
      .filter((p) => pick(VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT, VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, p.persistent))
      .filter((p) => pick(VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART, VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, p.autostart))
      .filter((p) => !(flags & typeBits) || flags & (VIR_CONNECT_LIST_STORAGE_POOLS_TYPES[p.def.type] ?? 0))
      .map((p) => p.ref);
  }

  async connectNumOfStoragePools(): Promise<number> {
    return [...this.#s.pools.values()].filter((p) => p.active).length;
  }

  async connectNumOfDefinedStoragePools(): Promise<number> {
    return [...this.#s.pools.values()].filter((p) => !p.active).length;
  }

  async connectFindStoragePoolSources(type: string): Promise<string> {
    throw storageError(VIR_ERR_NO_SUPPORT, `pool type '${type}' does not support source discovery`);
  }

  async storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
    const p = this.#s.pools.get(name);
    if (!p) throw storageError(VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching name '${name}'`);
    return p.ref;
  }

  async storagePoolLookupByUUID(uuid: string): Promise<StoragePoolRef> {
    const p = this.#s.byUUID(uuid);
    if (!p) throw storageError(VIR_ERR_NO_STORAGE_POOL, `no storage pool with matching uuid '${uuid}'`);
    return p.ref;
  }

  async storagePoolDefineXML(xml: string, flags: number): Promise<StoragePoolRef> {
    checkFlags(flags, VIR_STORAGE_POOL_DEFINE_VALIDATE, 'storagePoolDefineXML');
    const doc = parseDoc(xml);
    const existing = checkDuplicate(this.#s, doc, false);
    const pool = existing ?? new PoolObj(doc);
    const wasPersistent = pool.persistent;
    const prev = { doc: pool.doc, newDoc: pool.newDoc };
    if (existing) {
      if (existing.active) existing.newDoc = doc;
      else {
        existing.doc = doc;
        existing.def = doc.def;
      }
    }
    try {
      pool.persistent = true;
      await this.#s.saveConfig(pool);
    } catch (e) {
      pool.persistent = wasPersistent;
      Object.assign(pool, prev, { def: prev.doc.def });
      throw e;
    }
    this.#s.pools.set(doc.def.name, pool);
    this.#s.lifecycle(pool, VIR_STORAGE_POOL_EVENT_DEFINED);
    return pool.ref;
  }

  async storagePoolCreateXML(xml: string, flags: number): Promise<StoragePoolRef> {
    const all = VIR_STORAGE_POOL_CREATE_WITH_BUILD | VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE | VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
    checkFlags(flags, all, 'storagePoolCreateXML');
    const buildFlags = this.#buildFlags(flags);
    const doc = parseDoc(xml);
    checkDuplicate(this.#s, doc, true);
    if (this.#s.pools.has(doc.def.name)) {
      throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${doc.def.name}' already exists`);
    }
    const pool = new PoolObj(doc);
    this.#s.pools.set(doc.def.name, pool);
    try {
      await pool.locked(() => this.#start(pool, buildFlags));
    } catch (e) {
      this.#s.pools.delete(doc.def.name);
      throw e;
    }
    return pool.ref;
  }

  #buildFlags(flags: number): number | undefined {
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE && flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE) {
      throw storageError(VIR_ERR_INVALID_ARG, "Flags 'VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE' are mutually exclusive");
    }
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE) return VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE) return VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
    if (flags & VIR_STORAGE_POOL_CREATE_WITH_BUILD) return 0;
    return undefined;
  }

  /** Builds (when asked), starts and refreshes a pool; on failure the storage is stopped again. */
  async #start(pool: PoolObj, buildFlags: number | undefined): Promise<void> {
    if (buildFlags !== undefined && pool.backend.build) await pool.backend.build(pool.def, buildFlags);
    await pool.backend.start(pool.def);
    try {
      await refreshPool(pool);
      pool.active = true;
      await this.#s.saveState(pool);
    } catch (e) {
      pool.active = false;
      await pool.backend.stop(pool.def).catch(() => {});
      throw e;
    }
    this.#s.lifecycle(pool, VIR_STORAGE_POOL_EVENT_STARTED);
  }

  async storagePoolBuild(ref: StoragePoolRef, flags: number): Promise<void> {
    const pool = getPool(this.#s, ref);
    checkFlags(flags, VIR_STORAGE_POOL_BUILD_NO_OVERWRITE | VIR_STORAGE_POOL_BUILD_OVERWRITE, 'storagePoolBuild');
    await pool.locked(async () => {
      if (pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${pool.def.name}' is already active`);
      if (pool.backend.build) await pool.backend.build(pool.def, flags);
      this.#s.lifecycle(pool, VIR_STORAGE_POOL_EVENT_CREATED);
    });
  }

  async storagePoolCreate(ref: StoragePoolRef, flags: number): Promise<void> {
    const all = VIR_STORAGE_POOL_CREATE_WITH_BUILD | VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE | VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
    checkFlags(flags, all, 'storagePoolCreate');
    const pool = getPool(this.#s, ref);
    const buildFlags = this.#buildFlags(flags);
    await pool.locked(async () => {
      if (pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${pool.def.name}' is already active`);
      await this.#start(pool, buildFlags);
    });
  }

  async storagePoolDestroy(ref: StoragePoolRef): Promise<void> {
    const pool = activePool(this.#s, ref);
    await pool.locked(async () => {
      if (!pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${pool.def.name}' is not active`);
      if (pool.jobs > 0) throw storageError(VIR_ERR_OPERATION_INVALID, `pool '${pool.def.name}' has asynchronous jobs running.`);
      await pool.backend.stop(pool.def);
      this.#stopped(pool);
      await this.#s.deleteState(pool);
    });
  }

  /** Marks a pool inactive (after stop or a failed refresh), emits STOPPED, applies a pending definition. */
  #stopped(pool: PoolObj): void {
    pool.active = false;
    pool.volumes.clear();
    this.#s.lifecycle(pool, VIR_STORAGE_POOL_EVENT_STOPPED);
    if (!pool.persistent) {
      this.#s.pools.delete(pool.def.name);
      return;
    }
    if (pool.newDoc) {
      pool.doc = pool.newDoc;
      pool.def = pool.doc.def;
      pool.newDoc = undefined;
    }
  }

  async storagePoolDelete(ref: StoragePoolRef, flags: number): Promise<void> {
    const pool = getPool(this.#s, ref);
    checkFlags(flags, VIR_STORAGE_POOL_DELETE_ZEROED, 'storagePoolDelete');
    await pool.locked(async () => {
      if (pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${pool.def.name}' is still active`);
      if (!pool.backend.supports.delete || !pool.backend.delete) {
        throw storageError(VIR_ERR_NO_SUPPORT, 'pool does not support pool deletion');
      }
      await pool.backend.delete(pool.def, flags & ~VIR_STORAGE_POOL_DELETE_ZEROED);
      this.#s.lifecycle(pool, VIR_STORAGE_POOL_EVENT_DELETED);
    });
  }

  async storagePoolUndefine(ref: StoragePoolRef): Promise<void> {
    const pool = getPool(this.#s, ref);
    await pool.locked(async () => {
      if (pool.active) throw storageError(VIR_ERR_OPERATION_INVALID, `storage pool '${pool.def.name}' is still active`);
      if (!pool.persistent) throw storageError(VIR_ERR_INTERNAL_ERROR, `no config file for ${pool.def.name}`);
      await this.#s.deleteConfig(pool);
      pool.persistent = false;
      pool.autostart = false;
      this.#s.pools.delete(pool.def.name);
      this.#s.lifecycle(pool, VIR_STORAGE_POOL_EVENT_UNDEFINED);
    });
  }

  async storagePoolRefresh(ref: StoragePoolRef, flags: number): Promise<void> {
    checkFlags(flags, 0, 'storagePoolRefresh');
    const pool = activePool(this.#s, ref);
    await pool.locked(async () => {
      if (pool.jobs > 0) throw storageError(VIR_ERR_OPERATION_INVALID, `pool '${pool.def.name}' has asynchronous jobs running.`);
      try {
        await refreshPool(pool);
      } catch (e) {
        // libvirt stops a pool whose refresh fails
        await pool.backend.stop(pool.def).catch(() => {});
        this.#stopped(pool);
        await this.#s.deleteState(pool).catch(() => {});
        throw e;
      }
      this.#s.refreshed(pool);
    });
  }

  async storagePoolGetInfo(ref: StoragePoolRef): Promise<StoragePoolInfo> {
    const p = getPool(this.#s, ref);
    await p.settled();
    if (!p.active) return { state: VIR_STORAGE_POOL_INACTIVE, capacity: 0, allocation: 0, available: 0 };
    return { state: VIR_STORAGE_POOL_RUNNING, capacity: p.def.capacity, allocation: p.def.allocation, available: p.def.available };
  }

  async storagePoolGetXMLDesc(ref: StoragePoolRef, flags: number): Promise<string> {
    checkFlags(flags, VIR_STORAGE_XML_INACTIVE, 'storagePoolGetXMLDesc');
    const p = getPool(this.#s, ref);
    await p.settled();
    // libvirt: --inactive shows the pending definition when there is one, else the live one
    const pending = !!(flags & VIR_STORAGE_XML_INACTIVE) && p.newDoc !== undefined;
    const live = p.active && !pending;
    return formatPool(pending ? p.newDoc! : p.doc, { active: live, live: live ? await livePerms(p) : undefined });
  }

  async storagePoolGetAutostart(ref: StoragePoolRef): Promise<boolean> {
    return getPool(this.#s, ref).autostart;
  }

  async storagePoolSetAutostart(ref: StoragePoolRef, autostart: boolean): Promise<void> {
    const p = getPool(this.#s, ref);
    if (!p.persistent) throw storageError(VIR_ERR_INTERNAL_ERROR, 'cannot set autostart for transient pool');
    if (p.autostart !== !!autostart) await this.#s.setAutostart(p, !!autostart);
  }

  async storagePoolIsActive(ref: StoragePoolRef): Promise<boolean> {
    return getPool(this.#s, ref).active;
  }

  async storagePoolIsPersistent(ref: StoragePoolRef): Promise<boolean> {
    return getPool(this.#s, ref).persistent;
  }
}
