/**
 * The driver contract suite: what every virtkit driver must do, run through the public API.
 *
 * A driver's test file calls `runDriverContract({ uri, newDomainXML, ... })` inside mocha. The
 * suite checks lifecycle round trips (states, reasons, event order), invalid transitions (codes,
 * unchanged state), that every API the driver lacks answers VIR_ERR_NO_SUPPORT and every API it
 * has does not, read-only refusal, and that 100 concurrent mixed calls on one domain leave a
 * consistent state. Parts the driver cannot do (no hypervisor family, asynchronous shutdown)
 * skip with a printed reason.
 */
import assert from 'node:assert/strict';
import {
  connect,
  SPI_METHOD_NAMES,
  VirtError,
  VIR_DOMAIN_EVENT_DEFINED,
  VIR_DOMAIN_EVENT_DEFINED_ADDED,
  VIR_DOMAIN_EVENT_RESUMED,
  VIR_DOMAIN_EVENT_RESUMED_UNPAUSED,
  VIR_DOMAIN_EVENT_STARTED,
  VIR_DOMAIN_EVENT_STARTED_BOOTED,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
  VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
  VIR_DOMAIN_EVENT_UNDEFINED,
  VIR_DOMAIN_EVENT_UNDEFINED_REMOVED,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_PAUSED_USER,
  VIR_DOMAIN_RUNNING,
  VIR_DOMAIN_RUNNING_BOOTED,
  VIR_DOMAIN_RUNNING_UNPAUSED,
  VIR_DOMAIN_SHUTOFF,
  VIR_DOMAIN_SHUTOFF_DESTROYED,
  VIR_DOMAIN_SHUTOFF_SHUTDOWN,
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_DENIED,
  VIR_ERR_OPERATION_INVALID,
  type Connection,
  type Domain,
  type SpiMethodName,
} from '@virtkit/core';
import { badInputTests } from './bad-input-contract.js';
import { eventually, rejectsCode } from './contract-helpers.js';
import { runConcurrencyCheck } from './concurrency.js';
import { networkAndPoolTests } from './network-pool-contract.js';
import { FALLBACK_METHODS, ghostObjects, PUBLIC_CALLS } from './public-calls.js';

/** Error codes a driver gives for invalid transitions (defaults: VIR_ERR_OPERATION_INVALID). */
export interface TransitionErrors {
  suspendInactive?: number;
  resumeInactive?: number;
  resumeRunning?: number;
  createRunning?: number;
  destroyInactive?: number;
}

/** What a driver tells the contract suite. */
export interface DriverContractOptions {
  /** Suite title suffix (defaults to the URI). */
  name?: string;
  /** The URI to open, or a function giving it (evaluated in `before`, after the hook). */
  uri: string | (() => string);
  /** A minimal, valid domain XML with this name, for define/create. */
  newDomainXML(name: string): string;
  /** What the driver can do beyond the basics. */
  supports?: {
    /** shutdown() has stopped the domain when it returns (default true; false for real guests). */
    syncShutdown?: boolean;
    /** Lifecycle events are emitted (default true). */
    events?: boolean;
  };
  /** A valid network XML with this name; enables the network round trip. */
  newNetworkXML?(name: string): string;
  /** A valid storage pool XML with this name; enables the pool round trip. */
  newPoolXML?(name: string): string;
  /** Build pools before starting them (pools on real storage). */
  buildPool?: boolean;
  /** Codes for invalid transitions where the driver differs from VIR_ERR_OPERATION_INVALID. */
  transitionErrors?: TransitionErrors;
  /** Extra error codes concurrent conflicting calls may give (OPERATION_INVALID is always allowed). */
  concurrencyErrors?: number[];
  /** A reason to skip the whole suite (printed), or undefined to run it. */
  skip?(): string | undefined | Promise<string | undefined>;
  /** Runs before the connection is opened. */
  before?(): void | Promise<void>;
  /** Runs after the connection is closed. */
  after?(): void | Promise<void>;
  /** Per-test timeout in ms (default 20000). */
  timeoutMs?: number;
}

type LifecycleEvent = [event: number, detail: number];

export { eventually, rejectsCode } from './contract-helpers.js';

let counter = 0;

/** Registers the contract suite for one driver (call at mocha's top level or in a describe). */
export function runDriverContract(opts: DriverContractOptions): void {
  const uri = (): string => (typeof opts.uri === 'function' ? opts.uri() : opts.uri);
  const syncShutdown = opts.supports?.syncShutdown ?? true;
  const events = opts.supports?.events ?? true;
  const codes = { ...opts.transitionErrors };
  const code = (k: keyof TransitionErrors): number => codes[k] ?? VIR_ERR_OPERATION_INVALID;

  describe(`driver contract: ${opts.name ?? (typeof opts.uri === 'string' ? opts.uri : 'driver')}`, function () {
    this.timeout(opts.timeoutMs ?? 20000);
    let conn: Connection;
    const created: string[] = [];
    const lifecycle = new Map<string, LifecycleEvent[]>();

    const newName = (): string => {
      const name = `vkc-${process.pid}-${++counter}`;
      created.push(name);
      return name;
    };
    const eventsOf = (name: string): LifecycleEvent[] => lifecycle.get(name) ?? [];
    const needs = (ctx: Mocha.Context, ...methods: SpiMethodName[]): void => {
      const missing = methods.filter((m) => !conn.hasDriverMethod(m));
      if (missing.length > 0) {
        console.log(`      (skipped: the driver lacks ${missing.join(', ')})`);
        ctx.skip();
      }
    };
    const expectState = async (dom: Domain, state: number, reason: number | undefined, what: string): Promise<void> => {
      const got = await dom.getState();
      assert.equal(got.state, state, `${what}: state`);
      if (reason !== undefined) assert.equal(got.reason, reason, `${what}: reason`);
      assert.equal((await dom.getInfo()).state, state, `${what}: getInfo().state`);
    };

    before(async function () {
      const reason = await opts.skip?.();
      if (reason) {
        console.log(`    (driver contract skipped: ${reason})`);
        this.skip();
      }
      await opts.before?.();
      conn = await connect(uri());
      conn.on('domain-lifecycle', (dom, event, detail) => {
        const list = lifecycle.get(dom.getName()) ?? [];
        list.push([event, detail]);
        lifecycle.set(dom.getName(), list);
      });
    });

    after(async () => {
      if (conn && !conn.closed) {
        for (const name of created) {
          const dom = await conn.lookupDomainByName(name).catch(() => undefined);
          if (!dom) continue;
          if (await dom.isActive().catch(() => false)) await dom.destroy().catch(() => undefined);
          await dom.undefine().catch(() => undefined);
        }
        await conn.close();
      }
      await opts.after?.();
    });

    it('persistent domain round trip: define, create, suspend, resume, destroy, undefine', async function () {
      needs(this, 'domainDefineXML', 'domainCreate', 'domainSuspend', 'domainResume', 'domainDestroy', 'domainUndefine', 'domainGetState', 'domainGetInfo');
      const name = newName();
      const dom = await conn.defineDomainXML(opts.newDomainXML(name));
      assert.equal(dom.getName(), name);
      assert.equal(dom.getID(), -1, 'inactive domains have id -1');
      await expectState(dom, VIR_DOMAIN_SHUTOFF, undefined, 'after define');
      await dom.create();
      assert.ok(dom.getID() > 0, 'create() gives the domain an id');
      await expectState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 'after create');
      await dom.suspend();
      await expectState(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 'after suspend');
      await dom.resume();
      await expectState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, 'after resume');
      await dom.destroy();
      assert.equal(dom.getID(), -1, 'destroy() resets the id');
      await expectState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, 'after destroy');
      await dom.undefine();
      await rejectsCode(conn.lookupDomainByName(name), VIR_ERR_NO_DOMAIN, 'lookup after undefine');
      if (!events) return;
      await eventually(() =>
        assert.deepEqual(eventsOf(name), [
          [VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED],
          [VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED],
          [VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
          [VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED],
          [VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
          [VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED],
        ]),
      );
    });

    it('transient domain: createDomainXML runs it, destroy removes it', async function () {
      needs(this, 'domainCreateXML', 'domainDestroy', 'domainIsPersistent', 'domainGetState');
      const name = newName();
      const dom = await conn.createDomainXML(opts.newDomainXML(name));
      assert.equal(await dom.isPersistent(), false);
      assert.ok(dom.getID() > 0);
      await expectState(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 'after createDomainXML');
      await dom.destroy();
      assert.equal(dom.getID(), -1);
      await rejectsCode(conn.lookupDomainByName(name), VIR_ERR_NO_DOMAIN, 'lookup of a destroyed transient domain');
      if (!events) return;
      await eventually(() =>
        assert.deepEqual(eventsOf(name), [
          [VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED],
          [VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
        ]),
      );
    });

    it('shutdown stops a running domain with reason SHUTDOWN', async function () {
      needs(this, 'domainDefineXML', 'domainCreate', 'domainShutdown', 'domainUndefine', 'domainGetState');
      if (!syncShutdown) {
        console.log('      (skipped: the driver shuts down asynchronously)');
        this.skip();
      }
      const name = newName();
      const dom = await conn.defineDomainXML(opts.newDomainXML(name));
      await dom.create();
      await dom.shutdown();
      await expectState(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 'after shutdown');
      assert.equal(dom.getID(), -1);
      await dom.undefine();
      if (!events) return;
      await eventually(() => assert.deepEqual(eventsOf(name).slice(2, 3), [[VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN]]));
    });

    it('invalid transitions give the right codes and leave the state unchanged', async function () {
      needs(this, 'domainDefineXML', 'domainCreate', 'domainSuspend', 'domainResume', 'domainDestroy', 'domainUndefine', 'domainGetState');
      const dom = await conn.defineDomainXML(opts.newDomainXML(newName()));
      const before = await dom.getState();
      await rejectsCode(dom.suspend(), code('suspendInactive'), 'suspend of an inactive domain');
      await rejectsCode(dom.resume(), code('resumeInactive'), 'resume of an inactive domain');
      await rejectsCode(dom.destroy(), code('destroyInactive'), 'destroy of an inactive domain');
      assert.deepEqual(await dom.getState(), before, 'state unchanged while inactive');
      await dom.create();
      const running = await dom.getState();
      await rejectsCode(dom.create(), code('createRunning'), 'create of a running domain');
      await rejectsCode(dom.resume(), code('resumeRunning'), 'resume of a running domain');
      assert.deepEqual(await dom.getState(), running, 'state unchanged while running');
      await dom.destroy();
      await dom.undefine();
    });

    it('missing objects give the not-found codes', async function () {
      needs(this, 'domainLookupByName');
      await rejectsCode(conn.lookupDomainByName('virtkit-no-such-domain'), VIR_ERR_NO_DOMAIN, 'lookup of a missing domain');
    });

    it('every API the driver lacks throws NO_SUPPORT, every API it has does not', async () => {
      const ghosts = ghostObjects(conn);
      const wrong: string[] = [];
      for (const method of SPI_METHOD_NAMES) {
        if (FALLBACK_METHODS.has(method)) continue;
        const has = conn.hasDriverMethod(method);
        let err: unknown;
        try {
          const result = await PUBLIC_CALLS[method](ghosts);
          (result as { destroy?: () => void } | undefined)?.destroy?.();
        } catch (e) {
          err = e;
        }
        // Core's own answer names the API alone; a driver may answer NO_SUPPORT for particular
        // arguments (libvirt: "pool type 'x' does not support source discovery"), which is fine.
        const isNoSupport =
          err instanceof VirtError &&
          err.code === VIR_ERR_NO_SUPPORT &&
          /^this function is not supported by the connection driver: vir\w+$/.test(err.message);
        if (err !== undefined && !(err instanceof VirtError)) wrong.push(`${method}: rejected with a non-VirtError ${String(err)}`);
        if (has && isNoSupport) wrong.push(`${method}: implemented, but answered NO_SUPPORT`);
        if (!has && !isNoSupport) wrong.push(`${method}: absent from the driver, but did not answer NO_SUPPORT`);
      }
      assert.deepEqual(wrong, []);
    });

    it('a read-only connection refuses mutating APIs', async function () {
      needs(this, 'domainLookupByName', 'domainDefineXML', 'domainUndefine');
      const name = newName();
      const rw = await conn.defineDomainXML(opts.newDomainXML(name));
      const ro = await connect(uri(), { readOnly: true });
      try {
        const dom = await ro.lookupDomainByName(name);
        const err = await rejectsCode(dom.create(), VIR_ERR_OPERATION_DENIED, 'create on a read-only connection');
        assert.equal(err.message, 'operation forbidden: read only access prevents virDomainCreate');
        await rejectsCode(ro.defineDomainXML(opts.newDomainXML(newName())), VIR_ERR_OPERATION_DENIED, 'define on a read-only connection');
        assert.equal((await dom.getState()).state, VIR_DOMAIN_SHUTOFF);
      } finally {
        await ro.close();
        await rw.undefine();
      }
    });

    badInputTests({ conn: () => conn, newName, needs, newDomainXML: opts.newDomainXML });

    networkAndPoolTests({
      conn: () => conn,
      newName,
      needs,
      newNetworkXML: opts.newNetworkXML,
      newPoolXML: opts.newPoolXML,
      buildPool: opts.buildPool,
      events,
    });

    it('100 mixed concurrent calls on one domain leave a consistent state', async function () {
      needs(this, 'domainDefineXML', 'domainCreate', 'domainSuspend', 'domainResume', 'domainDestroy', 'domainGetState', 'domainGetInfo', 'domainIsActive');
      const name = newName();
      const dom = await conn.defineDomainXML(opts.newDomainXML(name));
      await dom.create();
      await eventually(() => assert.equal(eventsOf(name).length >= (events ? 2 : 0), true));
      lifecycle.set(name, []);
      await runConcurrencyCheck({ conn, dom, events, eventsOf: () => eventsOf(name), allowedErrors: opts.concurrencyErrors ?? [] });
      if (await dom.isActive()) await dom.destroy();
      await dom.undefine();
    });
  });
}
