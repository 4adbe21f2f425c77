/**
 * Memory, vCPUs, autostart, rename and metadata of a domain, as libvirt 9.0's test driver.
 */
import type { DomainRef } from '@virtkit/core';
import { Affect, DomState, Err, Ev, EvDetail, From } from './consts.js';
import { defMaxVcpus, defVcpus, setDefMaxVcpus, setDefVcpus } from './domain-def.js';
import { affectedDefs, oneDef, readDef } from './domain-defs.js';
import { domObj } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { checkFlags, testError } from './errors.js';

const MAX_VCPUS = 32;

/** virDomainSetMemoryFlags (setMemory = AFFECT_LIVE, setMaxMemory = MEM_MAXIMUM). */
export function setMemoryFlags(st: DriverState, ref: DomainRef, kib: number, flags: number): void {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG | Affect.MAXIMUM, 'testDomainSetMemoryFlags');
  const obj = domObj(st, ref);
  const { def, live } = oneDef(obj, flags);
  if (flags & Affect.MAXIMUM) {
    if (live) throw testError(Err.OPERATION_INVALID, 'cannot resize the maximum memory on an active domain');
    if (def.maxMemory?.kib !== undefined && def.maxMemory.kib < kib) {
      throw testError(Err.OPERATION_INVALID, 'cannot set initial memory size greater than the maximum memory size');
    }
    def.memory = kib;
    if ((def.currentMemory ?? kib) > kib) def.currentMemory = kib;
    return;
  }
  if (kib > def.memory) throw testError(Err.INVALID_ARG, 'cannot set memory higher than max memory');
  def.currentMemory = kib;
}

/** virDomainGetMaxMemory. */
export function getMaxMemory(st: DriverState, ref: DomainRef): number {
  return domObj(st, ref).maxMemKiB();
}

/** virDomainSetVcpusFlags. */
export function setVcpusFlags(st: DriverState, ref: DomainRef, n: number, flags: number): void {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG | Affect.MAXIMUM, 'testDomainSetVcpusFlags');
  if (n > MAX_VCPUS) {
    throw testError(Err.INVALID_ARG, `requested cpu amount exceeds maximum supported amount (${n} > ${MAX_VCPUS})`);
  }
  const obj = domObj(st, ref);
  const { live, config } = affectedDefs(obj, flags);
  if (live && defMaxVcpus(live) < n) {
    throw testError(Err.INVALID_ARG, `requested cpu amount exceeds maximum (${n} > ${defMaxVcpus(live)})`);
  }
  if (config && !(flags & Affect.MAXIMUM) && defMaxVcpus(config) < n) {
    throw testError(Err.INVALID_ARG, `requested cpu amount exceeds maximum (${n} > ${defMaxVcpus(config)})`);
  }
  if (n < 1) throw testError(Err.INVALID_ARG, 'vCPU count must be greater than 0', From.DOMAIN);
  if (live) setDefVcpus(live, n);
  if (config) {
    if (flags & Affect.MAXIMUM) setDefMaxVcpus(config, n);
    else setDefVcpus(config, n);
  }
}

/** virDomainGetVcpusFlags. */
export function getVcpusFlags(st: DriverState, ref: DomainRef, flags: number): number {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG | Affect.MAXIMUM, 'testDomainGetVcpusFlags');
  const def = readDef(domObj(st, ref), flags);
  return flags & Affect.MAXIMUM ? defMaxVcpus(def) : defVcpus(def);
}

/** virDomainGetMaxVcpus (LIVE | MAXIMUM, as the test driver asks). */
export function getMaxVcpus(st: DriverState, ref: DomainRef): number {
  return getVcpusFlags(st, ref, Affect.LIVE | Affect.MAXIMUM);
}

/** virDomainGetAutostart. */
export function getAutostart(st: DriverState, ref: DomainRef): boolean {
  return domObj(st, ref).autostart;
}

/** virDomainSetAutostart. */
export function setAutostart(st: DriverState, ref: DomainRef, on: boolean): void {
  domObj(st, ref).autostart = on;
}

/** virDomainRename: only shut-off persistent domains; UNDEFINED/RENAMED then DEFINED/RENAMED. */
export function rename(st: DriverState, ref: DomainRef, newName: string, flags: number): DomainRef {
  checkFlags(flags, 0, 'testDomainRename');
  const obj = domObj(st, ref);
  if (obj.isActive()) throw testError(Err.OPERATION_INVALID, 'cannot rename active domain');
  if (!obj.persistent) throw testError(Err.OPERATION_INVALID, 'cannot rename a transient domain');
  if (obj.state !== DomState.SHUTOFF) throw testError(Err.OPERATION_INVALID, 'domain has to be shutoff before renaming');
  if (obj.name === newName) throw testError(Err.OPERATION_INVALID, "Can't rename domain to itself", From.DOMAIN);
  if (st.domains.byName(newName)) {
    throw testError(Err.OPERATION_INVALID, `domain with name '${newName}' already exists`, From.DOMAIN);
  }
  if (newName.includes('/')) throw testError(Err.XML_ERROR, `name ${newName} cannot contain '/'`);
  const oldRef = obj.ref;
  const oldName = obj.name;
  st.domainEvent(oldRef, Ev.UNDEFINED, EvDetail.UNDEFINED_RENAMED);
  obj.def.name = newName;
  obj.name = newName;
  st.domains.reindexName(obj, oldName);
  st.domainEvent(obj.ref, Ev.DEFINED, EvDetail.DEFINED_RENAMED);
  return obj.ref;
}
