/**
 * A virtual network of the test driver (libvirt's virNetworkObj): definition, active flag,
 * persistence and autostart.
 */
import type { NetworkRef } from '@virtkit/core';
import { LazyDef } from './lazy-def.js';
import type { NetworkDef } from './network-def.js';

/** A network held by the driver. */
export class NetworkObj {
  /** The definition, or how to parse it (test:///default's network, until first used). */
  #def: NetworkDef | LazyDef<NetworkDef>;
  /** The persistent definition while a redefinition waits for the network to stop. */
  newDef: NetworkDef | undefined = undefined;
  active = false;
  persistent = false;
  autostart = false;
  #ref: NetworkRef | undefined;

  constructor(def: NetworkDef | LazyDef<NetworkDef>) {
    this.#def = def;
  }

  /** The live definition (or the only one while inactive). */
  get def(): NetworkDef {
    const d = this.#def;
    return d instanceof LazyDef ? (this.#def = d.load()) : d;
  }

  set def(def: NetworkDef) {
    this.#def = def;
  }

  /** The network's name (a lazy definition knows it unparsed). */
  get name(): string {
    return this.#def.name;
  }

  /** The network's UUID. */
  get uuid(): string {
    return this.#def.uuid!;
  }

  /** The ref handed to core. */
  get ref(): NetworkRef {
    const r = this.#ref;
    if (r !== undefined && r.name === this.name && r.uuid === this.uuid) return r;
    return (this.#ref = { name: this.name, uuid: this.uuid });
  }
}
