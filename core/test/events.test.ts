import assert from 'node:assert/strict';
import {
  connect,
  registerDriver,
  unregisterDriver,
  VIR_DOMAIN_EVENT_RESUMED,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
  type Connection,
  type ConnectionEvent,
} from '@virtkit/core';
import { fakeDriver, type FakeDriverHandle } from './fake-driver.js';

describe('core events', () => {
  let fake: FakeDriverHandle;
  let conn: Connection;

  beforeEach(async () => {
    fake = fakeDriver('fake-events');
    registerDriver(fake.driver);
    conn = await connect('fake-events:///x');
  });

  afterEach(async () => {
    await conn.close();
    unregisterDriver(fake.driver);
  });

  it('delivers lifecycle events to listeners asynchronously, in order, with libvirt numbers', async () => {
    const seen: [string, number, number][] = [];
    let synchronous = true;
    conn.on('domain-lifecycle', (dom, event, detail) => {
      assert.equal(synchronous, false, 'never inside the driver call stack');
      seen.push([dom.getName(), event, detail]);
    });
    const dom = await conn.lookupDomainByName('alpha');
    const p = dom.suspend().then(() => dom.resume()).then(() => dom.destroy());
    synchronous = false;
    await p;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [
      ['alpha', VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
      ['alpha', VIR_DOMAIN_EVENT_RESUMED, 0],
      ['alpha', VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
    ]);
  });

  it('off() removes a listener', async () => {
    let count = 0;
    const listener = (): void => {
      count++;
    };
    conn.on('domain-lifecycle', listener);
    conn.off('domain-lifecycle', listener);
    await (await conn.lookupDomainByName('alpha')).suspend();
    await new Promise((r) => setImmediate(r));
    assert.equal(count, 0);
  });

  it('contains listener exceptions and reports them to error listeners', async () => {
    const errors: unknown[] = [];
    const later: number[] = [];
    conn.on('domain-lifecycle', () => {
      throw new Error('listener bug');
    });
    conn.on('domain-lifecycle', (_d, event) => later.push(event));
    conn.on('error', (err, ev) => errors.push([(err as Error).message, ev.type]));
    const dom = await conn.lookupDomainByName('alpha');
    await dom.suspend();
    await dom.resume();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors, [
      ['listener bug', 'domain-lifecycle'],
      ['listener bug', 'domain-lifecycle'],
    ]);
    assert.deepEqual(later, [VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_RESUMED], 'other listeners still called');
  });

  it('contains rejections of async listeners', async () => {
    const errors: string[] = [];
    conn.on('domain-lifecycle', async () => {
      throw new Error('async listener bug');
    });
    conn.on('error', (err) => errors.push((err as Error).message));
    await (await conn.lookupDomainByName('alpha')).suspend();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors, ['async listener bug']);
  });

  it('events() yields typed records and ends on abort', async () => {
    const ac = new AbortController();
    const records: ConnectionEvent[] = [];
    const reader = (async () => {
      for await (const ev of conn.events({ signal: ac.signal })) {
        records.push(ev);
        if (records.length === 2) ac.abort();
      }
    })();
    const dom = await conn.lookupDomainByName('alpha');
    await dom.suspend();
    await dom.resume();
    await reader;
    assert.deepEqual(
      records.map((r) => (r.type === 'domain-lifecycle' ? [r.type, r.domain.getName(), r.event] : [r.type])),
      [
        ['domain-lifecycle', 'alpha', VIR_DOMAIN_EVENT_SUSPENDED],
        ['domain-lifecycle', 'alpha', VIR_DOMAIN_EVENT_RESUMED],
      ],
    );
  });

  it('events() ends when the connection closes, and filters by type', async () => {
    const it = conn.events({ types: ['network-lifecycle'] });
    await (await conn.lookupDomainByName('alpha')).suspend();
    const next = it.next();
    await conn.close();
    assert.deepEqual(await next, { value: undefined, done: true });
  });
});
