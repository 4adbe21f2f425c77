/**
 * One domain of the test driver: its definitions, run state and flags, and its snapshots.
 * Mirrors libvirt's virDomainObj: `def` is what runs (or the only definition while shut off),
 * `newDef` the persistent configuration that takes over when a running domain stops.
 *
 * Memory: a defined, untouched domain is kept "compact" — its canonical XML in a shared byte
 * arena plus the few numbers getInfo needs — and parsed again only when a call needs the
 * model. Ten thousand defined domains then cost under a kilobyte each.
 */
import type { DomainRef } from '@virtkit/core';
import { DomState } from './consts.js';
import type { DomainDef } from './domain-def.js';
import { cloneDef, defCurMemKiB, defMaxMemKiB, defVcpus, formatDomainDef, parseDomainDef } from './domain-def.js';
import type { SnapshotTree } from './snapshot-tree.js';
import { arenaLoad, arenaRelease, arenaStore } from './xml-arena.js';

/** A domain held by the driver. Fields are mutated only by the driver's operations. */
export class DomainObj {
  #def: DomainDef | undefined;
  /** Arena handle of the canonical XML while compact, else -1 (see xml-arena.ts). */
  #xml = -1;
  #xmlLen = 0;
  #maxMem = 0;
  #memory = 0;
  #vcpus = 0;
  /** The persistent definition while running, when it differs from `def` (libvirt's newDef). */
  newDef: DomainDef | undefined = undefined;
  /** The domain's name (kept in step with the definition by rename). */
  name: string;
  /** The domain's UUID, lower-case with dashes. */
  readonly uuid: string;
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
    this.#def = def;
    this.name = def.name;
    this.uuid = def.uuid!;
  }

  /** The live definition (or the only one while inactive); parsed on demand when compact. */
  get def(): DomainDef {
    if (this.#def === undefined) this.#def = parseDomainDef(arenaLoad(this.#xml, this.#xmlLen));
    // the caller may change the model: the compact form is stale from here on
    this.release();
    return this.#def;
  }

  set def(def: DomainDef) {
    this.#def = def;
    this.release();
  }

  /** Gives the compact XML back to the arena (when the model takes over or the domain goes). */
  release(): void {
    if (this.#xml < 0) return;
    arenaRelease(this.#xml);
    this.#xml = -1;
  }

  /**
   * Drops the parsed model of an inactive domain with a single definition, keeping its
   * canonical XML (used after define, the common case of many idle domains).
   */
  compact(): void {
    if (this.id !== -1 || this.newDef !== undefined || this.#def === undefined) return;
    const def = this.#def;
    [this.#xml, this.#xmlLen] = arenaStore(formatDomainDef(def, -1, 2));
    this.#maxMem = defMaxMemKiB(def);
    this.#memory = defCurMemKiB(def);
    this.#vcpus = defVcpus(def);
    this.#def = undefined;
  }

  /** The canonical inactive XML when compact (what getXMLDesc returns), else undefined. */
  compactXML(): string | undefined {
    return this.#xml < 0 ? undefined : arenaLoad(this.#xml, this.#xmlLen);
  }

  /** Max memory (KiB) of the live definition, without parsing a compact one. */
  maxMemKiB(): number {
    return this.#xml < 0 ? defMaxMemKiB(this.#def!) : this.#maxMem;
  }

  /** Balloon memory (KiB) of the live definition, without parsing a compact one. */
  memoryKiB(): number {
    return this.#xml < 0 ? defCurMemKiB(this.#def!) : this.#memory;
  }

  /** Online vCPUs of the live definition, without parsing a compact one. */
  vcpus(): number {
    return this.#xml < 0 ? defVcpus(this.#def!) : this.#vcpus;
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
