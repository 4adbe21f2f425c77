/**
 * Domain snapshots: create (incl. redefine and halt), list, lookup, parent/children, current,
 * revert with libvirt 9.0 test-driver transitions and events, and delete.
 */
import {
  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
  VIR_DOMAIN_SNAPSHOT_REVERT_FORCE,
  VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED,
  VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING,
  VIR_DOMAIN_SNAPSHOT_XML_SECURE,
} from '@virtkit/core';
import type { DomainRef, DomainSnapshotRef } from '@virtkit/core';
import { DomState, Err, Ev, EvDetail, From, PausedReason, RunningReason, SnapCreate, SnapList, ShutoffReason } from './consts.js';
import { cloneDef } from './domain-def.js';
import type { DomainObj } from './domain-obj.js';
import { domObj, setRunState, startDomain, stopAndEmit, stopDomain } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { checkFlags, testError } from './errors.js';
import { SnapshotTree } from './snapshot-tree.js';
import type { SnapshotNode, SnapshotState } from './snapshot-tree.js';
import { formatSnapshotXML, parseSnapshotXML } from './snapshot-xml.js';
import type { XmlElement } from '@virtkit/xml';

const DELETE_CHILDREN = VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
const DELETE_CHILDREN_ONLY = VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
const REVERT_RUNNING = VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
const REVERT_PAUSED = VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
const REVERT_FORCE = VIR_DOMAIN_SNAPSHOT_REVERT_FORCE;

const STATE_NAMES: SnapshotState[] = ['nostate', 'running', 'blocked', 'paused', 'nostate', 'shutoff', 'crashed', 'pmsuspended'];

function snapRef(obj: DomainObj, name: string): DomainSnapshotRef {
  return { domain: obj.ref, name };
}

function snapNode(obj: DomainObj, name: string): SnapshotNode {
  const node = obj.snapshots?.get(name);
  if (!node) throw testError(Err.NO_DOMAIN_SNAPSHOT, `no domain snapshot with matching name '${name}'`);
  return node;
}

function lookup(st: DriverState, snap: DomainSnapshotRef): { obj: DomainObj; node: SnapshotNode } {
  const obj = domObj(st, snap.domain);
  return { obj, node: snapNode(obj, snap.name) };
}

/** virDomainSnapshotCreateXML. */
export function snapshotCreateXML(st: DriverState, ref: DomainRef, xml: string, flags: number): DomainSnapshotRef {
  checkFlags(
    flags,
    SnapCreate.REDEFINE | SnapCreate.CURRENT | SnapCreate.HALT | SnapCreate.QUIESCE | SnapCreate.ATOMIC | SnapCreate.LIVE | SnapCreate.VALIDATE,
    'testDomainSnapshotCreateXML',
  );
  const redefine = (flags & SnapCreate.REDEFINE) !== 0;
  const obj = domObj(st, ref);
  if (!obj.persistent && flags & SnapCreate.HALT) {
    throw testError(Err.OPERATION_INVALID, 'cannot halt after transient domain snapshot');
  }
  const parsed = parseSnapshotXML(xml);
  const nowSec = Math.floor(st.nowNs() / 1e9);
  const tree = (obj.snapshots ??= new SnapshotTree());
  if (redefine) {
    if (!parsed.dom) throw testError(Err.INTERNAL_ERROR, 'missing domain in snapshot', From.DOMAIN_SNAPSHOT);
    const name = parsed.name ?? String(parsed.creationTime ?? nowSec);
    const existing = tree.get(name);
    const node: SnapshotNode = {
      name,
      description: parsed.description,
      state: parsed.state ?? 'shutoff',
      creationTime: parsed.creationTime ?? nowSec,
      memory: parsed.memory ?? (parsed.state === 'shutoff' ? 'no' : 'internal'),
      disks: parsed.dom.devices.disks.map((d) => ({ name: d.target.dev, snapshot: 'internal' })),
      dom: parsed.dom,
      parent: undefined,
      children: existing?.children ?? [],
    };
    if (existing) tree.remove(existing);
    tree.add(node, parsed.parent);
    for (const c of node.children) c.parent = node;
    if (flags & SnapCreate.CURRENT) tree.current = node;
    return snapRef(obj, name);
  }
  const name = parsed.name ?? String(nowSec);
  if (tree.get(name)) throw testError(Err.OPERATION_FAILED, `domain moment ${name} already exists`, From.DOMAIN);
  const state = STATE_NAMES[obj.state] ?? 'nostate';
  const node: SnapshotNode = {
    name,
    description: parsed.description,
    state,
    creationTime: nowSec,
    memory: state === 'shutoff' ? 'no' : 'internal',
    disks: obj.def.devices.disks.map((d) => ({ name: d.target.dev, snapshot: 'internal' })),
    dom: cloneDef(obj.def),
    parent: undefined,
    children: [],
  };
  tree.add(node, tree.current?.name);
  tree.current = node;
  if (flags & SnapCreate.HALT && obj.isActive()) {
    stopAndEmit(st, obj, ShutoffReason.FROM_SNAPSHOT, EvDetail.STOPPED_FROM_SNAPSHOT, Ev.STOPPED);
  }
  return snapRef(obj, name);
}

/** virDomainListAllSnapshots. */
export function listAllSnapshots(st: DriverState, ref: DomainRef, flags: number): DomainSnapshotRef[] {
  checkFlags(flags, SnapList.ROOTS | SnapList.TOPOLOGICAL | SnapList.FILTERS_ALL, 'testDomainListAllSnapshots');
  const obj = domObj(st, ref);
  return (obj.snapshots?.list(flags) ?? []).map((n) => snapRef(obj, n.name));
}

/** virDomainSnapshotNum. */
export function snapshotNum(st: DriverState, ref: DomainRef, flags: number): number {
  checkFlags(flags, SnapList.ROOTS | SnapList.TOPOLOGICAL | SnapList.FILTERS_ALL, 'testDomainSnapshotNum');
  return domObj(st, ref).snapshots?.list(flags).length ?? 0;
}

/** virDomainSnapshotLookupByName. */
export function snapshotLookupByName(st: DriverState, ref: DomainRef, name: string, flags: number): DomainSnapshotRef {
  checkFlags(flags, 0, 'testDomainSnapshotLookupByName');
  const obj = domObj(st, ref);
  return snapRef(obj, snapNode(obj, name).name);
}

/** virDomainSnapshotCurrent. */
export function snapshotCurrent(st: DriverState, ref: DomainRef, flags: number): DomainSnapshotRef {
  checkFlags(flags, 0, 'testDomainSnapshotCurrent');
  const obj = domObj(st, ref);
  const cur = obj.snapshots?.current;
  if (!cur) throw testError(Err.NO_DOMAIN_SNAPSHOT, 'the domain does not have a current snapshot');
  return snapRef(obj, cur.name);
}

/** virDomainHasCurrentSnapshot. */
export function hasCurrentSnapshot(st: DriverState, ref: DomainRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainHasCurrentSnapshot');
  return domObj(st, ref).snapshots?.current !== undefined;
}

/** virDomainSnapshotGetXMLDesc. */
export function snapshotGetXMLDesc(st: DriverState, snap: DomainSnapshotRef, flags: number): string {
  checkFlags(flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE, 'testDomainSnapshotGetXMLDesc');
  return formatSnapshotXML(lookup(st, snap).node);
}

/** virDomainSnapshotGetParent. */
export function snapshotGetParent(st: DriverState, snap: DomainSnapshotRef, flags: number): DomainSnapshotRef {
  checkFlags(flags, 0, 'testDomainSnapshotGetParent');
  const { obj, node } = lookup(st, snap);
  if (!node.parent) throw testError(Err.NO_DOMAIN_SNAPSHOT, `snapshot '${node.name}' does not have a parent`);
  return snapRef(obj, node.parent.name);
}

/** virDomainSnapshotListAllChildren. */
export function snapshotListAllChildren(st: DriverState, snap: DomainSnapshotRef, flags: number): DomainSnapshotRef[] {
  checkFlags(flags, SnapList.DESCENDANTS | SnapList.TOPOLOGICAL | SnapList.FILTERS_ALL, 'testDomainSnapshotListAllChildren');
  const { obj, node } = lookup(st, snap);
  return obj.snapshots!.list(flags, node).map((n) => snapRef(obj, n.name));
}

/** virDomainSnapshotIsCurrent. */
export function snapshotIsCurrent(st: DriverState, snap: DomainSnapshotRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainSnapshotIsCurrent');
  const { obj, node } = lookup(st, snap);
  return obj.snapshots!.current === node;
}

/** virDomainSnapshotHasMetadata: always, in the test driver. */
export function snapshotHasMetadata(st: DriverState, snap: DomainSnapshotRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainSnapshotHasMetadata');
  lookup(st, snap);
  return true;
}

/** virDomainSnapshotDelete (CHILDREN, CHILDREN_ONLY). */
export function snapshotDelete(st: DriverState, snap: DomainSnapshotRef, flags: number): void {
  checkFlags(flags, DELETE_CHILDREN | DELETE_CHILDREN_ONLY, 'testDomainSnapshotDelete');
  const { obj, node } = lookup(st, snap);
  const tree = obj.snapshots!;
  if (flags & (DELETE_CHILDREN | DELETE_CHILDREN_ONLY)) {
    if (tree.removeDescendants(node)) tree.current = node;
  }
  if (flags & DELETE_CHILDREN_ONLY) return;
  if (flags & DELETE_CHILDREN) tree.remove(node);
  else tree.removeReparent(node);
}

/** virDomainRevertToSnapshot (RUNNING, PAUSED, FORCE). */
export function revertToSnapshot(st: DriverState, snap: DomainSnapshotRef, flags: number): void {
  checkFlags(flags, REVERT_RUNNING | REVERT_PAUSED | REVERT_FORCE, 'testDomainRevertToSnapshot');
  const { obj, node } = lookup(st, snap);
  const live = node.state === 'running' || node.state === 'paused';
  const wantRunOrPause = (flags & (REVERT_RUNNING | REVERT_PAUSED)) !== 0;
  if (!obj.persistent && !live && !wantRunOrPause) {
    throw testError(Err.OPERATION_INVALID, 'transient domain needs to request run or pause to revert to inactive snapshot');
  }
  if (!(flags & REVERT_FORCE) && !node.dom) {
    throw testError(Err.SNAPSHOT_REVERT_RISKY, `snapshot '${node.name}' lacks domain '${obj.name}' rollback info`);
  }
  const tree = obj.snapshots!;
  tree.current = undefined;
  const config = cloneDef(node.dom!);
  if (live) {
    if (obj.isActive()) stopInPlace(st, obj);
    obj.def = config;
    obj.newDef = undefined;
    startDomain(st, obj, RunningReason.FROM_SNAPSHOT);
    st.domainEvent(obj.ref, Ev.STARTED, EvDetail.STARTED_FROM_SNAPSHOT);
    if (!(flags & REVERT_RUNNING) && (node.state === 'paused' || flags & REVERT_PAUSED)) {
      setRunState(st, obj, DomState.PAUSED, PausedReason.FROM_SNAPSHOT);
      st.domainEvent(obj.ref, Ev.SUSPENDED, EvDetail.SUSPENDED_FROM_SNAPSHOT);
    }
  } else {
    if (obj.isActive()) {
      obj.newDef = config;
      stopInPlace(st, obj);
    } else obj.def = config;
    if (wantRunOrPause) {
      // libvirt 9.0 announces the start without starting the domain; kept for parity
      st.domainEvent(obj.ref, Ev.STARTED, EvDetail.STARTED_FROM_SNAPSHOT);
      if (flags & REVERT_PAUSED) st.domainEvent(obj.ref, Ev.SUSPENDED, EvDetail.SUSPENDED_FROM_SNAPSHOT);
    }
  }
  tree.current = node;
}

/** Stops for a revert: transient domains stay listed, as libvirt's revert keeps them. */
function stopInPlace(st: DriverState, obj: DomainObj): void {
  stopDomain(st, obj, ShutoffReason.FROM_SNAPSHOT);
  st.domainEvent(obj.ref, Ev.STOPPED, EvDetail.STOPPED_FROM_SNAPSHOT);
}

/**
 * Loads `<domainsnapshot>` elements of a node file (testParseDomainSnapshots): parents are
 * linked once all are read, and the one marked `<active>1</active>` becomes current.
 */
export function loadSnapshots(obj: DomainObj, elements: XmlElement[]): void {
  if (elements.length === 0) return;
  const tree = (obj.snapshots ??= new SnapshotTree());
  const pending: { node: SnapshotNode; parent: string | undefined }[] = [];
  for (const wrapper of elements) {
    // <test:domainsnapshot> may hold the <domainsnapshot> document or be it
    const inner = wrapper.children.find((c): c is XmlElement => c.type === 'element' && c.name === 'domainsnapshot');
    const parsed = parseSnapshotXML(inner ?? wrapper);
    const name = parsed.name ?? String(parsed.creationTime ?? 0);
    if (tree.get(name)) throw testError(Err.OPERATION_FAILED, `domain moment ${name} already exists`, From.DOMAIN);
    const dom = parsed.dom;
    const node: SnapshotNode = {
      name,
      description: parsed.description,
      state: parsed.state ?? 'shutoff',
      creationTime: parsed.creationTime ?? 0,
      memory: parsed.memory ?? (parsed.state === 'shutoff' ? 'no' : 'internal'),
      disks: (dom ?? obj.def).devices.disks.map((d) => ({ name: d.target.dev, snapshot: 'internal' })),
      dom,
      parent: undefined,
      children: [],
    };
    tree.add(node, undefined);
    pending.push({ node, parent: parsed.parent });
    if (parsed.active) {
      if (tree.current) throw testError(Err.INTERNAL_ERROR, 'more than one snapshot claims to be active');
      tree.current = node;
    }
  }
  for (const { node, parent } of pending) {
    if (parent === undefined) continue;
    const p = tree.get(parent);
    if (!p) throw testError(Err.INTERNAL_ERROR, `Snapshots have inconsistent relations for domain ${obj.name}`);
    node.parent = p;
    p.children.push(node);
  }
}
