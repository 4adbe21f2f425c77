/**
 * The test driver's storage family (virStorageDriver): pools and volumes in memory, with
 * libvirt 9.0's behaviour, errors and pool events. Pools are 100 GiB; volumes only account
 * their allocation against it.
 */
import type { StorageDriver, StoragePoolInfo, StoragePoolRef, StorageVolInfo, StorageVolRef } from '@virtkit/core';
import { Err, From, ListObj, ObjEv } from './consts.js';
import type { DriverState } from './driver-state.js';
import { checkFlags, testError } from './errors.js';
import { findPoolSources } from './pool-sources.js';
import { formatPoolDef, formatVolDef, parsePoolDef, parseVolDef, poolTargetPath, poolType, POOL_TYPE_FLAGS } from './pool-def.js';
import type { PoolDef } from './pool-def.js';
import { PoolObj } from './pool-obj.js';
import type { VolObj } from './pool-obj.js';

const DEFAULT_POOL_CAP = 100 * 1024 * 1024 * 1024;

function byName(st: DriverState, name: string): PoolObj {
  const obj = st.pools.get(name);
  if (!obj) throw testError(Err.NO_STORAGE_POOL, `no storage pool with matching name '${name}'`);
  return obj;
}

function activeByName(st: DriverState, name: string): PoolObj {
  const obj = byName(st, name);
  if (!obj.active) throw testError(Err.OPERATION_INVALID, `storage pool '${name}' is not active`);
  return obj;
}

function inactiveByName(st: DriverState, name: string): PoolObj {
  const obj = byName(st, name);
  if (obj.active) throw testError(Err.OPERATION_INVALID, `storage pool '${name}' is active`);
  return obj;
}

function byUUID(st: DriverState, uuid: string): PoolObj {
  const u = uuid.toLowerCase();
  for (const obj of st.pools.values()) if (obj.uuid === u) return obj;
  throw testError(Err.NO_STORAGE_POOL, `no storage pool with matching uuid '${uuid}'`);
}

function volByName(pool: PoolObj, name: string): VolObj {
  const vol = pool.volumes.get(name);
  if (!vol) throw testError(Err.NO_STORAGE_VOL, `no storage vol with matching name '${name}'`);
  return vol;
}

/** virStoragePoolObjListAdd: duplicate checks, then add or replace. */
export function addPool(st: DriverState, def: PoolDef, checkLive: boolean): PoolObj {
  let existing: PoolObj | undefined;
  for (const obj of st.pools.values()) if (obj.uuid === def.uuid) existing = obj;
  if (existing) {
    if (existing.name !== def.name) {
      throw testError(Err.OPERATION_FAILED, `pool '${existing.name}' is already defined with uuid ${def.uuid}`, From.STORAGE);
    }
    if (checkLive && existing.active) {
      throw testError(Err.OPERATION_INVALID, `pool is already active as '${existing.name}'`, From.STORAGE);
    }
    existing.def = def;
    return existing;
  }
  const clash = st.pools.get(def.name);
  if (clash) throw testError(Err.OPERATION_FAILED, `pool '${def.name}' already exists with uuid ${clash.uuid}`, From.STORAGE);
  if (poolType(def) === 'dir') {
    for (const other of st.pools.values()) {
      if (poolType(other.def) === 'dir' && poolTargetPath(other.def) === poolTargetPath(def)) {
        throw testError(Err.OPERATION_FAILED, `Storage source conflict with pool: '${other.name}'`, From.STORAGE);
      }
    }
  }
  const obj = new PoolObj(def);
  st.pools.set(def.name, obj);
  return obj;
}

/** testStoragePoolObjSetDefaults: 100 GiB, nothing allocated, persistent. */
export function setPoolDefaults(obj: PoolObj): void {
  obj.persistent = true;
  obj.capacity = DEFAULT_POOL_CAP;
  obj.allocation = 0;
  obj.available = DEFAULT_POOL_CAP;
}

/** Adds a volume to an active pool, accounting its allocation (shared with node files). */
export function addVolume(pool: PoolObj, vol: VolObj): void {
  pool.volumes.set(vol.name, vol);
  pool.allocation += vol.allocation;
  pool.available = pool.capacity - pool.allocation;
}

function volumeType(pool: PoolObj): number {
  switch (poolType(pool.def)) {
    case 'dir':
    case 'fs':
    case 'netfs':
    case 'vstorage':
      return 0;
    case 'sheepdog':
    case 'iscsi-direct':
    case 'gluster':
    case 'rbd':
      return 3;
    default:
      return 1;
  }
}

function matches(obj: PoolObj, flags: number): boolean {
  const pair = (yes: number, no: number, v: boolean): boolean => {
    const f = flags & (yes | no);
    return f === 0 || f === (yes | no) || (v ? (f & yes) !== 0 : (f & no) !== 0);
  };
  if (!pair(ListObj.ACTIVE, ListObj.INACTIVE, obj.active)) return false;
  if (!pair(ListObj.PERSISTENT, ListObj.TRANSIENT, obj.persistent)) return false;
  if (!pair(ListObj.AUTOSTART, ListObj.NO_AUTOSTART, obj.autostart)) return false;
  const tf = flags & ~63;
  return tf === 0 || (tf & (POOL_TYPE_FLAGS[poolType(obj.def)] ?? 0)) !== 0;
}

function newVolume(pool: PoolObj, xml: string): VolObj {
  const def = parseVolDef(xml, pool.def);
  const vol: VolObj = { def, name: def.name, key: '', path: '', capacity: def.capacityBytes, allocation: def.allocationBytes };
  if (pool.volumes.has(vol.name)) throw testError(Err.OPERATION_FAILED, 'storage vol already exists');
  if (pool.allocation + vol.allocation > pool.capacity) {
    throw testError(Err.INTERNAL_ERROR, `Not enough free space in pool for volume '${vol.name}'`);
  }
  vol.path = `${poolTargetPath(pool.def)}/${vol.name}`;
  vol.key = vol.path;
  return vol;
}

function findVol(st: DriverState, pred: (v: VolObj) => boolean): StorageVolRef | undefined {
  for (const pool of st.pools.values()) {
    if (!pool.active) continue;
    for (const vol of pool.volumes.values()) if (pred(vol)) return pool.volRef(vol);
  }
  return undefined;
}

/** Builds the storage family of a connection on `st`. */
export function createStorageDriver(st: DriverState): StorageDriver {
  return {
    async connectListAllStoragePools(flags: number): Promise<StoragePoolRef[]> {
      checkFlags(flags, ListObj.POOL_ALL, 'testConnectListAllStoragePools');
      const out: StoragePoolRef[] = [];
      for (const obj of st.pools.values()) if (matches(obj, flags)) out.push(obj.ref);
      return out;
    },
    async connectNumOfStoragePools(): Promise<number> {
      return [...st.pools.values()].filter((p) => p.active).length;
    },
    async connectNumOfDefinedStoragePools(): Promise<number> {
      return [...st.pools.values()].filter((p) => !p.active).length;
    },
    async connectFindStoragePoolSources(type: string, srcSpec: string | undefined, flags: number): Promise<string> {
      checkFlags(flags, 0, 'testConnectFindStoragePoolSources');
      return findPoolSources(type, srcSpec);
    },
    async storagePoolLookupByName(name: string): Promise<StoragePoolRef> {
      return byName(st, name).ref;
    },
    async storagePoolLookupByUUID(uuid: string): Promise<StoragePoolRef> {
      return byUUID(st, uuid).ref;
    },
    async storagePoolLookupByVolume(vol: StorageVolRef): Promise<StoragePoolRef> {
      return byName(st, vol.pool).ref;
    },
    async storagePoolDefineXML(xml: string, flags: number): Promise<StoragePoolRef> {
      checkFlags(flags, 1, 'testStoragePoolDefineXML');
      const obj = addPool(st, parsePoolDef(xml), false);
      st.poolEvent(obj.ref, ObjEv.DEFINED);
      setPoolDefaults(obj);
      return obj.ref;
    },
    async storagePoolCreateXML(xml: string, flags: number): Promise<StoragePoolRef> {
      checkFlags(flags, 0, 'testStoragePoolCreateXML');
      const obj = addPool(st, parsePoolDef(xml), true);
      setPoolDefaults(obj);
      obj.persistent = false;
      obj.active = true;
      st.poolEvent(obj.ref, ObjEv.STARTED);
      return obj.ref;
    },
    async storagePoolBuild(pool: StoragePoolRef, flags: number): Promise<void> {
      checkFlags(flags, 0, 'testStoragePoolBuild');
      inactiveByName(st, pool.name);
      st.poolEvent(pool, ObjEv.CREATED);
    },
    async storagePoolCreate(pool: StoragePoolRef, flags: number): Promise<void> {
      checkFlags(flags, 0, 'testStoragePoolCreate');
      const obj = inactiveByName(st, pool.name);
      obj.active = true;
      st.poolEvent(obj.ref, ObjEv.STARTED);
    },
    async storagePoolDestroy(pool: StoragePoolRef): Promise<void> {
      const obj = activeByName(st, pool.name);
      obj.active = false;
      st.poolEvent(obj.ref, ObjEv.STOPPED);
      if (!obj.persistent) st.pools.delete(obj.name);
    },
    async storagePoolDelete(pool: StoragePoolRef, flags: number): Promise<void> {
      checkFlags(flags, 0, 'testStoragePoolDelete');
      inactiveByName(st, pool.name);
      st.poolEvent(pool, ObjEv.DELETED);
    },
    async storagePoolUndefine(pool: StoragePoolRef): Promise<void> {
      const obj = inactiveByName(st, pool.name);
      st.poolEvent(obj.ref, ObjEv.UNDEFINED);
      st.pools.delete(obj.name);
    },
    async storagePoolRefresh(pool: StoragePoolRef, flags: number): Promise<void> {
      checkFlags(flags, 0, 'testStoragePoolRefresh');
      const obj = activeByName(st, pool.name);
      st.poolRefreshEvent(obj.ref);
    },
    async storagePoolGetInfo(pool: StoragePoolRef): Promise<StoragePoolInfo> {
      const obj = byName(st, pool.name);
      return { state: obj.active ? 2 : 0, capacity: obj.capacity, allocation: obj.allocation, available: obj.available };
    },
    async storagePoolGetXMLDesc(pool: StoragePoolRef, flags: number): Promise<string> {
      checkFlags(flags, 0, 'testStoragePoolGetXMLDesc');
      const obj = byName(st, pool.name);
      return formatPoolDef(obj.def, obj);
    },
    async storagePoolGetAutostart(pool: StoragePoolRef): Promise<boolean> {
      const obj = byName(st, pool.name);
      return obj.persistent && obj.autostart;
    },
    async storagePoolSetAutostart(pool: StoragePoolRef, autostart: boolean): Promise<void> {
      const obj = byName(st, pool.name);
      if (!obj.persistent) throw testError(Err.INVALID_ARG, 'pool has no config file');
      obj.autostart = autostart;
    },
    async storagePoolIsActive(pool: StoragePoolRef): Promise<boolean> {
      return byUUID(st, pool.uuid).active;
    },
    async storagePoolIsPersistent(pool: StoragePoolRef): Promise<boolean> {
      return byUUID(st, pool.uuid).persistent;
    },
    async storagePoolNumOfVolumes(pool: StoragePoolRef): Promise<number> {
      return activeByName(st, pool.name).volumes.size;
    },
    async storagePoolListAllVolumes(pool: StoragePoolRef, flags: number): Promise<StorageVolRef[]> {
      checkFlags(flags, 0, 'testStoragePoolListAllVolumes');
      const obj = byUUID(st, pool.uuid);
      if (!obj.active) throw testError(Err.OPERATION_INVALID, 'storage pool is not active');
      return [...obj.volumes.values()].map((v) => obj.volRef(v));
    },
    async storageVolLookupByName(pool: StoragePoolRef, name: string): Promise<StorageVolRef> {
      const obj = activeByName(st, pool.name);
      return obj.volRef(volByName(obj, name));
    },
    async storageVolLookupByKey(key: string): Promise<StorageVolRef> {
      const ref = findVol(st, (v) => v.key === key);
      if (!ref) throw testError(Err.NO_STORAGE_VOL, `no storage vol with matching key '${key}'`);
      return ref;
    },
    async storageVolLookupByPath(path: string): Promise<StorageVolRef> {
      const ref = findVol(st, (v) => v.path === path);
      if (!ref) throw testError(Err.NO_STORAGE_VOL, `no storage vol with matching path '${path}'`);
      return ref;
    },
    async storageVolCreateXML(pool: StoragePoolRef, xml: string, flags: number): Promise<StorageVolRef> {
      checkFlags(flags, 0, 'testStorageVolCreateXML');
      const obj = activeByName(st, pool.name);
      const vol = newVolume(obj, xml);
      addVolume(obj, vol);
      return obj.volRef(vol);
    },
    async storageVolCreateXMLFrom(pool: StoragePoolRef, xml: string, clonevol: StorageVolRef, flags: number): Promise<StorageVolRef> {
      checkFlags(flags, 0, 'testStorageVolCreateXMLFrom');
      const obj = activeByName(st, pool.name);
      const def = parseVolDef(xml, obj.def);
      if (obj.volumes.has(def.name)) throw testError(Err.OPERATION_FAILED, 'storage vol already exists');
      volByName(obj, clonevol.name);
      const vol = newVolume(obj, xml);
      addVolume(obj, vol);
      return obj.volRef(vol);
    },
    async storageVolDelete(vol: StorageVolRef, flags: number): Promise<void> {
      checkFlags(flags, 0, 'testStorageVolDelete');
      const obj = activeByName(st, vol.pool);
      const v = volByName(obj, vol.name);
      obj.allocation -= v.allocation;
      obj.available = obj.capacity - obj.allocation;
      obj.volumes.delete(v.name);
    },
    async storageVolGetInfo(vol: StorageVolRef): Promise<StorageVolInfo> {
      const obj = activeByName(st, vol.pool);
      const v = volByName(obj, vol.name);
      return { type: volumeType(obj), capacity: v.capacity, allocation: v.allocation };
    },
    async storageVolGetXMLDesc(vol: StorageVolRef, flags: number): Promise<string> {
      checkFlags(flags, 0, 'testStorageVolGetXMLDesc');
      const obj = activeByName(st, vol.pool);
      return formatVolDef(obj.def, volByName(obj, vol.name));
    },
    async storageVolGetPath(vol: StorageVolRef): Promise<string> {
      const obj = activeByName(st, vol.pool);
      return volByName(obj, vol.name).path;
    },
  };
}
