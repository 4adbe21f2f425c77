/**
 * Listing, lookup, define/undefine, autostart: libvirt's connectListAllDomains,
 * domainLookupBy*, domainDefineXML, domainUndefine and friends.
 */
import { checkQemuFlags } from './flags.js';
import { virtError, type DomainRef, type HypervisorDriver } from '@virtkit/core';
import { parseDomainXML, formatDomainXML, generateUUID, generateMAC, type DomainDef } from '@virtkit/xml';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { validateDomainName } from './domain-store.js';
import { QemuDomainObj } from './domain-obj.js';
import type { QemuDriverState } from './driver-state.js';
import { canonicalMachine, defaultEmulator } from './capabilities.js';
import * as C from './constants.js';

/** Fills what libvirt's post-parse fills: uuid, MACs, emulator, balloon, current memory. */
export function postParse(def: DomainDef): DomainDef {
  validateDomainName(def.name);
  if (def.type !== 'kvm' && def.type !== 'qemu') {
    throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `Emulator '${defaultEmulator()}' does not support virt type '${def.type}'`);
  }
  def.uuid ??= generateUUID();
  def.os.arch ??= 'x86_64';
  def.devices.emulator ??= defaultEmulator();
  if (def.currentMemory === undefined || def.currentMemory > def.memory) def.currentMemory = def.memory;
  def.vcpu ??= { count: 1 };
  for (const i of def.devices.interfaces) i.mac ??= generateMAC();
  def.devices.memballoon ??= { model: 'virtio' };
  return def;
}

/** Replaces a machine alias by its canonical type (`pc` -> `pc-i440fx-7.2`), as libvirt's define. */
export async function canonicalizeMachine(st: QemuDriverState, def: DomainDef): Promise<void> {
  const caps = await st.caps(def.devices.emulator);
  const m = canonicalMachine(caps, def.os.machine);
  if (!m) throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `Emulator '${caps.binary}' does not support machine type '${def.os.machine}'`);
  def.os.machine = m;
}

function matchesFlags(st: QemuDriverState, d: QemuDomainObj, flags: number): boolean {
  const A = C.VIR_CONNECT_LIST_DOMAINS_ACTIVE, I = C.VIR_CONNECT_LIST_DOMAINS_INACTIVE;
  if (flags & (A | I) && !((flags & A && d.active) || (flags & I && !d.active))) return false;
  const P = C.VIR_CONNECT_LIST_DOMAINS_PERSISTENT, T = C.VIR_CONNECT_LIST_DOMAINS_TRANSIENT;
  if (flags & (P | T) && !((flags & P && d.persistent) || (flags & T && !d.persistent))) return false;
  const R = C.VIR_CONNECT_LIST_DOMAINS_RUNNING, PA = C.VIR_CONNECT_LIST_DOMAINS_PAUSED;
  const S = C.VIR_CONNECT_LIST_DOMAINS_SHUTOFF, O = C.VIR_CONNECT_LIST_DOMAINS_OTHER;
  if (flags & (R | PA | S | O)) {
    const s = d.state;
    const ok = (flags & R && s === C.VIR_DOMAIN_RUNNING) || (flags & PA && s === C.VIR_DOMAIN_PAUSED) ||
      (flags & S && s === C.VIR_DOMAIN_SHUTOFF) ||
      (flags & O && s !== C.VIR_DOMAIN_RUNNING && s !== C.VIR_DOMAIN_PAUSED && s !== C.VIR_DOMAIN_SHUTOFF);
    if (!ok) return false;
  }
  const MS = C.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, NMS = C.VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE;
  if (flags & (MS | NMS)) {
    const has = existsSync(st.store.managedSavePath(d.name));
    if (!((flags & MS && has) || (flags & NMS && !has))) return false;
  }
  const AS = C.VIR_CONNECT_LIST_DOMAINS_AUTOSTART, NAS = C.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART;
  if (flags & (AS | NAS) && !((flags & AS && d.autostart) || (flags & NAS && !d.autostart))) return false;
  return true;
}

/** Defines (or redefines) a persistent domain from a parsed definition. */
export async function defineDomain(st: QemuDriverState, def: DomainDef): Promise<QemuDomainObj> {
  postParse(def);
  await canonicalizeMachine(st, def);
  if (def.type === 'kvm' && !st.kvmUsable()) {
    throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, 'Domain requires KVM, but it is not available. Check that virtualization is enabled in the host BIOS, and host configuration is setup to load the kvm modules.');
  }
  const byName = st.byName(def.name);
  const byUuid = st.byUuid(def.uuid!);
  if (byName && byName.uuid !== def.uuid) {
    throw virtError(C.VIR_ERR_OPERATION_FAILED, `domain '${def.name}' already exists with uuid ${byName.uuid}`);
  }
  if (byUuid && byUuid.name !== def.name) {
    throw virtError(C.VIR_ERR_OPERATION_FAILED, `domain '${byUuid.name}' is already defined with uuid ${def.uuid}`);
  }
  let obj = byUuid;
  const isNew = !obj || !obj.persistent;
  if (!obj) {
    obj = new QemuDomainObj(def.name, def.uuid!);
    st.add(obj);
  }
  delete def.id;
  try {
    await st.saveConfig(obj, def);
  } catch (e) {
    if (!obj.active && !obj.persistent) st.remove(obj);
    throw e;
  }
  obj.persistentDef = def;
  if (obj.active) await st.saveStatus(obj);
  st.emit(obj, C.VIR_DOMAIN_EVENT_DEFINED, isNew ? C.VIR_DOMAIN_EVENT_DEFINED_ADDED : C.VIR_DOMAIN_EVENT_DEFINED_UPDATED);
  return obj;
}

/** The listing/lookup/define/undefine methods. */
export function defineMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  return {
    async connectListAllDomains(flags) {
      checkQemuFlags(flags, 0xffff, 'qemuConnectListAllDomains');
      return st.all().filter((d) => matchesFlags(st, d, flags)).map((d) => d.ref());
    },
    async connectListDomains() {
      return st.all().filter((d) => d.active).map((d) => d.id).sort((a, b) => a - b);
    },
    async connectListDefinedDomains() {
      return st.all().filter((d) => !d.active).map((d) => d.name).sort();
    },
    async connectNumOfDomains() {
      return st.all().filter((d) => d.active).length;
    },
    async connectNumOfDefinedDomains() {
      return st.all().filter((d) => !d.active).length;
    },
    async domainLookupByName(name) {
      const d = st.byName(name);
      if (!d) throw virtError(C.VIR_ERR_NO_DOMAIN, `no domain with matching name '${name}'`);
      return d.ref();
    },
    async domainLookupByUUID(uuid) {
      const d = st.byUuid(uuid);
      if (!d) throw virtError(C.VIR_ERR_NO_DOMAIN, `no domain with matching uuid '${uuid}'`);
      return d.ref();
    },
    async domainLookupByID(id) {
      const d = st.byId(id);
      if (!d) throw virtError(C.VIR_ERR_NO_DOMAIN, `no domain with matching id ${id}`);
      return d.ref();
    },
    async domainDefineXML(xml, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_DEFINE_VALIDATE, 'qemuDomainDefineXMLFlags');
      const obj = await defineDomain(st, parseDomainXML(xml));
      return obj.ref();
    },
    async domainUndefine(ref: DomainRef, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | C.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | C.VIR_DOMAIN_UNDEFINE_NVRAM | C.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM, 'qemuDomainUndefineFlags');
      const obj = st.get(ref);
      await obj.job.run('undefine', async () => {
        if (!obj.persistent) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot undefine transient domain');
        const save = st.store.managedSavePath(obj.name);
        if (existsSync(save)) {
          if (!(flags & C.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
            throw virtError(C.VIR_ERR_OPERATION_INVALID, 'Refusing to undefine while domain managed save image exists');
          }
          await rm(save, { force: true });
        }
        const snapDir = st.store.snapshotDir(obj.name);
        if (existsSync(snapDir)) {
          const count = readdirSync(snapDir).filter((f) => f.endsWith('.xml')).length;
          if (!(flags & C.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) && !obj.active && count > 0) {
            throw virtError(C.VIR_ERR_OPERATION_INVALID, `cannot delete inactive domain with ${count} snapshots`);
          }
          await rm(snapDir, { recursive: true, force: true });
        }
        await st.store.removeDefinition(obj.name);
        obj.persistentDef = undefined;
        obj.autostart = false;
        st.emit(obj, C.VIR_DOMAIN_EVENT_UNDEFINED, C.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
        if (!obj.active) st.remove(obj);
        else await st.saveStatus(obj);
      });
    },
    async domainRename(ref, newName, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainRename');
      const obj = st.get(ref);
      return obj.job.run('modify', async () => {
        validateDomainName(newName);
        if (obj.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot rename active domain');
        if (!obj.persistent) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot rename a transient domain');
        if (existsSync(st.store.managedSavePath(obj.name))) throw virtError(C.VIR_ERR_OPERATION_INVALID, "domain with a managed saved state can't be renamed");
        const snapDir = st.store.snapshotDir(obj.name);
        if (existsSync(snapDir) && readdirSync(snapDir).some((f) => f.endsWith('.xml'))) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot rename domain with snapshots');
        if (st.byName(newName)) throw virtError(C.VIR_ERR_OPERATION_INVALID, `domain with name '${newName}' already exists`);
        const oldName = obj.name;
        const def = structuredClone(obj.persistentDef!);
        def.name = newName;
        const reason = st.store.loadShutoffReason(oldName);
        const autostart = obj.autostart;
        await st.store.writeDefinition(newName, formatDomainXML(def, { inactive: true }));
        await st.store.removeDefinition(oldName);
        st.emit(obj, C.VIR_DOMAIN_EVENT_UNDEFINED, C.VIR_DOMAIN_EVENT_UNDEFINED_RENAMED);
        st.rename(obj, newName);
        obj.persistentDef = def;
        if (autostart) await st.store.setAutostart(newName, true);
        if (reason) await st.store.writeShutoffReason(newName, reason);
        st.emit(obj, C.VIR_DOMAIN_EVENT_DEFINED, C.VIR_DOMAIN_EVENT_DEFINED_RENAMED);
        return obj.ref();
      });
    },
    async domainGetAutostart(ref) {
      return st.get(ref).autostart;
    },
    async domainSetAutostart(ref, autostart) {
      const obj = st.get(ref);
      if (!obj.persistent) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot set autostart for transient domain');
      await st.store.setAutostart(obj.name, autostart);
      obj.autostart = autostart;
    },
    async domainIsActive(ref) {
      return st.get(ref).active;
    },
    async domainIsPersistent(ref) {
      return st.get(ref).persistent;
    },
    async domainIsUpdated(ref) {
      const obj = st.get(ref);
      if (!obj.active || !obj.persistentDef) return false;
      // The persistent config was redefined (or edited with AFFECT_CONFIG) while running.
      return obj.configChangedWhileRunning;
    },
  };
}
