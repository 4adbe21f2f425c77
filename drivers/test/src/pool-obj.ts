/**
 * A storage pool of the test driver with its volumes, in memory (libvirt's virStoragePoolObj):
 * capacity, allocation and availability in bytes, volumes by name.
 */
import type { StoragePoolRef, StorageVolRef } from '@virtkit/core';
import { LazyDef } from './lazy-def.js';
import type { PoolDef, VolDef } from './pool-def.js';

/** A storage volume held by a pool. */
export interface VolObj {
  def: VolDef;
  name: string;
  key: string;
  path: string;
  capacity: number;
  allocation: number;
}

/** A storage pool held by the driver. */
export class PoolObj {
  /** The definition, or how to parse it (test:///default's pool, until first used). */
  #def: PoolDef | LazyDef<PoolDef>;
  active = false;
  /** libvirt's "config file": persistent pools have one. */
  persistent = false;
  autostart = false;
  capacity = 0;
  allocation = 0;
  available = 0;
  readonly volumes = new Map<string, VolObj>();
  #ref: StoragePoolRef | undefined;

  constructor(def: PoolDef | LazyDef<PoolDef>) {
    this.#def = def;
  }

  /** The definition. */
  get def(): PoolDef {
    const d = this.#def;
    return d instanceof LazyDef ? (this.#def = d.load()) : d;
  }

  set def(def: PoolDef) {
    this.#def = def;
  }

  /** The pool's name (a lazy definition knows it unparsed). */
  get name(): string {
    return this.#def.name;
  }

  /** The pool's UUID. */
  get uuid(): string {
    return this.#def.uuid;
  }

  /** The ref handed to core. */
  get ref(): StoragePoolRef {
    const r = this.#ref;
    if (r !== undefined && r.name === this.name && r.uuid === this.uuid) return r;
    return (this.#ref = { name: this.name, uuid: this.uuid });
  }

  /** A volume's ref. */
  volRef(vol: VolObj): StorageVolRef {
    return { pool: this.name, name: vol.name, key: vol.key };
  }
}
