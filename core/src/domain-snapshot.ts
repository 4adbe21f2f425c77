/**
 * DomainSnapshot: one snapshot of a domain, as libvirt's virDomainSnapshotPtr.
 */
import { VIR_DOMAIN_SNAPSHOT_XML_SECURE } from './constants/domain-snapshot.js';
import type { Connection } from './connection.js';
import type { ConnectionCore } from './dispatch.js';
import type { Domain } from './domain.js';
import type { DomainSnapshotRef } from './spi.js';

/** A domain snapshot (virDomainSnapshotPtr). Obtain one from a Domain. */
export class DomainSnapshot {
  #core: ConnectionCore;
  #domain: Domain;
  #ref: DomainSnapshotRef;

  /** @internal Created by core from a driver's ref. */
  constructor(core: ConnectionCore, domain: Domain, ref: DomainSnapshotRef) {
    this.#core = core;
    this.#domain = domain;
    this.#ref = ref;
  }

  /** The driver-level ref this object stands for. */
  get ref(): DomainSnapshotRef {
    return this.#ref;
  }

  /** virDomainSnapshotGetName. */
  getName(): string {
    return this.#ref.name;
  }

  /** virDomainSnapshotGetDomain. */
  getDomain(): Domain {
    return this.#domain;
  }

  /** virDomainSnapshotGetConnect. */
  getConnect(): Connection {
    return this.#core.owner;
  }

  /** virDomainSnapshotGetXMLDesc. VIR_DOMAIN_SNAPSHOT_XML_SECURE needs a read-write connection. */
  getXMLDesc(flags = 0): Promise<string> {
    const secure = (flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE) !== 0;
    return this.#core.call('domainSnapshotGetXMLDesc', [this.#ref, flags], {
      denyReadOnly: secure ? 'virDomainSnapshotGetXMLDesc with secure flag' : undefined,
    });
  }

  /** virDomainSnapshotGetParent. */
  async getParent(flags = 0): Promise<DomainSnapshot> {
    return new DomainSnapshot(this.#core, this.#domain, await this.#core.call('domainSnapshotGetParent', [this.#ref, flags]));
  }

  /** virDomainSnapshotListAllChildren. */
  async listAllChildren(flags = 0): Promise<DomainSnapshot[]> {
    const refs = await this.#core.call('domainSnapshotListAllChildren', [this.#ref, flags]);
    return refs.map((r) => new DomainSnapshot(this.#core, this.#domain, r));
  }

  /** virDomainSnapshotIsCurrent. */
  isCurrent(flags = 0): Promise<boolean> {
    return this.#core.call('domainSnapshotIsCurrent', [this.#ref, flags]);
  }

  /** virDomainSnapshotHasMetadata. */
  hasMetadata(flags = 0): Promise<boolean> {
    return this.#core.call('domainSnapshotHasMetadata', [this.#ref, flags]);
  }

  /** virDomainRevertToSnapshot (same as `getDomain().revertToSnapshot(this, flags)`). */
  revert(flags = 0): Promise<void> {
    return this.#domain.revertToSnapshot(this, flags);
  }

  /** virDomainSnapshotDelete (VIR_DOMAIN_SNAPSHOT_DELETE_* flags). */
  delete(flags = 0): Promise<void> {
    return this.#core.call('domainSnapshotDelete', [this.#ref, flags]);
  }
}
