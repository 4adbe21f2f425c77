/**
 * One domain of the test driver: its definitions, run state and flags, and its snapshots.
 * Mirrors libvirt's virDomainObj: `def` is what runs (or the only definition while shut off),
 * `newDef` the persistent configuration that takes over when a running domain stops.
 */
import type { DomainRef } from '@virtkit/core';
import { DomState } from './consts.js';
import type { DomainDef } from './domain-def.js';
import { cloneDef, defName, defUUID } from './domain-def.js';
import type { SnapshotTree } from './snapshot-tree.js';

/** A domain held by the driver. Fields are mutated only by the driver's operations. */
export class DomainObj {
  /** The live definition (or the only one while inactive). */
  def: DomainDef;
  /** The persistent definition while running, when it differs from `def` (libvirt's newDef). */
  newDef: DomainDef | undefined = undefined;
  state: number = DomState.SHUTOFF;
  reason = 0;
  /** -1 while inactive. */
  id = -1;
  persistent = false;
  autostart = false;
  hasManagedSave = false;
  /** The managed save image file, while there is one. */
  managedSavePath: string | undefined = undefined;
  /** Created on first use: most domains never have snapshots. */
  snapshots: SnapshotTree | undefined = undefined;
  /** Clock (ns) at which the domain last entered RUNNING, -1 when not running. */
  startedAt = -1;
  /** cpu time (ns) accumulated before `startedAt`, for the settable clock. */
  cpuBaseNs = 0;
  #ref: DomainRef | undefined;

  constructor(def: DomainDef) {
    this.def = def;
  }

  /** The domain's name (from its live definition). */
  get name(): string {
    return defName(this.def);
  }

  /** The domain's UUID, lower-case with dashes. */
  get uuid(): string {
    return defUUID(this.def);
  }

  /** True while running, paused or otherwise not shut off (virDomainObjIsActive). */
  isActive(): boolean {
    return this.id !== -1;
  }

  /** The ref handed to core; cached until name or id change. */
  get ref(): DomainRef {
    const r = this.#ref;
    if (r !== undefined && r.id === this.id && r.name === this.name) return r;
    return (this.#ref = { name: this.name, uuid: this.uuid, id: this.id });
  }

  /** The persistent definition: `newDef` while running with pending changes, else `def`. */
  get persistentDef(): DomainDef {
    return this.newDef ?? this.def;
  }

  /** Sets state and reason together (virDomainObjSetState). */
  setState(state: number, reason: number): void {
    this.state = state;
    this.reason = reason;
  }

  /**
   * Makes the live definition separate from the persistent one before a live-only change
   * (virDomainObjSetDefTransient): afterwards `newDef` holds the persistent config.
   */
  ensureTransientDef(): void {
    if (this.persistent && this.newDef === undefined) this.newDef = cloneDef(this.def);
  }

  /** When the domain stops, the persistent definition becomes the only one again. */
  removeTransientDef(): void {
    if (this.newDef !== undefined) {
      this.def = this.newDef;
      this.newDef = undefined;
    }
  }
}
