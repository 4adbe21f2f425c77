/**
 * Domain lookups, listing and the lifecycle (define, undefine, create, suspend, resume,
 * shutdown, reboot, reset, destroy), with libvirt 9.0 test-driver states, reasons, events and
 * errors.
 */
import {
  VIR_DOMAIN_DEFINE_VALIDATE,
  VIR_DOMAIN_DESTROY_GRACEFUL,
  VIR_DOMAIN_REBOOT_ACPI_POWER_BTN,
  VIR_DOMAIN_REBOOT_GUEST_AGENT,
  VIR_DOMAIN_REBOOT_INITCTL,
  VIR_DOMAIN_REBOOT_PARAVIRT,
  VIR_DOMAIN_REBOOT_SIGNAL,
  VIR_DOMAIN_START_VALIDATE,
  VIR_DOMAIN_UNDEFINE_MANAGED_SAVE,
  VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
  VIR_DOMAIN_XML_INACTIVE,
  VIR_DOMAIN_XML_MIGRATABLE,
  VIR_DOMAIN_XML_SECURE,
  VIR_DOMAIN_XML_UPDATE_CPU,
} from '@virtkit/core';
import type { DomainInfo, DomainRef, DomainStateInfo } from '@virtkit/core';
import { DomState, Err, Ev, EvDetail, ListDom, RunningReason, PausedReason, ShutoffReason } from './consts.js';
import { defLifecycleAction, formatDomainDef, generatedMAC, generatedUUID, parseDomainDef } from './domain-def.js';
import { DomainObj } from './domain-obj.js';
import type { DriverState } from './driver-state.js';
import { activeObj, checkDuplicate, liveObjectFor, cpuTimeNs, domObj, dropManagedSaveImage, setRunState, startDomain, stopAndEmit } from './domain-run.js';
import { checkFlags, testError } from './errors.js';

const XML_COMMON_FLAGS = VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE;
const XML_INACTIVE = VIR_DOMAIN_XML_INACTIVE;

/** virConnectListAllDomains. */
export function listAllDomains(st: DriverState, flags: number): DomainRef[] {
  checkFlags(flags, ListDom.ALL, 'testConnectListAllDomains');
  const out: DomainRef[] = [];
  if (flags === 0) {
    for (const obj of st.domains.values()) out.push(obj.ref);
    return out;
  }
  for (const obj of st.domains.values()) if (matchesListFlags(obj, flags)) out.push(obj.ref);
  return out;
}

function pair(flags: number, yes: number, no: number, value: boolean): boolean {
  const f = flags & (yes | no);
  return f === 0 || f === (yes | no) || (value ? (f & yes) !== 0 : (f & no) !== 0);
}

function matchesListFlags(obj: DomainObj, flags: number): boolean {
  if (!pair(flags, ListDom.ACTIVE, ListDom.INACTIVE, obj.isActive())) return false;
  if (!pair(flags, ListDom.PERSISTENT, ListDom.TRANSIENT, obj.persistent)) return false;
  const sf = flags & (ListDom.RUNNING | ListDom.PAUSED | ListDom.SHUTOFF | ListDom.OTHER);
  if (sf !== 0) {
    const kind =
      obj.state === DomState.RUNNING ? ListDom.RUNNING
      : obj.state === DomState.PAUSED ? ListDom.PAUSED
      : obj.state === DomState.SHUTOFF ? ListDom.SHUTOFF
      : ListDom.OTHER;
    if ((sf & kind) === 0) return false;
  }
  if (!pair(flags, ListDom.MANAGEDSAVE, ListDom.NO_MANAGEDSAVE, obj.hasManagedSave)) return false;
  if (!pair(flags, ListDom.AUTOSTART, ListDom.NO_AUTOSTART, obj.autostart)) return false;
  if (!pair(flags, ListDom.HAS_SNAPSHOT, ListDom.NO_SNAPSHOT, (obj.snapshots?.size ?? 0) > 0)) return false;
  if (!pair(flags, ListDom.HAS_CHECKPOINT, ListDom.NO_CHECKPOINT, false)) return false;
  return true;
}

/** virConnectListDomains: ids of active domains. */
export function listDomainIDs(st: DriverState): number[] {
  const ids: number[] = [];
  for (const obj of st.domains.values()) if (obj.id !== -1) ids.push(obj.id);
  return ids;
}

/** virConnectListDefinedDomains: names of inactive domains. */
export function listDefinedNames(st: DriverState): string[] {
  const names: string[] = [];
  for (const obj of st.domains.values()) if (obj.id === -1) names.push(obj.name);
  return names;
}

/** virConnectNumOfDomains / NumOfDefinedDomains. */
export function countDomains(st: DriverState, active: boolean): number {
  let n = 0;
  for (const obj of st.domains.values()) if ((obj.id !== -1) === active) n++;
  return n;
}

/** virDomainLookupByName. */
export function lookupByName(st: DriverState, name: string): DomainRef {
  const obj = st.domains.byName(name);
  if (obj === undefined) throw testError(Err.NO_DOMAIN, `no domain with matching name '${name}'`);
  return obj.ref;
}

/** virDomainLookupByID. */
export function lookupByID(st: DriverState, id: number): DomainRef {
  const obj = st.domains.byID(id);
  if (obj === undefined) throw testError(Err.NO_DOMAIN, `no domain with matching id ${id}`);
  return obj.ref;
}

/** virDomainLookupByUUID. */
export function lookupByUUID(st: DriverState, uuid: string): DomainRef {
  const obj = st.domains.byUUID(uuid.toLowerCase());
  if (obj === undefined) throw testError(Err.NO_DOMAIN, `no domain with matching uuid '${uuid}'`);
  return obj.ref;
}

/** virDomainDefineXMLFlags. */
export function defineXML(st: DriverState, xml: string, flags: number): DomainRef {
  checkFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, 'testDomainDefineXMLFlags');
  const def = parseDomainDef(xml);
  // parsing `xml` again gives this model (but for a generated UUID, which the domain keeps)
  const reproducible = !generatedMAC;
  const freshUUID = generatedUUID;
  const name = def.name;
  if (name.includes('\n')) throw testError(Err.XML_ERROR, `name ${name} cannot contain '\\n'`);
  const existing = checkDuplicate(st, name, def.uuid, false, freshUUID);
  let obj: DomainObj;
  let updated: boolean;
  if (existing === undefined) {
    obj = new DomainObj(def);
    st.domains.add(obj);
    updated = false;
  } else {
    obj = existing;
    if (obj.isActive()) {
      // the new config takes over at the next stop (virDomainObjAssignDef on a live domain)
      updated = obj.persistent;
      obj.newDef = def;
    } else {
      updated = true;
      obj.def = def;
    }
  }
  obj.persistent = true;
  // defined domains mostly sit idle: keep them as XML (60-150 bytes each), a little later
  st.domains.compactLater(obj, reproducible ? xml : undefined);
  st.domainEvent(obj.ref, Ev.DEFINED, updated ? EvDetail.DEFINED_UPDATED : EvDetail.DEFINED_ADDED);
  return obj.ref;
}

/** virDomainCreateXML: a transient (or, for a defined inactive domain, live-only) start. */
export function createXML(st: DriverState, xml: string, flags: number): DomainRef {
  checkFlags(flags, VIR_DOMAIN_START_VALIDATE, 'testDomainCreateXML');
  const def = parseDomainDef(xml);
  const existing = checkDuplicate(st, def.name, def.uuid, true, generatedUUID);
  const obj = liveObjectFor(st, def, existing);
  startDomain(st, obj, RunningReason.BOOTED);
  st.domainEvent(obj.ref, Ev.STARTED, EvDetail.STARTED_BOOTED);
  return obj.ref;
}

/** virDomainUndefineFlags. */
export function undefine(st: DriverState, ref: DomainRef, flags: number): void {
  checkFlags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA, 'testDomainUndefineFlags');
  const obj = domObj(st, ref);
  if (obj.hasManagedSave && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
    throw testError(Err.OPERATION_INVALID, 'Refusing to undefine while domain managed save image exists');
  }
  const nsnap = obj.snapshots?.size ?? 0;
  if (!obj.isActive() && nsnap > 0 && !(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
    throw testError(Err.OPERATION_INVALID, `cannot delete inactive domain with ${nsnap} snapshots`);
  }
  st.domainEvent(obj.ref, Ev.UNDEFINED, EvDetail.UNDEFINED_REMOVED);
  obj.hasManagedSave = false;
  dropManagedSaveImage(obj);
  if (obj.isActive()) {
    obj.persistent = false;
    obj.newDef = undefined;
  } else st.domains.remove(obj);
}

/** virDomainCreateWithFlags; returns the ref with its new id. */
export function create(st: DriverState, ref: DomainRef, flags: number): DomainRef {
  checkFlags(flags, 0, 'testDomainCreateWithFlags');
  const obj = domObj(st, ref);
  if (obj.state !== DomState.SHUTOFF) throw testError(Err.INTERNAL_ERROR, `Domain '${ref.name}' is already running`);
  startDomain(st, obj, RunningReason.BOOTED);
  st.domainEvent(obj.ref, Ev.STARTED, EvDetail.STARTED_BOOTED);
  return obj.ref;
}

/** virDomainSuspend. */
export function suspend(st: DriverState, ref: DomainRef): void {
  const obj = domObj(st, ref);
  if (obj.state === DomState.SHUTOFF || obj.state === DomState.PAUSED) {
    throw testError(Err.INTERNAL_ERROR, `domain '${ref.name}' not running`);
  }
  setRunState(st, obj, DomState.PAUSED, PausedReason.USER);
  st.domainEvent(obj.ref, Ev.SUSPENDED, EvDetail.SUSPENDED_PAUSED);
}

/** virDomainResume. */
export function resume(st: DriverState, ref: DomainRef): void {
  const obj = domObj(st, ref);
  if (obj.state !== DomState.PAUSED) throw testError(Err.INTERNAL_ERROR, `domain '${ref.name}' not paused`);
  setRunState(st, obj, DomState.RUNNING, RunningReason.UNPAUSED);
  st.domainEvent(obj.ref, Ev.RESUMED, EvDetail.RESUMED_UNPAUSED);
}

/** Applies an on_poweroff / on_reboot action (testDomainActionSetState); true when it stopped. */
function lifecycleAction(st: DriverState, obj: DomainObj, action: string): boolean {
  if (action === 'restart' || action === 'rename-restart') {
    setRunState(st, obj, DomState.RUNNING, RunningReason.BOOTED);
    return false;
  }
  stopAndEmit(st, obj, ShutoffReason.SHUTDOWN, EvDetail.STOPPED_SHUTDOWN, Ev.STOPPED);
  return true;
}

/** virDomainShutdownFlags. */
export function shutdown(st: DriverState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainShutdownFlags');
  const obj = domObj(st, ref);
  if (obj.state === DomState.SHUTOFF) throw testError(Err.INTERNAL_ERROR, `domain '${ref.name}' not running`);
  lifecycleAction(st, obj, defLifecycleAction(obj.def, 'poweroff'));
}

/** virDomainReboot. */
export function reboot(st: DriverState, ref: DomainRef, flags: number): void {
  checkFlags(
    flags,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_GUEST_AGENT | VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL | VIR_DOMAIN_REBOOT_PARAVIRT,
    'testDomainReboot',
  );
  const obj = activeObj(st, ref);
  lifecycleAction(st, obj, defLifecycleAction(obj.def, 'reboot'));
}

/** virDomainReset: nothing to do on an active domain. */
export function reset(st: DriverState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainReset');
  activeObj(st, ref);
}

/** virDomainDestroyFlags. */
export function destroy(st: DriverState, ref: DomainRef, flags: number): void {
  checkFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, 'testDomainDestroyFlags');
  const obj = activeObj(st, ref);
  stopAndEmit(st, obj, ShutoffReason.DESTROYED, EvDetail.STOPPED_DESTROYED, Ev.STOPPED);
}

/** virDomainGetInfo. */
export function getInfo(st: DriverState, ref: DomainRef): DomainInfo {
  const obj = domObj(st, ref);
  return { state: obj.state, maxMem: obj.maxMemKiB(), memory: obj.memoryKiB(), nrVirtCpu: obj.vcpus(), cpuTime: cpuTimeNs(st, obj) };
}

/** virDomainGetState. */
export function getState(st: DriverState, ref: DomainRef, flags: number): DomainStateInfo {
  checkFlags(flags, 0, 'testDomainGetState');
  const obj = domObj(st, ref);
  return { state: obj.state, reason: obj.reason };
}

/** virDomainGetXMLDesc. */
export function getXMLDesc(st: DriverState, ref: DomainRef, flags: number): string {
  checkFlags(flags, XML_COMMON_FLAGS, 'testDomainGetXMLDesc');
  const obj = domObj(st, ref);
  if ((flags & ~XML_INACTIVE) === 0 && obj.id === -1) {
    const cached = obj.compactXML();
    if (cached !== undefined) return cached;
  }
  if (flags & XML_INACTIVE) return formatDomainDef(obj.persistentDef, -1, flags);
  return formatDomainDef(obj.def, obj.id, flags);
}
