/**
 * Internal snapshot methods: create, list/lookup, current, parent/children, revert, delete.
 * Metadata lives in snapshot-store.ts; the disk work in snapshot-ops.ts.
 */
import { checkQemuFlags } from './flags.js';
import { virtError, type DomainSnapshotRef, type HypervisorDriver } from '@virtkit/core';
import { formatDomainSnapshotXML, formatDomainXML, parseDomainElement, parseDomainSnapshotXML, parseXmlDocument, type DomainSnapshotDef } from '@virtkit/xml';
import type { QemuDriverState } from './driver-state.js';
import type { QemuDomainObj } from './domain-obj.js';
import { SnapshotStore } from './snapshot-store.js';
import { deleteLive, loadLive, qemuImgSnapshot, saveLive, snapshotDisks } from './snapshot-ops.js';
import { startProcess, stopProcess } from './process-control.js';
import * as C from './constants.js';

const LIST_ROOTS = 1;
const LIST_DESCENDANTS = 1;
const LIST_METADATA = 2;
const LIST_LEAVES = 4;
const LIST_NO_LEAVES = 8;
const LIST_NO_METADATA = 16;
const LIST_INACTIVE = 32;
const LIST_ACTIVE = 64;
const LIST_DISK_ONLY = 128;
const LIST_INTERNAL = 256;
const LIST_EXTERNAL = 512;
const LIST_TOPOLOGICAL = 1024;
const LIST_ALL = 2047;
const CREATE_HALT = 8;
const CREATE_ATOMIC = 128;
const CREATE_LIVE = 256;
const CREATE_VALIDATE = 512;
const STATE_NAMES: Record<number, string> = { 1: 'running', 3: 'paused', 5: 'shutoff', 4: 'shutdown', 6: 'crashed' };

function stateName(obj: QemuDomainObj): string {
  return STATE_NAMES[obj.state] ?? 'nostate';
}

/** The snapshot methods. */
export function snapshotMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  const storeOf = (obj: QemuDomainObj): SnapshotStore => new SnapshotStore(st.store.snapshotDir(obj.name));
  const refOf = (obj: QemuDomainObj, name: string): DomainSnapshotRef => ({ domain: obj.ref(), name });
  const must = (obj: QemuDomainObj, name: string): DomainSnapshotDef => {
    const s = storeOf(obj).get(name);
    if (!s) throw virtError(C.VIR_ERR_NO_DOMAIN_SNAPSHOT, `no domain snapshot with matching name '${name}'`);
    return s;
  };
  const children = (all: DomainSnapshotDef[], name: string | undefined): DomainSnapshotDef[] => all.filter((s) => s.parent === name);
  const descendants = (all: DomainSnapshotDef[], name: string): DomainSnapshotDef[] => {
    const out: DomainSnapshotDef[] = [];
    for (const c of children(all, name)) out.push(c, ...descendants(all, c.name!));
    return out;
  };
  const filter = (all: DomainSnapshotDef[], list: DomainSnapshotDef[], flags: number): DomainSnapshotDef[] =>
    list.filter((s) => {
      const leaf = children(all, s.name).length === 0;
      if (flags & (LIST_LEAVES | LIST_NO_LEAVES) && !((flags & LIST_LEAVES && leaf) || (flags & LIST_NO_LEAVES && !leaf))) return false;
      if (flags & LIST_NO_METADATA && !(flags & LIST_METADATA)) return false;
      const active = s.state === 'running' || s.state === 'paused';
      if (flags & (LIST_INACTIVE | LIST_ACTIVE | LIST_DISK_ONLY)) {
        if (!((flags & LIST_ACTIVE && active) || (flags & LIST_INACTIVE && s.state === 'shutoff') || (flags & LIST_DISK_ONLY && s.state === 'disk-snapshot'))) return false;
      }
      if (flags & (LIST_INTERNAL | LIST_EXTERNAL) && !(flags & LIST_INTERNAL)) return false;
      return true;
    });
  const snapRef = (snap: DomainSnapshotRef): { obj: QemuDomainObj; def: DomainSnapshotDef } => {
    const obj = st.get(snap.domain);
    return { obj, def: must(obj, snap.name) };
  };

  return {
    async domainSnapshotCreateXML(ref, xml, flags) {
      checkQemuFlags(flags, CREATE_HALT | CREATE_ATOMIC | CREATE_LIVE | CREATE_VALIDATE, 'qemuDomainSnapshotCreateXML');
      const obj = st.get(ref);
      const req = parseDomainSnapshotXML(xml);
      if (req.memory?.snapshot === 'external') throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, 'external memory snapshots are not supported');
      return obj.job.run('snapshot', async () => {
        const store = storeOf(obj);
        const now = Math.floor(Date.now() / 1000);
        const name = req.name ?? String(now);
        if (store.get(name)) throw virtError(C.VIR_ERR_OPERATION_INVALID, `domain snapshot ${name} already exists`);
        snapshotDisks(obj.def);
        const def: DomainSnapshotDef = {
          name,
          state: stateName(obj),
          creationTime: now,
          memory: { snapshot: obj.active ? 'internal' : 'no' },
          domain: parseXmlDocument(formatDomainXML(obj.def, { inactive: true })),
        };
        if (req.description !== undefined) def.description = req.description;
        const parent = store.current();
        if (parent) def.parent = parent;
        if (obj.active) {
          obj.pendingPauseReason = C.VIR_DOMAIN_PAUSED_SNAPSHOT;
          try {
            await saveLive(obj, name);
          } finally {
            obj.pendingPauseReason = undefined;
          }
          if (flags & CREATE_HALT) await stopProcess(st, obj, C.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, C.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        } else {
          await qemuImgSnapshot(obj.def, '-c', name);
        }
        await store.put(def);
        await store.setCurrent(name);
        return refOf(obj, name);
      });
    },
    async domainListAllSnapshots(ref, flags) {
      checkQemuFlags(flags, LIST_ALL, 'qemuDomainListAllSnapshots');
      const obj = st.get(ref);
      const all = storeOf(obj).list();
      const base = flags & LIST_ROOTS ? all.filter((s) => s.parent === undefined) : all;
      return filter(all, base, flags).map((s) => refOf(obj, s.name!));
    },
    async domainSnapshotNum(ref, flags) {
      checkQemuFlags(flags, LIST_ALL, 'qemuDomainSnapshotNum');
      const obj = st.get(ref);
      const all = storeOf(obj).list();
      const base = flags & LIST_ROOTS ? all.filter((s) => s.parent === undefined) : all;
      return filter(all, base, flags).length;
    },
    async domainSnapshotLookupByName(ref, name, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainSnapshotLookupByName');
      const obj = st.get(ref);
      must(obj, name);
      return refOf(obj, name);
    },
    async domainSnapshotCurrent(ref, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainSnapshotCurrent');
      const obj = st.get(ref);
      const cur = storeOf(obj).current();
      if (!cur) throw virtError(C.VIR_ERR_NO_DOMAIN_SNAPSHOT, 'the domain does not have a current snapshot');
      return refOf(obj, cur);
    },
    async domainHasCurrentSnapshot(ref, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainHasCurrentSnapshot');
      return storeOf(st.get(ref)).current() !== undefined;
    },
    async domainSnapshotGetXMLDesc(snap, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_XML_SECURE, 'qemuDomainSnapshotGetXMLDesc');
      return formatDomainSnapshotXML(snapRef(snap).def);
    },
    async domainSnapshotGetParent(snap, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainSnapshotGetParent');
      const { obj, def } = snapRef(snap);
      if (!def.parent) throw virtError(C.VIR_ERR_NO_DOMAIN_SNAPSHOT, `snapshot '${def.name}' does not have a parent`);
      return refOf(obj, def.parent);
    },
    async domainSnapshotListAllChildren(snap, flags) {
      checkQemuFlags(flags, LIST_ALL & ~LIST_ROOTS | LIST_DESCENDANTS, 'qemuDomainSnapshotListAllChildren');
      const { obj, def } = snapRef(snap);
      const all = storeOf(obj).list();
      const base = flags & LIST_DESCENDANTS ? descendants(all, def.name!) : children(all, def.name);
      return filter(all, base, flags & ~LIST_DESCENDANTS & ~LIST_TOPOLOGICAL).map((s) => refOf(obj, s.name!));
    },
    async domainSnapshotIsCurrent(snap, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainSnapshotIsCurrent');
      const { obj, def } = snapRef(snap);
      return storeOf(obj).current() === def.name;
    },
    async domainSnapshotHasMetadata(snap, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainSnapshotHasMetadata');
      snapRef(snap);
      return true;
    },
    async domainRevertToSnapshot(snap, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | C.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED | 4, 'qemuDomainRevertToSnapshot');
      const { obj, def } = snapRef(snap);
      await obj.job.run('snapshot', async () => {
        const withMemory = def.state === 'running' || def.state === 'paused';
        const wantRunning = flags & C.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING ? true : flags & C.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED ? false : def.state === 'running';
        if (withMemory) {
          if (!obj.active) {
            const cfg = def.domain ? parseDomainElement(def.domain) : obj.persistentDef!;
            await startProcess(st, obj, cfg, { paused: true, startedDetail: C.VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT, emitStarted: false });
            await loadLive(obj, def.name!);
            st.emit(obj, C.VIR_DOMAIN_EVENT_STARTED, C.VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
          } else {
            if (obj.state === C.VIR_DOMAIN_RUNNING) {
              obj.pendingPauseReason = C.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT;
              await obj.mon().execute('stop');
              obj.pendingPauseReason = undefined;
            }
            await loadLive(obj, def.name!);
          }
          if (wantRunning) {
            obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
            await obj.mon().execute('cont');
            st.emit(obj, C.VIR_DOMAIN_EVENT_RESUMED, C.VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
          } else {
            obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
            st.emit(obj, C.VIR_DOMAIN_EVENT_SUSPENDED, C.VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
          }
          await st.saveStatus(obj);
        } else {
          if (obj.active) await stopProcess(st, obj, C.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, C.VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
          await qemuImgSnapshot(obj.persistentDef ?? obj.def, '-a', def.name!);
          if (wantRunning || flags & C.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) {
            await startProcess(st, obj, obj.persistentDef!, { paused: !wantRunning, startedDetail: C.VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT });
          }
        }
        await storeOf(obj).setCurrent(def.name);
      });
    },
    async domainSnapshotDelete(snap, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | C.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY | C.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY, 'qemuDomainSnapshotDelete');
      const { obj, def } = snapRef(snap);
      await obj.job.run('snapshot', async () => {
        const store = storeOf(obj);
        const all = store.list();
        const victims = flags & (C.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | C.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) ? descendants(all, def.name!) : [];
        if (!(flags & C.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)) victims.push(def);
        const current = store.current();
        for (const v of victims.reverse()) {
          if (!(flags & C.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)) {
            if (obj.active) await deleteLive(obj, v.name!);
            else await qemuImgSnapshot(obj.persistentDef ?? obj.def, '-d', v.name!);
          }
          for (const c of children(store.list(), v.name)) {
            if (v.parent === undefined) delete c.parent;
            else c.parent = v.parent;
            await store.put(c);
          }
          await store.remove(v.name!);
          if (current === v.name) await store.setCurrent(v.parent);
        }
      });
    },
  };
}
