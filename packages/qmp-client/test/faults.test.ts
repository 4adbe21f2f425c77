/**
 * Fault injection against an in-memory fake QMP server: framing at every byte boundary,
 * interleaving, id-less errors, truncation, garbage, oversize messages, timeouts and late replies.
 */
import assert from 'node:assert/strict';
import {
  QmpDisconnectedError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
  type QmpClient,
  type QmpCloseInfo,
  type QmpEvent,
  type QmpLateReply,
} from '@virtkit/qmp-client';
import { FakeQmp, type FakeCommand, tick } from './support/fake-qmp.js';

describe('qmp-client against a fault-injecting fake server', () => {
  let fake: FakeQmp;
  let client: QmpClient | undefined;

  beforeEach(() => {
    fake = new FakeQmp();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('parses a reply split at every byte boundary', async () => {
    client = await fake.start();
    const value = { status: 'running', singlestep: false, running: true };
    let split = 1;
    fake.onCommand = (cmd) => {
      const text = fake.replyText(cmd, value);
      const at = Math.min(split, text.length - 1);
      fake.raw(text.slice(0, at));
      fake.raw(text.slice(at));
    };
    const length = fake.replyText({ id: 1000 }, value).length;
    for (; split < length; split++) {
      assert.deepEqual(await client.execute('query-status'), value);
    }
    assert.equal(client.state, 'ready');
  });

  it('parses a stream of replies and events delivered one byte per chunk', async () => {
    client = await fake.start();
    const seen: string[] = [];
    client.on('event', (e) => seen.push(e.event));
    fake.onCommand = (cmd) => {
      const text = JSON.stringify({ event: 'STOP', timestamp: { seconds: 0, microseconds: 0 } }) + '\r\n' + fake.replyText(cmd, { n: cmd.id });
      for (const byte of Buffer.from(text)) fake.raw(Buffer.of(byte));
    };
    const results = await Promise.all([client.execute('a'), client.execute('b')]);
    assert.deepEqual(results.map((r) => (r as { n: number }).n), [2, 3]);
    assert.deepEqual(seen, ['STOP', 'STOP']);
  });

  it('matches replies by id with events interleaved between reply fragments', async () => {
    client = await fake.start();
    const got: FakeCommand[] = [];
    fake.onCommand = (cmd) => {
      got.push(cmd);
      if (got.length < 3) return;
      // Answer in reverse order; each reply is split, with events between the fragments.
      const [a, b, c] = got.map((g) => fake.replyText(g, { cmd: g.execute }));
      const ev = (n: string): string => JSON.stringify({ event: n, data: { n }, timestamp: { seconds: 0, microseconds: 0 } }) + '\r\n';
      fake.raw(c!.slice(0, 5));
      fake.raw(c!.slice(5) + ev('E1') + b!.slice(0, 9));
      fake.raw(b!.slice(9) + ev('E2'));
      fake.raw(ev('E3') + a!.slice(0, 1));
      fake.raw(a!.slice(1));
    };
    const events: QmpEvent[] = [];
    client.on('event', (e) => events.push(e));
    const e2 = client.waitForEvent('E2');
    const r = await Promise.all([client.execute('one'), client.execute('two'), client.execute('three')]);
    assert.deepEqual(r, [{ cmd: 'one' }, { cmd: 'two' }, { cmd: 'three' }]);
    assert.deepEqual(events.map((e) => e.event), ['E1', 'E2', 'E3']);
    assert.deepEqual((await e2).data, { n: 'E2' });
  });

  it('rejects the oldest in-band command with an id-less error and surfaces it as unmatched-error', async () => {
    client = await fake.start();
    const cmds: FakeCommand[] = [];
    fake.onCommand = (cmd) => cmds.push(cmd);
    const unmatched: QmpError[] = [];
    client.on('unmatched-error', (e) => unmatched.push(e));
    const lates: QmpLateReply[] = [];
    client.on('late-reply', (r) => lates.push(r));
    const first = client.execute('first');
    const second = client.execute('second');
    await tick();
    fake.send({ error: { class: 'GenericError', desc: 'JSON parse error, invalid keyword' } });
    await assert.rejects(first, (e: unknown) => {
      assert.ok(e instanceof QmpError);
      assert.equal(e.command, 'first');
      assert.equal(e.idless, true);
      assert.equal(e.errorClass, 'GenericError');
      return true;
    });
    assert.equal(unmatched.length, 1);
    assert.equal(unmatched[0]!.command, 'first');
    // The second command is still answered normally; a reply for the first is dropped as late.
    fake.reply(cmds[0]!, 'late');
    fake.reply(cmds[1]!, 'ok');
    assert.equal(await second, 'ok');
    assert.deepEqual(lates.map((l) => l.command), ['first']);
    // With nothing pending, it is only surfaced as an event.
    fake.send({ error: { class: 'GenericError', desc: 'stray' } });
    assert.equal(unmatched.length, 2);
    assert.equal(unmatched[1]!.command, undefined);
    assert.equal(client.state, 'ready');
  });

  it("attributes only the first of a run of id-less errors (QEMU's parser resynchronising)", async () => {
    client = await fake.start();
    const cmds: FakeCommand[] = [];
    fake.onCommand = (cmd) => cmds.push(cmd);
    const unmatched: QmpError[] = [];
    client.on('unmatched-error', (e) => unmatched.push(e));
    const bad = client.execute('bad');
    const good = client.execute('good');
    await tick();
    for (let i = 0; i < 3; i++) fake.send({ error: { class: 'GenericError', desc: `aftermath ${i}` } });
    await assert.rejects(bad, (e: unknown) => e instanceof QmpError && e.command === 'bad' && e.desc === 'aftermath 0');
    assert.deepEqual(unmatched.map((e) => e.command), ['bad', undefined, undefined]);
    fake.reply(cmds[1]!, 'fine');
    assert.equal(await good, 'fine');
    // After a reply with an id, the next id-less error is a new failure again.
    const next = client.execute('next');
    await tick();
    fake.send({ error: { class: 'GenericError', desc: 'new failure' } });
    await assert.rejects(next, (e: unknown) => e instanceof QmpError && e.command === 'next');
  });

  it('rejects pending commands naming them when EOF cuts a reply in half', async () => {
    client = await fake.start();
    fake.onCommand = (cmd) => {
      fake.raw(fake.replyText(cmd, { big: 'x'.repeat(100) }).slice(0, 40));
      fake.end();
    };
    const closed = new Promise<QmpCloseInfo>((resolve) => client!.once('close', resolve));
    await assert.rejects(client.execute('query-block'), (e: unknown) => {
      assert.ok(e instanceof QmpDisconnectedError);
      assert.equal(e.command, 'query-block');
      assert.match(e.message, /query-block/);
      assert.match(e.message, /middle of a message/);
      return true;
    });
    const info = await closed;
    assert.equal(info.shutdownSeen, false);
    assert.ok(info.error instanceof QmpProtocolError);
    assert.equal(client.state, 'closed');
    await assert.rejects(client.execute('later'), QmpDisconnectedError);
  });

  it('closes with a protocol error on a garbage line', async () => {
    client = await fake.start();
    fake.onCommand = () => fake.raw('this is not json\r\n');
    await assert.rejects(client.execute('query-status'), (e: unknown) => {
      assert.ok(e instanceof QmpDisconnectedError);
      assert.ok(e.cause instanceof QmpProtocolError);
      assert.match(e.message, /malformed JSON/);
      return true;
    });
    const info = await client.closed;
    assert.ok(info.error instanceof QmpProtocolError);
  });

  it('accepts a 9 MiB reply and refuses one over the 10 MiB limit', async () => {
    client = await fake.start();
    const big = 'y'.repeat(9 * 1024 * 1024);
    fake.onCommand = (cmd) => {
      const text = cmd.execute === 'ok' ? fake.replyText(cmd, big) : fake.replyText(cmd, big + big);
      for (let i = 0; i < text.length; i += 65536) fake.raw(text.slice(i, i + 65536));
    };
    assert.equal(((await client.execute('ok')) as string).length, big.length);
    await assert.rejects(client.execute('too-big'), (e: unknown) => {
      assert.ok(e instanceof QmpDisconnectedError);
      assert.equal(e.command, 'too-big');
      assert.match(e.message, /exceeds the 10485760-byte limit/);
      return true;
    });
    assert.equal(client.state, 'closed');
  });

  it('times out a reply that never comes and drops the late reply', async () => {
    client = await fake.start({ commandTimeout: 50 });
    const held: FakeCommand[] = [];
    fake.onCommand = (cmd) => (cmd.execute === 'slow' ? held.push(cmd) : fake.reply(cmd, cmd.execute));
    await assert.rejects(client.execute('slow'), (e: unknown) => {
      assert.ok(e instanceof QmpTimeoutError);
      assert.equal(e.command, 'slow');
      assert.equal(e.timeout, 50);
      return true;
    });
    const late = new Promise<QmpLateReply>((resolve) => client!.once('late-reply', resolve));
    fake.reply(held[0]!, 'too late');
    assert.deepEqual(await late, { id: held[0]!.id, command: 'slow', reply: { return: 'too late', id: held[0]!.id } });
    assert.equal(await client.execute('fast'), 'fast');
    assert.equal(client.pendingCount, 0);
  });

  it('aborts a command with its signal and drops the late reply', async () => {
    client = await fake.start();
    const held: FakeCommand[] = [];
    fake.onCommand = (cmd) => held.push(cmd);
    const ac = new AbortController();
    const p = client.execute('slow', undefined, { signal: ac.signal });
    ac.abort(new Error('user gave up'));
    await assert.rejects(p, /user gave up/);
    const late = new Promise<QmpLateReply>((resolve) => client!.once('late-reply', resolve));
    await tick();
    fake.reply(held[0]!, 1);
    assert.equal((await late).command, 'slow');
  });

  it('reports SHUTDOWN before EOF in the close event', async () => {
    client = await fake.start();
    fake.onCommand = (cmd) => {
      fake.reply(cmd, {});
      fake.event('SHUTDOWN', { guest: false, reason: 'host-qmp-quit' });
      fake.end();
    };
    const shutdown = client.waitForEvent('SHUTDOWN');
    await client.quit();
    assert.equal((await shutdown).data.reason, 'host-qmp-quit');
    assert.deepEqual(await client.closed, { shutdownSeen: true });
  });

  it('close() rejects pending commands and ends the stream', async () => {
    client = await fake.start();
    fake.onCommand = () => {};
    const p = client.execute('never');
    let ended = false;
    fake.fromClient.on('end', () => (ended = true));
    fake.fromClient.resume();
    const closing = client.close();
    assert.equal(client.state, 'closing');
    await assert.rejects(p, (e: unknown) => e instanceof QmpDisconnectedError && e.command === 'never');
    fake.end();
    await closing;
    assert.equal(client.state, 'closed');
    assert.ok(ended);
  });
});
