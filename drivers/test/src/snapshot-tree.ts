/**
 * A domain's snapshots as a tree (libvirt's virDomainSnapshotObjList + virDomainMomentObj):
 * every snapshot knows its parent and children; one snapshot may be current.
 */
import { SnapList } from './consts.js';
import type { DomainDef } from './domain-def.js';

/** libvirt's snapshot states as written in <state>. */
export type SnapshotState = 'running' | 'paused' | 'shutoff' | 'crashed' | 'disk-snapshot' | 'blocked' | 'pmsuspended' | 'nostate';

/** One snapshot: its metadata and the domain definition it captured. */
export interface SnapshotNode {
  name: string;
  description?: string;
  state: SnapshotState;
  creationTime: number;
  /** 'internal', 'external' or 'no'. */
  memory: string;
  /** Target names of the disks and how each is snapshotted. */
  disks: { name: string; snapshot: string }[];
  /** The domain definition at snapshot time (undefined when redefined without one). */
  dom: DomainDef | undefined;
  parent: SnapshotNode | undefined;
  children: SnapshotNode[];
}

/** The snapshots of one domain. */
export class SnapshotTree {
  readonly #byName = new Map<string, SnapshotNode>();
  current: SnapshotNode | undefined = undefined;

  /** Number of snapshots. */
  get size(): number {
    return this.#byName.size;
  }

  /** The snapshot called `name`. */
  get(name: string): SnapshotNode | undefined {
    return this.#byName.get(name);
  }

  /** Adds `node` under `parentName` (or as a root). */
  add(node: SnapshotNode, parentName: string | undefined): void {
    const parent = parentName === undefined ? undefined : this.#byName.get(parentName);
    node.parent = parent;
    if (parent) parent.children.push(node);
    this.#byName.set(node.name, node);
  }

  /** Removes `node` alone, moving its children to its parent (delete without CHILDREN). */
  removeReparent(node: SnapshotNode): void {
    const parent = node.parent;
    for (const c of node.children) {
      c.parent = parent;
      if (parent) parent.children.push(c);
    }
    node.children = [];
    this.#unlink(node);
    if (this.current === node) this.current = parent;
  }

  /** Removes every descendant of `node`; returns whether the current snapshot was among them. */
  removeDescendants(node: SnapshotNode): boolean {
    let hadCurrent = false;
    const walk = (n: SnapshotNode): void => {
      for (const c of n.children) {
        walk(c);
        if (this.current === c) hadCurrent = true;
        this.#byName.delete(c.name);
      }
      n.children = [];
    };
    walk(node);
    return hadCurrent;
  }

  /** Removes `node` itself (its children must already be gone or moved). */
  remove(node: SnapshotNode): void {
    this.#unlink(node);
    if (this.current === node) this.current = node.parent;
  }

  #unlink(node: SnapshotNode): void {
    const p = node.parent;
    if (p) p.children = p.children.filter((c) => c !== node);
    this.#byName.delete(node.name);
  }

  /** Snapshots matching the list flags; `from` lists the children (or descendants) of one snapshot. */
  list(flags: number, from?: SnapshotNode): SnapshotNode[] {
    let all: SnapshotNode[];
    if (from) {
      all = [];
      const descend = (flags & SnapList.DESCENDANTS) !== 0;
      const walk = (n: SnapshotNode): void => {
        for (const c of n.children) {
          all.push(c);
          if (descend) walk(c);
        }
      };
      walk(from);
    } else if (flags & SnapList.ROOTS) {
      all = [...this.#byName.values()].filter((n) => n.parent === undefined);
    } else {
      all = [...this.#byName.values()];
    }
    if (flags & SnapList.TOPOLOGICAL) all.sort((a, b) => depth(a) - depth(b));
    return all.filter((n) => matches(n, flags));
  }
}

function depth(n: SnapshotNode): number {
  let d = 0;
  for (let p = n.parent; p; p = p.parent) d++;
  return d;
}

function matches(n: SnapshotNode, flags: number): boolean {
  // every snapshot of the test driver has metadata
  if ((flags & (SnapList.METADATA | SnapList.NO_METADATA)) === SnapList.NO_METADATA) return false;
  const leaf = n.children.length === 0;
  const lf = flags & (SnapList.LEAVES | SnapList.NO_LEAVES);
  if (lf === SnapList.LEAVES && !leaf) return false;
  if (lf === SnapList.NO_LEAVES && leaf) return false;
  const sf = flags & (SnapList.INACTIVE | SnapList.ACTIVE | SnapList.DISK_ONLY);
  if (sf !== 0) {
    const kind = n.state === 'shutoff' ? SnapList.INACTIVE : n.state === 'disk-snapshot' ? SnapList.DISK_ONLY : SnapList.ACTIVE;
    if ((sf & kind) === 0) return false;
  }
  const lo = flags & (SnapList.INTERNAL | SnapList.EXTERNAL);
  if (lo !== 0) {
    const kind = n.memory === 'external' ? SnapList.EXTERNAL : SnapList.INTERNAL;
    if ((lo & kind) === 0) return false;
  }
  return true;
}
