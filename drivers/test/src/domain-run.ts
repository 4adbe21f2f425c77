/**
 * The run-state transitions shared by every domain operation: start (testDomainStartState),
 * stop (testDomainShutdownState), removal of stopped transient domains, and the lookups
 * from refs with libvirt's errors.
 */
import { rmSync } from 'node:fs';
import type { DomainRef } from '@virtkit/core';
import { DomState, Err, From } from './consts.js';
import type { DomainDef } from '@virtkit/xml';
import { DomainObj } from './domain-obj.js';
import type { DriverState } from './driver-state.js';
import { noDomainByUUID, notActive, testError } from './errors.js';

/** The domain a ref names (by UUID, as libvirt's testDomObjFromDomain), or VIR_ERR_NO_DOMAIN. */
export function domObj(st: DriverState, ref: DomainRef): DomainObj {
  const obj = st.domains.byRef(ref);
  if (obj === undefined) throw noDomainByUUID(ref.uuid, ref.name);
  return obj;
}

/** Like {@link domObj}, and the domain must be active (virDomainObjCheckActive). */
export function activeObj(st: DriverState, ref: DomainRef): DomainObj {
  const obj = domObj(st, ref);
  if (obj.id === -1) throw notActive();
  return obj;
}

/** Accumulated cpu time (ns) of a domain under the settable clock. */
export function cpuTimeNs(st: DriverState, obj: DomainObj): number {
  if (st.clockNs === undefined) return Date.now() * 1e6;
  const running = obj.state === DomState.RUNNING && obj.startedAt >= 0;
  return obj.cpuBaseNs + (running ? st.clockNs - obj.startedAt : 0);
}

/** Sets state and reason, keeping the cpu-time accounting right. */
export function setRunState(st: DriverState, obj: DomainObj, state: number, reason: number): void {
  if (obj.state === DomState.RUNNING && state !== DomState.RUNNING && obj.startedAt >= 0) {
    obj.cpuBaseNs += st.nowNs() - obj.startedAt;
    obj.startedAt = -1;
  } else if (state === DomState.RUNNING && obj.state !== DomState.RUNNING) {
    obj.startedAt = st.nowNs();
  }
  obj.setState(state, reason);
}

/** Starts a domain: RUNNING with `reason`, a fresh id, no managed save (testDomainStartState). */
export function startDomain(st: DriverState, obj: DomainObj, reason: number): void {
  const old = obj.id;
  obj.id = st.nextDomID++;
  st.domains.reindexID(obj, old);
  setRunState(st, obj, DomState.RUNNING, reason);
  obj.hasManagedSave = false;
  dropManagedSaveImage(obj);
}

/** Stops a domain: SHUTOFF with `reason`, id -1, persistent config back in force. */
export function stopDomain(st: DriverState, obj: DomainObj, reason: number): void {
  obj.removeTransientDef();
  const old = obj.id;
  obj.id = -1;
  st.domains.reindexID(obj, old);
  setRunState(st, obj, DomState.SHUTOFF, reason);
}

/** Stops a domain, emits STOPPED with `detail` and drops it when transient. */
export function stopAndEmit(st: DriverState, obj: DomainObj, reason: number, detail: number, event: number): void {
  const before = obj.ref;
  stopDomain(st, obj, reason);
  // the event names the domain as it was (with its id), like libvirt's FromObj before removal
  st.domainEvent({ name: before.name, uuid: before.uuid, id: obj.id }, event, detail);
  if (!obj.persistent) st.domains.remove(obj);
}

/** Checks that name and UUID are free, as virDomainObjListAdd does; returns an existing match. */
export function checkDuplicate(st: DriverState, name: string, uuid: string, checkLive: boolean, freshUUID = false): DomainObj | undefined {
  // a UUID just generated at random is no other domain's
  const byUUID = freshUUID ? undefined : st.domains.byUUID(uuid);
  if (byUUID !== undefined) {
    if (byUUID.name !== name) {
      throw testError(Err.OPERATION_FAILED, `domain '${byUUID.name}' is already defined with uuid ${uuid}`, From.DOMAIN);
    }
    if (checkLive) {
      if (byUUID.isActive()) throw testError(Err.OPERATION_INVALID, `domain '${name}' is already active`, From.DOMAIN);
      if (!byUUID.persistent) throw testError(Err.OPERATION_INVALID, `domain '${name}' is already being started`, From.DOMAIN);
    }
    return byUUID;
  }
  const byName = st.domains.byName(name);
  if (byName !== undefined) {
    throw testError(Err.OPERATION_FAILED, `domain '${name}' already exists with uuid ${byName.uuid}`, From.DOMAIN);
  }
  return undefined;
}

/**
 * Deletes the managed save image file of `obj`, if any. Synchronous so that the state a
 * caller sees after start/undefine matches the disk; errors are ignored (it is a cache).
 */
export function dropManagedSaveImage(obj: DomainObj): void {
  const path = obj.managedSavePath;
  if (path === undefined) return;
  obj.managedSavePath = undefined;
  try {
    rmSync(path, { force: true });
  } catch {
    // an unreadable temp dir must not fail the domain operation
  }
}

/**
 * The object a live start of `def` runs as (createXML, restore): a new transient domain, or the
 * defined inactive one, whose persistent config waits in newDef until this live run stops.
 */
export function liveObjectFor(st: DriverState, def: DomainDef, existing: DomainObj | undefined): DomainObj {
  if (existing === undefined) {
    const obj = new DomainObj(def);
    st.domains.add(obj);
    return obj;
  }
  existing.newDef = existing.def;
  existing.def = def;
  return existing;
}
