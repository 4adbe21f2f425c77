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
import { LazyDef } from './lazy-def.js';
import type { SnapshotTree } from './snapshot-tree.js';
import { arenaKind, arenaLoad, arenaMaxMem, arenaMemory, arenaRelease, arenaStore, arenaUUID, arenaVcpus } from './xml-arena.js';

/**
 * A copy of `s` that is one flat string: parsed values can be slices of the whole document
 * they came from (keeping it alive) and generated ones chains of concatenations (each part
 * an object); the name and UUID live as long as the domain. Shorter strings are always flat.
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

/** Set in `#bits` from define until the model is next handed out (see compactLater). */
const UNTOUCHED = 1 << 17;

/** Arena entry kinds: the canonical XML, or the XML the domain was defined from. */
const CANONICAL = 0;
const SOURCE = 1;

/** The rarely used part of a domain, created on first use. */
class DomainExtra {
  newDef: DomainDef | undefined = undefined;
  managedSavePath: string | undefined = undefined;
  snapshots: SnapshotTree | undefined = undefined;
  startedAt = -1;
  cpuBaseNs = 0;
  autostart = false;
  hasManagedSave = false;
}

/**
 * The ref handed to core: the name and id the domain had when it was made, and its UUID
 * (which never changes) read from the domain, so ten thousand idle domains hold no UUID
 * strings: a compact one keeps its UUID as 16 bytes in the arena.
 */
class DomainObjRef implements DomainRef {
  readonly name: string;
  readonly id: number;
  readonly #obj: DomainObj;

  constructor(obj: DomainObj, name: string, id: number) {
    this.#obj = obj;
    this.name = name;
    this.id = id;
  }

  get uuid(): string {
    return this.#obj.uuid;
  }
}

/**
 * A domain held by the driver. Fields are mutated only by the driver's operations. Kept small
 * (tens of thousands of idle domains): state, reason and persistence share one integer, and
 * what few domains use lives in a separate object created on first use.
 */
export class DomainObj {
  /** The model; a {@link LazyDef} until first needed (test:///default); undefined while compact. */
  #def: DomainDef | LazyDef<DomainDef> | undefined;
  /** Arena handle of the canonical XML and getInfo numbers while compact, else -1 (see xml-arena.ts). */
  #xml = -1;
  /** state | reason << 8 | persistent << 16 | UNTOUCHED: one small integer, not four fields. */
  #bits: number = DomState.SHUTOFF;
  /** What few domains ever use (snapshots, managed save, autostart, cpu-time accounting). */
  #x: DomainExtra | undefined = undefined;
  /**
   * Name and id, as the ref handed to core: replaced (never changed) when the name or id
   * changes, so refs already handed out keep what they said.
   */
  #ref: DomainRef;
  /** The UUID, lower-case with dashes; undefined while compact (the arena entry holds it). */
  #uuid: string | undefined;

  constructor(def: DomainDef | LazyDef<DomainDef>) {
    this.#def = def;
    // a lazy definition's name and UUID are the driver's own literals, flat already
    const lazy = def instanceof LazyDef;
    this.#uuid = lazy ? def.uuid : own(def.uuid!);
    this.#ref = new DomainObjRef(this, lazy ? def.name : own(def.name), -1);
  }

  /** The domain's name (kept in step with the definition by rename). */
  get name(): string {
    return this.#ref.name;
  }

  set name(name: string) {
    const r = this.#ref;
    if (name !== r.name) this.#ref = new DomainObjRef(this, name, r.id);
  }

  /** The domain's UUID, lower-case with dashes (kept in the arena while compact). */
  get uuid(): string {
    return this.#uuid ?? arenaUUID(this.#xml);
  }

  /** -1 while inactive. */
  get id(): number {
    return this.#ref.id;
  }

  set id(id: number) {
    const r = this.#ref;
    if (id !== r.id) this.#ref = new DomainObjRef(this, r.name, id);
  }

  /** virDomainState. */
  get state(): number {
    return this.#bits & 0xff;
  }

  set state(v: number) {
    this.#bits = (this.#bits & ~0xff) | v;
  }

  /** The reason of the current state. */
  get reason(): number {
    return (this.#bits >> 8) & 0xff;
  }

  set reason(v: number) {
    this.#bits = (this.#bits & ~0xff00) | (v << 8);
  }

  /** Whether the domain has a persistent configuration. */
  get persistent(): boolean {
    return (this.#bits & 0x10000) !== 0;
  }

  set persistent(v: boolean) {
    this.#bits = v ? this.#bits | 0x10000 : this.#bits & ~0x10000;
  }

  /** The persistent definition while running, when it differs from `def` (libvirt's newDef). */
  get newDef(): DomainDef | undefined {
    return this.#x?.newDef;
  }

  set newDef(v: DomainDef | undefined) {
    if (v !== undefined || this.#x !== undefined) this.#extra().newDef = v;
  }

  get autostart(): boolean {
    return this.#x?.autostart ?? false;
  }

  set autostart(v: boolean) {
    if (v || this.#x !== undefined) this.#extra().autostart = v;
  }

  get hasManagedSave(): boolean {
    return this.#x?.hasManagedSave ?? false;
  }

  set hasManagedSave(v: boolean) {
    if (v || this.#x !== undefined) this.#extra().hasManagedSave = v;
  }

  /** The managed save image file, while there is one. */
  get managedSavePath(): string | undefined {
    return this.#x?.managedSavePath;
  }

  set managedSavePath(v: string | undefined) {
    if (v !== undefined || this.#x !== undefined) this.#extra().managedSavePath = v;
  }

  /** Created on first use: most domains never have snapshots. */
  get snapshots(): SnapshotTree | undefined {
    return this.#x?.snapshots;
  }

  set snapshots(v: SnapshotTree | undefined) {
    if (v !== undefined || this.#x !== undefined) this.#extra().snapshots = v;
  }

  /** Clock (ns) at which the domain last entered RUNNING, -1 when not running. */
  get startedAt(): number {
    return this.#x?.startedAt ?? -1;
  }

  set startedAt(v: number) {
    if (v !== -1 || this.#x !== undefined) this.#extra().startedAt = v;
  }

  /** cpu time (ns) accumulated before `startedAt`, for the settable clock. */
  get cpuBaseNs(): number {
    return this.#x?.cpuBaseNs ?? 0;
  }

  set cpuBaseNs(v: number) {
    if (v !== 0 || this.#x !== undefined) this.#extra().cpuBaseNs = v;
  }

  #extra(): DomainExtra {
    return (this.#x ??= new DomainExtra());
  }

  /** The live definition (or the only one while inactive); parsed on demand when compact. */
  get def(): DomainDef {
    this.#bits &= ~UNTOUCHED;
    const def = this.#model();
    // the caller may change the model: the compact form is stale from here on
    this.release();
    return def;
  }

  /** The model, parsed now if compact or lazy (compact form kept). */
  #model(): DomainDef {
    const d = this.#def;
    if (d === undefined) return (this.#def = this.#load());
    return d instanceof LazyDef ? (this.#def = d.load()) : d;
  }

  set def(def: DomainDef) {
    this.#bits &= ~UNTOUCHED;
    this.#def = def;
    this.release();
  }

  /** Gives the compact XML back to the arena (when the model takes over or the domain goes). */
  release(): void {
    if (this.#xml < 0) return;
    this.#uuid = arenaUUID(this.#xml);
    arenaRelease(this.#xml);
    this.#xml = -1;
  }

  /** The model of the compact form (a fresh one each call). */
  #load(): DomainDef {
    const xml = arenaLoad(this.#xml);
    if (arenaKind(this.#xml) === CANONICAL) return parseDomainDef(xml);
    // the defining XML parses to the same model again, but for the UUID when it had none
    const def = parseDomainDef(xml);
    def.uuid = this.uuid;
    return def;
  }

  /**
   * Drops the parsed model of an inactive domain with a single definition, keeping it as XML
   * (used after define, the common case of many idle domains). `source` is the XML the
   * unchanged model was just parsed from, when parsing it again gives the same model (with
   * the UUID kept here): it is kept instead of formatting the model, which defining then
   * skips; the canonical XML is formatted when asked for.
   */
  compact(source?: string): void {
    const def = this.#def;
    if (this.id !== -1 || this.newDef !== undefined || def === undefined || def instanceof LazyDef) return;
    const [xml, kind] = source === undefined ? [formatDomainDef(def, -1, 2), CANONICAL] : [source, SOURCE];
    this.#xml = arenaStore(xml, this.uuid, defMaxMemKiB(def), defCurMemKiB(def), defVcpus(def), kind);
    this.#uuid = undefined;
    this.#def = undefined;
  }

  /** Marks the model as just defined: {@link compactIfUntouched} may compact it later. */
  markUntouched(): void {
    this.#bits |= UNTOUCHED;
  }

  /**
   * {@link compact} with `source`, unless the model was handed out since {@link markUntouched}
   * (it may have changed, and the domain is in use).
   */
  compactIfUntouched(source: string | undefined): void {
    if ((this.#bits & UNTOUCHED) === 0) return;
    this.#bits &= ~UNTOUCHED;
    this.compact(source);
  }

  /** The canonical inactive XML when compact (what getXMLDesc returns), else undefined. */
  compactXML(): string | undefined {
    if (this.#xml < 0) return undefined;
    return arenaKind(this.#xml) === CANONICAL ? arenaLoad(this.#xml) : formatDomainDef(this.#load(), -1, 2);
  }

  /** Max memory (KiB) of the live definition, without parsing a compact one. */
  maxMemKiB(): number {
    return this.#xml < 0 ? defMaxMemKiB(this.#model()) : arenaMaxMem(this.#xml);
  }

  /** Balloon memory (KiB) of the live definition, without parsing a compact one. */
  memoryKiB(): number {
    return this.#xml < 0 ? defCurMemKiB(this.#model()) : arenaMemory(this.#xml);
  }

  /** Online vCPUs of the live definition, without parsing a compact one. */
  vcpus(): number {
    return this.#xml < 0 ? defVcpus(this.#model()) : arenaVcpus(this.#xml);
  }

  /** True while running, paused or otherwise not shut off (virDomainObjIsActive). */
  isActive(): boolean {
    return this.id !== -1;
  }

  /** The ref handed to core (the same object until the name or id changes). */
  get ref(): DomainRef {
    return this.#ref;
  }

  /** The persistent definition: `newDef` while running with pending changes, else `def`. */
  get persistentDef(): DomainDef {
    return this.newDef ?? this.def;
  }

  /** Sets state and reason together (virDomainObjSetState). */
  setState(state: number, reason: number): void {
    this.#bits = (this.#bits & ~0xffff) | state | (reason << 8);
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
