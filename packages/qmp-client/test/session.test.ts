/**
 * Negotiation, out-of-band execution, connecting over sockets and the event APIs, against the
 * fake server (in memory, or on a real unix socket where connecting is what is tested).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  QmpCapabilityError,
  QmpClient,
  QmpDisconnectedError,
  QmpProtocolError,
  QmpRequestError,
  QmpTimeoutError,
  QEMU_MAX_NESTING,
  createQmpLogger,
  type QmpEvent,
  type QmpState,
} from '@virtkit/qmp-client';
import { FakeQmp, GREETING, tick } from './support/fake-qmp.js';

describe('qmp-client session', () => {
  let fake: FakeQmp;
  let client: QmpClient | undefined;
  let dir: string;
  let server: Server | undefined;
  const sockets: Socket[] = [];

  beforeEach(() => {
    fake = new FakeQmp();
    dir = mkdtempSync(join(tmpdir(), 'vk-qmp-session-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    for (const s of sockets.splice(0)) s.destroy();
    if (server) await new Promise((r) => server!.close(r));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function listen(onConnection: (s: Socket) => void): Promise<string> {
    const path = join(dir, 'qmp.sock');
    server = createServer((s) => {
      sockets.push(s);
      onConnection(s);
    });
    return new Promise((resolve) => server!.listen(path, () => resolve(path)));
  }

  it('enables oob when offered and sends exec-oob on request', async () => {
    client = await fake.start();
    assert.deepEqual(fake.commands[0], { execute: 'qmp_capabilities', arguments: { enable: ['oob'] }, id: 1 });
    assert.equal(client.oobEnabled, true);
    assert.equal(client.greeting?.version.qemu.major, 7);
    await client.execute('migrate-pause', undefined, { oob: true });
    assert.equal(fake.commands[1]!['exec-oob'], 'migrate-pause');
    assert.equal(fake.commands[1]!.execute, undefined);
  });

  it('negotiates without oob when not offered, and refuses oob commands then', async () => {
    client = await fake.start({}, { QMP: { ...GREETING.QMP, capabilities: [] } });
    assert.deepEqual(fake.commands[0], { execute: 'qmp_capabilities', id: 1 });
    assert.equal(client.oobEnabled, false);
    await assert.rejects(client.execute('x', undefined, { oob: true }), QmpCapabilityError);
  });

  it('does not enable oob when the oob option is false', async () => {
    client = await fake.start({ oob: false });
    assert.deepEqual(fake.commands[0], { execute: 'qmp_capabilities', id: 1 });
  });

  it('goes through the states in order and ids are unique and increasing', async () => {
    const states: QmpState[] = [];
    const p = fake.start();
    fake.send({});
    client = await p;
    client.on('state', (s) => states.push(s));
    await Promise.all([client.execute('a'), client.execute('b', { x: 1 }), client.execute('c')]);
    assert.deepEqual(
      fake.commands.map((c) => c.id),
      [1, 2, 3, 4],
    );
    assert.deepEqual(fake.commands[2], { execute: 'b', arguments: { x: 1 }, id: 3 });
    await client.close(10);
    assert.deepEqual(states, ['closing', 'closed']);
  });

  it("refuses requests over QEMU's parser limits without sending them; brackets in strings do not count", async () => {
    client = await fake.start();
    let v: unknown = 0;
    for (let i = 0; i < QEMU_MAX_NESTING - 1; i++) v = [v];
    await assert.rejects(client.execute('deep', { v }), (e: unknown) => e instanceof QmpRequestError && e.command === 'deep');
    const brackets = '[{"\\'.repeat(2000);
    assert.deepEqual(await client.execute('strings', { s: brackets }), {});
    assert.deepEqual(
      fake.commands.map((c) => c.execute),
      ['qmp_capabilities', 'strings'],
    );
    assert.equal(fake.commands[1]!.arguments!.s, brackets);
  });

  it('connects over a unix socket, retrying until the socket exists', async () => {
    const path = join(dir, 'qmp.sock');
    const connecting = QmpClient.connect(path, { retry: true, connectTimeout: 5000 });
    await new Promise((r) => setTimeout(r, 60));
    await listen((s) => {
      s.write(JSON.stringify(GREETING) + '\r\n');
      s.on('data', (d) => {
        for (const line of d.toString().split('\n').filter(Boolean)) s.write(JSON.stringify({ return: {}, id: JSON.parse(line).id }) + '\r\n');
      });
    });
    client = await connecting;
    assert.equal(client.state, 'ready');
    assert.deepEqual(await client.execute('query-status'), {});
  });

  it('listen(): queues a peer that connects before accept(), times out when none comes, unlinks on close', async () => {
    const path = join(dir, 'accept.sock');
    const listener = await QmpClient.listen(path);
    try {
      const peer = connect(path);
      sockets.push(peer);
      peer.write(JSON.stringify(GREETING) + '\r\n');
      peer.on('data', (d) => {
        for (const line of d.toString().split('\n').filter(Boolean)) peer.write(JSON.stringify({ return: 'hi', id: JSON.parse(line).id }) + '\r\n');
      });
      await new Promise((r) => peer.once('connect', r));
      await new Promise((r) => setTimeout(r, 20));
      client = await listener.accept();
      assert.equal(await client.execute('anything'), 'hi');
      await assert.rejects(listener.accept({ timeout: 30 }), QmpTimeoutError);
    } finally {
      await listener.close();
    }
    assert.equal(existsSync(path), false);
    await assert.rejects(listener.accept(), QmpDisconnectedError);
  });

  it('fails to connect with the socket error without retry, and with QmpTimeoutError when retrying in vain', async () => {
    const path = join(dir, 'missing.sock');
    await assert.rejects(QmpClient.connect(path), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
    await assert.rejects(QmpClient.connect(path, { retry: true, connectTimeout: 80 }), QmpTimeoutError);
  });

  it('fails to connect with QmpTimeoutError when no greeting comes', async () => {
    const path = await listen(() => {});
    await assert.rejects(QmpClient.connect(path, { connectTimeout: 100 }), QmpTimeoutError);
  });

  it('fails to connect when the peer sends garbage instead of a greeting', async () => {
    const path = await listen((s) => s.write('{"QMP": "nonsense"}\r\n'));
    await assert.rejects(QmpClient.connect(path), QmpProtocolError);
  });

  it('fails to connect with QmpDisconnectedError when the peer hangs up', async () => {
    const path = await listen((s) => s.end());
    await assert.rejects(QmpClient.connect(path), QmpDisconnectedError);
  });

  it('waitForEvent: predicate, registered before the command, timeout, abort and close', async () => {
    client = await fake.start();
    fake.onCommand = (cmd) => {
      fake.event('JOB_STATUS_CHANGE', { id: 'other', status: 'running' });
      fake.event('JOB_STATUS_CHANGE', { id: 'j1', status: 'concluded' });
      fake.reply(cmd, {});
    };
    const wait = client.waitForEvent('JOB_STATUS_CHANGE', { predicate: (e) => e.data.id === 'j1' });
    await client.execute('job-start');
    assert.equal((await wait).data.status, 'concluded');
    await assert.rejects(client.waitForEvent('NEVER', { timeout: 20 }), QmpTimeoutError);
    const ac = new AbortController();
    const aborted = client.waitForEvent('NEVER', { signal: ac.signal });
    ac.abort(new Error('stop waiting'));
    await assert.rejects(aborted, /stop waiting/);
    const onClose = client.waitForEvent('NEVER');
    fake.end();
    await assert.rejects(onClose, QmpDisconnectedError);
    assert.equal(client.listenerCount('NEVER'), 0);
  });

  it('events(): filters names, queues from creation, ends on close', async () => {
    client = await fake.start();
    const stream = client.events({ names: ['STOP', 'RESUME'] });
    fake.event('STOP');
    fake.event('RESET', { guest: false, reason: 'host-qmp-system-reset' });
    fake.event('RESUME');
    await tick();
    fake.end();
    const got: QmpEvent[] = [];
    for await (const e of stream) got.push(e);
    assert.deepEqual(got.map((e) => e.event), ['STOP', 'RESUME']);
    assert.deepEqual(got[0]!.data, {});
  });

  it('events(): ends on abort and on break, unsubscribing', async () => {
    client = await fake.start();
    const ac = new AbortController();
    const stream = client.events({ signal: ac.signal });
    const next = stream.next();
    ac.abort();
    assert.deepEqual(await next, { value: undefined, done: true });
    const all = client.events();
    fake.event('X');
    for await (const e of all) {
      assert.equal(e.event, 'X');
      break;
    }
    assert.equal(client.listenerCount('event'), 0);
  });

  it('per-name listeners and a typed SHUTDOWN payload', async () => {
    client = await fake.start();
    const reasons: string[] = [];
    client.on('SHUTDOWN', (e) => reasons.push(e.data.reason));
    fake.event('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
    await tick();
    assert.deepEqual(reasons, ['guest-shutdown']);
    assert.equal(client.shutdownSeen, true);
  });

  it('logs traffic at debug level through a pino-compatible logger', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = { debug: (o: object) => lines.push(o as Record<string, unknown>), warn: () => {}, isLevelEnabled: () => true };
    client = await fake.start({ logger });
    fake.onCommand = (cmd) => {
      fake.event('STOP');
      fake.reply(cmd, { ok: true });
    };
    await client.execute('stop');
    const kinds = lines.map((l) => l.qmp);
    assert.deepEqual(kinds, ['greeting', 'command', 'reply', 'command', 'event', 'reply']);
    assert.equal(lines[3]!.command, 'stop');
  });

  it('createQmpLogger: a pino logger that records the traffic as JSON lines', async () => {
    const out: string[] = [];
    const logger = createQmpLogger({}, { write: (s: string) => out.push(s) });
    client = await fake.start({ logger });
    await client.execute('query-status', { verbose: true });
    const records = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const command = records.find((r) => r.qmp === 'command' && r.command === 'query-status');
    assert.deepEqual(command?.arguments, { verbose: true });
    assert.equal(command?.level, 20);
    assert.equal(command?.name, 'qmp');
    assert.ok(records.some((r) => r.qmp === 'reply' && r.id === command?.id));
  });
});
