/**
 * The domains of one driver state, indexed by name, UUID and id (libvirt's virDomainObjList),
 * so that every lookup is one Map access even with tens of thousands of domains.
 */
import type { DomainObj } from './domain-obj.js';

/** Domains by name, UUID and (for active ones) id. */
export class DomainList {
  readonly #byUUID = new Map<string, DomainObj>();
  readonly #byName = new Map<string, DomainObj>();
  readonly #byID = new Map<number, DomainObj>();

  /** Number of domains. */
  get size(): number {
    return this.#byUUID.size;
  }

  /** All domains, in definition order. */
  values(): IterableIterator<DomainObj> {
    return this.#byUUID.values();
  }

  /** The domain with this UUID (lower-case, dashed). */
  byUUID(uuid: string): DomainObj | undefined {
    return this.#byUUID.get(uuid);
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
    this.#byUUID.set(obj.uuid, obj);
    this.#byName.set(obj.name, obj);
    if (obj.id !== -1) this.#byID.set(obj.id, obj);
  }

  /** Removes a domain from every index. */
  remove(obj: DomainObj): void {
    obj.release();
    this.#byUUID.delete(obj.uuid);
    if (this.#byName.get(obj.name) === obj) this.#byName.delete(obj.name);
    if (obj.id !== -1 && this.#byID.get(obj.id) === obj) this.#byID.delete(obj.id);
  }

  /** Records a new id (`old` is the previous one, -1 when it had none). */
  reindexID(obj: DomainObj, old: number): void {
    if (old !== -1 && this.#byID.get(old) === obj) this.#byID.delete(old);
    if (obj.id !== -1) this.#byID.set(obj.id, obj);
  }

  /** Records a rename. */
  reindexName(obj: DomainObj, oldName: string): void {
    if (this.#byName.get(oldName) === obj) this.#byName.delete(oldName);
    this.#byName.set(obj.name, obj);
  }
}
