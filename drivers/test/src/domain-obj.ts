/**
 * One domain of the test driver: its definitions, run state and flags, and its snapshots.
 * Mirrors libvirt's virDomainObj: `def` is what runs (or the only definition while shut off),
 * `newDef` the persistent configuration that takes over when a running domain stops.
 *
 * Memory: a defined, untouched domain is kept "compact" — its canonical XML as a byte buffer
 * plus the few numbers getInfo needs — and parsed again only when a call needs the model.
 * Ten thousand defined domains then cost about a kilobyte each.
 */
import type { DomainRef } from '@virtkit/core';
import { DomState } from './consts.js';
import type { DomainDef } from './domain-def.js';
import { cloneDef, defCurMemKiB, defMaxMemKiB, defVcpus, formatDomainDef, parseDomainDef } from './domain-def.js';
import type { SnapshotTree } from './snapshot-tree.js';

/** What a compact domain keeps besides its XML. */
interface Compact {
  xml: Buffer;
  maxMem: number;
  memory: number;
  vcpus: number;
}

/** A domain held by the driver. Fields are mutated only by the driver's operations. */
export class DomainObj {
  #def: DomainDef | undefined;
  #compact: Compact | undefined;
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
    if (this.#def === undefined) this.#def = parseDomainDef(this.#compact!.xml.toString('utf8'));
    // the caller may change the model: the compact form is stale from here on
    this.#compact = undefined;
    return this.#def;
  }

  set def(def: DomainDef) {
    this.#def = def;
    this.#compact = undefined;
  }

  /**
   * Drops the parsed model of an inactive domain with a single definition, keeping its
   * canonical XML (used after define, the common case of many idle domains).
   */
  compact(): void {
    if (this.id !== -1 || this.newDef !== undefined || this.#def === undefined) return;
    const def = this.#def;
    this.#compact = {
      xml: Buffer.from(formatDomainDef(def, -1, 2), 'utf8'),
      maxMem: defMaxMemKiB(def),
      memory: defCurMemKiB(def),
      vcpus: defVcpus(def),
    };
    this.#def = undefined;
  }

  /** The canonical inactive XML when compact (what getXMLDesc returns), else undefined. */
  compactXML(): string | undefined {
    return this.#compact?.xml.toString('utf8');
  }

  /** maxMem, memory (KiB) and vCPUs of the live definition, without parsing a compact one. */
  infoNumbers(): { maxMem: number; memory: number; vcpus: number } {
    const c = this.#compact;
    if (c !== undefined) return c;
    const def = this.#def!;
    return { maxMem: defMaxMemKiB(def), memory: defCurMemKiB(def), vcpus: defVcpus(def) };
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
