/**
 * One test-driver state: what a `test:///default` process shares, or what one
 * `test:///path/node.xml` connection owns (libvirt's testDriver).
 */
import type { DomainRef, DriverEventSink, NetworkRef, NodeInfo, StoragePoolRef } from '@virtkit/core';
import { DomainList } from './domain-list.js';
import { instrument } from './faults.js';
import type { FaultTable } from './faults.js';
import type { NetworkObj } from './network-obj.js';
import type { PoolObj } from './pool-obj.js';

/** A NUMA cell of the fake host (only test:///default has cells). */
export interface TestCell {
  memKiB: number;
  freeKiB: number;
  cpus: number;
}

/** The fake host, its objects, the event listeners of every connection sharing it. */
export class DriverState {
  readonly domains = new DomainList();
  readonly networks = new Map<string, NetworkObj>();
  readonly pools = new Map<string, PoolObj>();
  nodeInfo: NodeInfo = { model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 };
  cells: TestCell[] = [];
  /** The next domain id (libvirt's nextDomID). */
  nextDomID = 1;
  /** Event sinks of the connections sharing this state. */
  readonly sinks = new Set<DriverEventSink>();
  /** Open connections; the default state is dropped when the last one closes. */
  refs = 0;
  #faults: FaultTable | undefined = undefined;
  /** Driver families of open connections not instrumented for faults yet (see watchFaults). */
  readonly #plain = new Set<object>();

  /** Fault injection, created on first use. */
  get faults(): FaultTable | undefined {
    return this.#faults;
  }

  set faults(table: FaultTable | undefined) {
    this.#faults = table;
    if (table === undefined) return;
    for (const family of this.#plain) instrument(family, () => this.#faults);
    this.#plain.clear();
  }

  /**
   * Makes a connection's driver families go through fault injection: now if faults are armed,
   * else when they first are (wrapping every method costs each open of test:///default).
   */
  watchFaults(families: object[]): void {
    for (const family of families) {
      if (this.#faults !== undefined) instrument(family, () => this.#faults);
      else this.#plain.add(family);
    }
  }

  /** Forgets the families of a closed connection. */
  unwatchFaults(families: object[]): void {
    for (const family of families) this.#plain.delete(family);
  }
  /** A fixed clock (ns) for cpuTime and stats, or undefined for the real clock. */
  clockNs: number | undefined = undefined;
  /** Users of `<auth>` in a node file: name -> password (undefined: none needed). */
  readonly auth = new Map<string, string | undefined>();
  /** The current time in ns: the settable clock, else the wall clock as libvirt uses it. */
  nowNs(): number {
    return this.clockNs ?? Date.now() * 1e6;
  }

  /** Emits a domain lifecycle event to every connection. */
  domainEvent(ref: DomainRef, event: number, detail: number): void {
    for (const s of this.sinks) s.domainLifecycle(ref, event, detail);
  }

  /** Emits a network lifecycle event to every connection. */
  networkEvent(ref: NetworkRef, event: number, detail = 0): void {
    for (const s of this.sinks) s.networkLifecycle(ref, event, detail);
  }

  /** Emits a storage pool lifecycle event to every connection. */
  poolEvent(ref: StoragePoolRef, event: number, detail = 0): void {
    for (const s of this.sinks) s.storagePoolLifecycle(ref, event, detail);
  }

  /** Emits a storage pool refresh event to every connection. */
  poolRefreshEvent(ref: StoragePoolRef): void {
    for (const s of this.sinks) s.storagePoolRefresh(ref);
  }

  /** Emits a balloon change event to every connection. */
  balloonEvent(ref: DomainRef, kib: number): void {
    for (const s of this.sinks) s.domainBalloonChange(ref, kib);
  }

  /** Emits a device removed event to every connection. */
  deviceRemovedEvent(ref: DomainRef, alias: string): void {
    for (const s of this.sinks) s.domainDeviceRemoved(ref, alias);
  }
}
