/**
 * Fault injection (beyond libvirt): failing the next N calls, latency, crash, panic and the
 * settable clock behind cpuTime.
 */
import { strict as assert } from 'node:assert';
import { VirtError, connect, type Connection } from '@virtkit/core';
import { testControl } from '@virtkit/driver-test';
import { openRecording, settle, type Recorded } from './helpers.js';

describe('test driver fault injection', () => {
  let conn: Connection;
  let events: Recorded[];
  beforeEach(async () => {
    ({ conn, events } = await openRecording());
  });
  afterEach(async () => {
    testControl('test:///default').clearFaults();
    await conn.close();
  });

  it('fails the next N calls of an API with the given error, then recovers', async () => {
    const ctl = testControl(conn.getURI());
    ctl.failNext('virDomainSuspend', { code: 38, detail: 'injected I/O error' }, 2);
    const dom = await conn.lookupDomainByName('test');
    for (let i = 0; i < 2; i++) {
      await assert.rejects(dom.suspend(), (e: unknown) => e instanceof VirtError && e.code === 38 && /injected I\/O error/.test(e.message));
    }
    assert.deepEqual(await dom.getState(), { state: 1, reason: 0 }, 'a failed call changes nothing');
    await dom.suspend();
    assert.deepEqual(await dom.getState(), { state: 3, reason: 1 });
  });

  it('applies "*" to any API and VirtError instances as given', async () => {
    const ctl = testControl('test:///default');
    ctl.failNext('*', new VirtError(1, 'internal error: boom', { domain: 12 }));
    await assert.rejects(conn.listAllDomains(0), (e: unknown) => e instanceof VirtError && e.message === 'internal error: boom');
    assert.equal((await conn.listAllDomains(0)).length, 1);
  });

  it('adds latency to an API', async () => {
    testControl('test:///default').setLatency('domainGetInfo', 60);
    const dom = await conn.lookupDomainByName('test');
    const t0 = performance.now();
    await dom.getInfo();
    assert.ok(performance.now() - t0 >= 50);
  });

  it('crashes a running domain: STOPPED/CRASHED, shut off (crashed)', async () => {
    testControl('test:///default').crash('test');
    await settle();
    const dom = await conn.lookupDomainByName('test');
    assert.deepEqual(await dom.getState(), { state: 5, reason: 3 });
    assert.deepEqual(events, [['domain', 'test', 5, 2]]);
    assert.throws(() => testControl('test:///default').crash('test'), (e: unknown) => e instanceof VirtError && e.code === 55);
  });

  it('panics a running domain: CRASHED/PANICKED, still active until destroyed', async () => {
    testControl('test:///default').panic('test');
    await settle();
    const dom = await conn.lookupDomainByName('test');
    assert.deepEqual(await dom.getState(), { state: 6, reason: 1 });
    assert.deepEqual(events, [['domain', 'test', 8, 0]]);
    assert.equal(await dom.isActive(), true);
    await dom.destroy();
    assert.deepEqual(await dom.getState(), { state: 5, reason: 2 });
  });

  it('drives cpuTime from a settable clock (only while running)', async () => {
    const ctl = testControl('test:///default');
    ctl.setClock(1_000_000_000);
    const dom = await conn.lookupDomainByName('test');
    const t0 = (await dom.getInfo()).cpuTime;
    ctl.advanceClock(5e9);
    assert.equal((await dom.getInfo()).cpuTime - t0, 5e9);
    await dom.suspend();
    ctl.advanceClock(7e9);
    assert.equal((await dom.getInfo()).cpuTime - t0, 5e9, 'paused domains use no cpu');
    await dom.resume();
    ctl.advanceClock(1e9);
    assert.equal((await dom.getInfo()).cpuTime - t0, 6e9);
    ctl.setClock(undefined);
  });

  it('needs an open connection', async () => {
    assert.throws(() => testControl('test:///nonexistent/node.xml'), (e: unknown) => e instanceof VirtError && e.code === 55);
    const other = await connect('test:///default');
    await other.close();
  });
});
