/**
 * A virtual network of the test driver (libvirt's virNetworkObj): definition, active flag,
 * persistence and autostart.
 */
import type { NetworkRef } from '@virtkit/core';
import type { NetworkDef } from './network-def.js';

/** A network held by the driver. */
export class NetworkObj {
  def: NetworkDef;
  /** The persistent definition while a redefinition waits for the network to stop. */
  newDef: NetworkDef | undefined = undefined;
  active = false;
  persistent = false;
  autostart = false;
  #ref: NetworkRef | undefined;

  constructor(def: NetworkDef) {
    this.def = def;
  }

  /** The network's name. */
  get name(): string {
    return this.def.name;
  }

  /** The network's UUID. */
  get uuid(): string {
    return this.def.uuid!;
  }

  /** The ref handed to core. */
  get ref(): NetworkRef {
    const r = this.#ref;
    if (r !== undefined && r.name === this.name && r.uuid === this.uuid) return r;
    return (this.#ref = { name: this.name, uuid: this.uuid });
  }
}
