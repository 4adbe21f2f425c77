/**
 * The domains of one driver state, indexed by name, UUID and id (libvirt's virDomainObjList),
 * so that every lookup is one Map access even with tens of thousands of domains.
 *
 * Memory: the name index is the primary one (it keeps definition order); the UUID index is
 * built on first use. Calls on a domain find it by name and check the UUID, so the common
 * case (many defined domains, calls through refs, lookups by name) never needs it.
 */
import type { DomainRef } from '@virtkit/core';
import type { DomainObj } from './domain-obj.js';

/** How many just-defined domains stay parsed (a define is often followed by calls on it). */
const RECENT = 1;

/** Up to this many domains, a UUID is found by a scan rather than by building the index. */
const SCAN_MAX = 32;

/** Domains by name, UUID and (for active ones) id. */
export class DomainList {
  /** Just-defined domains with the XML they were defined from (see compactLater). */
  readonly #recent: [DomainObj, string | undefined][] = [];
  #byName = new Map<string, DomainObj>();
  #byUUID: Map<string, DomainObj> | undefined = undefined;
  readonly #byID = new Map<number, DomainObj>();

  /** Number of domains. */
  get size(): number {
    return this.#byName.size;
  }

  /** All domains, in definition order. */
  values(): IterableIterator<DomainObj> {
    return this.#byName.values();
  }

  /** The UUID index, built on first use. */
  #uuids(): Map<string, DomainObj> {
    if (this.#byUUID === undefined) {
      this.#byUUID = new Map();
      for (const obj of this.#byName.values()) this.#byUUID.set(obj.uuid, obj);
    }
    return this.#byUUID;
  }

  /** The domain with this UUID (lower-case, dashed). */
  byUUID(uuid: string): DomainObj | undefined {
    if (this.#byUUID === undefined && this.#byName.size <= SCAN_MAX) {
      // a few domains (a node file being loaded): no index needed yet
      for (const obj of this.#byName.values()) if (obj.uuid === uuid) return obj;
      return undefined;
    }
    return this.#uuids().get(uuid);
  }

  /** The domain a ref stands for: the one with its UUID (found by name when not renamed since). */
  byRef(ref: DomainRef): DomainObj | undefined {
    const obj = this.#byName.get(ref.name);
    // the current ref is the common case, and comparing it costs no UUID formatting
    if (obj !== undefined && (obj.ref === ref || obj.uuid === ref.uuid)) return obj;
    return this.byUUID(ref.uuid);
  }

  /** The domain with this name. */
  byName(name: string): DomainObj | undefined {
    return this.#byName.get(name);
  }

  /** The active domain with this id. */
  byID(id: number): DomainObj | undefined {
    return this.#byID.get(id);
  }

  /** Adds a domain; the caller has checked for duplicates. */
  add(obj: DomainObj): void {
    this.#byName.set(obj.name, obj);
    this.#byUUID?.set(obj.uuid, obj);
    if (obj.id !== -1) this.#byID.set(obj.id, obj);
  }

  /** Removes a domain from every index. */
  remove(obj: DomainObj): void {
    obj.release();
    if (this.#byName.get(obj.name) === obj) this.#byName.delete(obj.name);
    if (this.#byUUID?.get(obj.uuid) === obj) this.#byUUID.delete(obj.uuid);
    if (obj.id !== -1 && this.#byID.get(obj.id) === obj) this.#byID.delete(obj.id);
  }

  /**
   * Keeps a just-defined domain parsed for the next two definitions, then compacts it if
   * nothing used its model meanwhile (the common case of many defined, idle domains); see
   * DomainObj.compact for `source`.
   */
  compactLater(obj: DomainObj, source: string | undefined): void {
    obj.markUntouched();
    const recent = this.#recent;
    recent.push([obj, source]);
    if (recent.length <= RECENT) return;
    const [old, src] = recent.shift()!;
    if (this.#byName.get(old.name) === old) old.compactIfUntouched(src);
  }

  /** Records a new id (`old` is the previous one, -1 when it had none). */
  reindexID(obj: DomainObj, old: number): void {
    if (old !== -1 && this.#byID.get(old) === obj) this.#byID.delete(old);
    if (obj.id !== -1) this.#byID.set(obj.id, obj);
  }

  /** Records a rename, keeping the domain's place in definition order. */
  reindexName(obj: DomainObj, oldName: string): void {
    const byName = new Map<string, DomainObj>();
    for (const [name, o] of this.#byName) byName.set(o === obj && name === oldName ? obj.name : name, o);
    this.#byName = byName;
  }
}
