/**
 * Network: one virtual network, as libvirt's virNetworkPtr.
 */
import type { Connection } from './connection.js';
import type { ConnectionCore } from './dispatch.js';
import type { NetworkRef } from './spi.js';

/** A virtual network (virNetworkPtr). Obtain one from a Connection. */
export class Network {
  #core: ConnectionCore;
  #ref: NetworkRef;

  /** @internal Created by core from a driver's ref. */
  constructor(core: ConnectionCore, ref: NetworkRef) {
    this.#core = core;
    this.#ref = ref;
  }

  /** The driver-level ref this object stands for. */
  get ref(): NetworkRef {
    return this.#ref;
  }

  /** virNetworkGetConnect. */
  getConnect(): Connection {
    return this.#core.owner;
  }

  /** virNetworkGetName. */
  getName(): string {
    return this.#ref.name;
  }

  /** virNetworkGetUUIDString. */
  getUUIDString(): string {
    return this.#ref.uuid;
  }

  /** virNetworkCreate: starts the network (`flags` are passed to the driver, 0 in libvirt 9.0). */
  create(flags = 0): Promise<void> {
    return this.#core.call('networkCreate', [this.#ref, flags]);
  }

  /** virNetworkDestroy. */
  destroy(): Promise<void> {
    return this.#core.call('networkDestroy', [this.#ref]);
  }

  /** virNetworkUndefine. */
  undefine(): Promise<void> {
    return this.#core.call('networkUndefine', [this.#ref]);
  }

  /** virNetworkGetXMLDesc (VIR_NETWORK_XML_INACTIVE). */
  getXMLDesc(flags = 0): Promise<string> {
    return this.#core.call('networkGetXMLDesc', [this.#ref, flags]);
  }

  /** virNetworkGetBridgeName. */
  getBridgeName(): Promise<string> {
    return this.#core.call('networkGetBridgeName', [this.#ref]);
  }

  /** virNetworkGetAutostart. */
  getAutostart(): Promise<boolean> {
    return this.#core.call('networkGetAutostart', [this.#ref]);
  }

  /** virNetworkSetAutostart. */
  setAutostart(autostart: boolean): Promise<void> {
    return this.#core.call('networkSetAutostart', [this.#ref, autostart]);
  }

  /** virNetworkIsActive. */
  isActive(): Promise<boolean> {
    return this.#core.call('networkIsActive', [this.#ref]);
  }

  /** virNetworkIsPersistent. */
  isPersistent(): Promise<boolean> {
    return this.#core.call('networkIsPersistent', [this.#ref]);
  }
}
