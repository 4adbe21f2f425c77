/**
 * The test driver's control panel (beyond libvirt), for applications' unit tests: inject
 * failures and latency, crash or panic a running domain, and drive a settable clock that
 * cpuTime and the stats follow.
 */
import { parseURI } from '@virtkit/core';
import type { DomainRef } from '@virtkit/core';
import { CRASHED_PANICKED, DomState, Err, Ev, EvDetail, RunningReason, ShutoffReason } from './consts.js';
import { defLifecycleAction } from './domain-def.js';
import type { DomainObj } from './domain-obj.js';
import { setRunState, startDomain, stopAndEmit } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { testError } from './errors.js';
import { FaultTable } from './faults.js';
import type { InjectedError } from './faults.js';

/** Controls one test-driver state (all connections sharing it see the effects). */
export class TestControl {
  readonly #st: DriverState;

  /** Use {@link testControl} to get one. */
  constructor(st: DriverState) {
    this.#st = st;
  }

  #faults(): FaultTable {
    return (this.#st.faults ??= new FaultTable());
  }

  /**
   * The next `count` calls of `api` reject with `error`. `api` is the SPI name
   * (`domainCreate`), libvirt's (`virDomainCreate`), or `*` for any call.
   */
  failNext(api: string, error: InjectedError, count = 1): void {
    this.#faults().failNext(api, error, count);
  }

  /** Every call of `api` (or `*`) waits `ms` milliseconds first; 0 removes it. */
  setLatency(api: string, ms: number): void {
    this.#faults().setLatency(api, ms);
  }

  /** Removes all injected failures and latencies. */
  clearFaults(): void {
    this.#st.faults = undefined;
  }

  #active(name: string): DomainObj {
    const obj = this.#st.domains.byName(name);
    if (!obj) throw testError(Err.NO_DOMAIN, `no domain with matching name '${name}'`);
    if (!obj.isActive()) throw testError(Err.OPERATION_INVALID, 'domain is not running');
    return obj;
  }

  /**
   * The guest crashes: STOPPED/CRASHED and "shut off (crashed)", or with on_crash
   * restart/rename-restart a reboot (STOPPED/CRASHED then STARTED/BOOTED).
   */
  crash(name: string): DomainRef {
    const st = this.#st;
    const obj = this.#active(name);
    const action = defLifecycleAction(obj.def, 'crash');
    stopAndEmit(st, obj, ShutoffReason.CRASHED, EvDetail.STOPPED_CRASHED, Ev.STOPPED);
    if ((action === 'restart' || action === 'rename-restart') && st.domains.byUUID(obj.uuid)) {
      startDomain(st, obj, RunningReason.BOOTED);
      st.domainEvent(obj.ref, Ev.STARTED, EvDetail.STARTED_BOOTED);
    }
    return obj.ref;
  }

  /** The guest panics: state CRASHED/PANICKED with a CRASHED/PANICKED event; it stays active. */
  panic(name: string): DomainRef {
    const obj = this.#active(name);
    setRunState(this.#st, obj, DomState.CRASHED, CRASHED_PANICKED);
    this.#st.domainEvent(obj.ref, Ev.CRASHED, EvDetail.CRASHED_PANICKED);
    return obj.ref;
  }

  /** Fixes the clock (ns since the epoch); undefined returns to the wall clock. */
  setClock(ns: number | undefined): void {
    const st = this.#st;
    if (ns !== undefined && st.clockNs === undefined) {
      // running domains start accounting cpu time from the new clock
      for (const obj of st.domains.values()) if (obj.state === DomState.RUNNING) obj.startedAt = ns;
    }
    st.clockNs = ns;
  }

  /** Advances the settable clock by `ns` (starting it at 0 when it was the wall clock). */
  advanceClock(ns: number): void {
    this.setClock((this.#st.clockNs ?? 0) + ns);
  }

  /** The settable clock's value, or undefined when following the wall clock. */
  get clock(): number | undefined {
    return this.#st.clockNs;
  }
}

/**
 * Process-wide registry of open states. Kept on globalThis so that a second copy of this
 * module (CJS + ESM loads under test runners) sees the same test:///default, as libvirt's
 * one-per-process default connection state.
 */
interface Registry {
  /** The shared test:///default state while a connection to it is open. */
  defaultState: DriverState | undefined;
  /** States by URI path ('/default', '/abs/node.xml'): the most recently opened. */
  byPath: Map<string, DriverState>;
}

const KEY = Symbol.for('virtkit.driver-test.registry');

/** The process-wide registry of open test-driver states. */
export function registry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  return (g[KEY] ??= { defaultState: undefined, byPath: new Map() });
}

/**
 * The control panel of the test-driver state behind a URI or connection
 * (`testControl('test:///default')`, `testControl(conn)` with `conn.getURI()`).
 * Throws VIR_ERR_OPERATION_INVALID when no connection to it is open.
 */
export function testControl(target: string | { getURI(): string | Promise<string> } | { uri: string }): TestControl {
  let uri: string;
  if (typeof target === 'string') uri = target;
  else if ('uri' in target && typeof target.uri === 'string') uri = target.uri;
  else {
    const u = (target as { getURI(): string | Promise<string> }).getURI();
    if (typeof u !== 'string') throw new TypeError('testControl: pass the URI string when getURI() is asynchronous');
    uri = u;
  }
  const st = registry().byPath.get(parseURI(uri).path);
  if (!st) throw testError(Err.OPERATION_INVALID, `no open test driver connection for '${uri}'`);
  return new TestControl(st);
}
