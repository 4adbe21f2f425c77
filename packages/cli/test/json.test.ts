/**
 * `--json`: every information command prints one JSON document per line with the shape
 * documented in packages/cli/README.md, both with the global `--json` and the command's own.
 */
import { strict as assert } from 'node:assert';
import { connect } from '@virtkit/core';
import { runVksh } from '../src/vksh.js';
import { captureIO } from './support/capture-io.js';

const URI = 'test:///default';

/** Runs one command string with the global --json and returns the parsed documents. */
async function json(line: string, global = true): Promise<unknown[]> {
  const io = captureIO();
  const args = global ? ['--json', '-c', URI, line] : ['-c', URI, line];
  const status = await runVksh(args, { ...io, env: {} });
  assert.equal(io.err(), '');
  assert.equal(status, 0);
  return io
    .out()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

const UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';

describe('vksh --json', () => {
  it('list: an array of domains', async () => {
    const [doms] = await json('list --all');
    assert.deepEqual(doms, [
      { id: 1, name: 'test', uuid: UUID, state: 'running', stateCode: 1, reason: 'unknown', reasonCode: 0, title: '' },
    ]);
  });

  it('list --json as a command option, in a multi-command string', async () => {
    // without the global --json, suspend prints its text and only list prints JSON
    const io = captureIO();
    assert.equal(await runVksh(['-c', URI, 'suspend test; list --json'], { ...io, env: {} }), 0);
    const lines = io.out().split('\n');
    assert.equal(lines[0], "Domain 'test' suspended");
    assert.deepEqual(JSON.parse(lines[2]), [
      { id: 1, name: 'test', uuid: UUID, state: 'paused', stateCode: 3, reason: 'user', reasonCode: 1, title: '' },
    ]);
  });

  it('global --json mutes confirmations: stdout holds JSON documents only', async () => {
    assert.deepEqual(await json('suspend test; domstate test; resume test'), [
      { state: 'paused', stateCode: 3, reason: 'user', reasonCode: 1 },
    ]);
  });

  it('single values and XML documents print as JSON strings', async () => {
    const docs = await json('uri; hostname; domid test; domuuid test; domname 1; net-uuid default; dumpxml test');
    assert.deepEqual(docs.slice(0, 1), ['test:///default']);
    assert.equal(typeof docs[1], 'string');
    assert.deepEqual(docs.slice(2, 6), [1, UUID, 'test', 'dd8fe884-6c02-601e-7551-cca97df1c5df']);
    assert.match(docs[6] as string, /^<domain type='test' id='1'>\n[\s\S]*<\/domain>\n$/);
  });

  it('dominfo: one object with KiB and ns units named', async () => {
    const [info] = (await json('dominfo test')) as Record<string, unknown>[];
    assert.equal(typeof info.cpuTimeNs, 'number');
    assert.deepEqual(
      { ...info, cpuTimeNs: 0 },
      {
        id: 1,
        name: 'test',
        uuid: UUID,
        osType: 'linux',
        state: 'running',
        stateCode: 1,
        cpus: 2,
        cpuTimeNs: 0,
        maxMemKiB: 8388608,
        usedMemKiB: 2097152,
        persistent: true,
        autostart: false,
        managedSave: false,
        securityModel: 'testSecurity',
        securityDOI: '',
        securityLabel: 'libvirt-test (enforcing)',
      },
    );
  });

  it('domstate: names and libvirt numbers', async () => {
    assert.deepEqual(await json('domstate test'), [{ state: 'running', stateCode: 1, reason: 'unknown', reasonCode: 0 }]);
  });

  it('domblklist and domiflist', async () => {
    assert.deepEqual(await json('domblklist test'), [[{ type: 'file', device: 'disk', target: 'vda', source: '/guest/diskimage1' }]]);
    assert.deepEqual(await json('domiflist test'), [
      [{ interface: 'testnet0', type: 'network', source: 'default', model: null, mac: 'aa:bb:cc:dd:ee:ff' }],
    ]);
  });

  it('nodeinfo and version', async () => {
    assert.deepEqual(await json('nodeinfo'), [
      { model: 'i686', cpus: 16, mhz: 1400, sockets: 2, cores: 2, threads: 2, nodes: 2, memoryKiB: 3145728 },
    ]);
    const [v] = (await json('version')) as { hypervisor: { type: string; version: string } }[];
    assert.equal(v.hypervisor.version, '0.0.2');
  });

  it('net-list and net-info', async () => {
    const net = { name: 'default', uuid: 'dd8fe884-6c02-601e-7551-cca97df1c5df', active: true, autostart: false, persistent: true };
    assert.deepEqual(await json('net-list --all'), [[net]]);
    assert.deepEqual(await json('net-info default'), [{ ...net, bridge: 'virbr0' }]);
  });

  it('pool-list and pool-info: sizes in bytes, null while inactive', async () => {
    const pool = {
      name: 'default-pool',
      uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566',
      state: 'running',
      active: true,
      persistent: true,
      autostart: false,
      capacity: 107374182400,
      allocation: 0,
      available: 107374182400,
    };
    assert.deepEqual(await json('pool-list --all'), [[pool]]);
    assert.deepEqual(await json('pool-info default-pool'), [pool]);
    const [list] = (await json('pool-define-as p2 dir --target /var/lib/p2; pool-list --all')) as unknown[];
    assert.deepEqual((list as Record<string, unknown>[])[1], {
      name: 'p2',
      uuid: (list as { uuid: string }[])[1].uuid,
      state: 'inactive',
      active: false,
      persistent: true,
      autostart: false,
      capacity: null,
      allocation: null,
      available: null,
    });
  });

  it('vol-list and vol-info', async () => {
    const docs = await json('vol-create-as default-pool v1 10M; vol-list default-pool; vol-info v1 --pool default-pool');
    assert.deepEqual(docs, [
      [{ name: 'v1', path: '/default-pool/v1', type: 'file', capacity: 10485760, allocation: 10485760 }],
      { name: 'v1', type: 'file', capacity: 10485760, allocation: 10485760 },
    ]);
  });

  it('snapshot-list: names, creation times (s), states, parents, current', async () => {
    const docs = (await json('snapshot-create-as test s1; snapshot-create-as test s2; snapshot-list test')) as unknown[];
    const list = docs[0] as { creationTime: number }[];
    assert.ok(list.every((s) => Number.isInteger(s.creationTime) && s.creationTime > 1.6e9));
    assert.deepEqual(
      list.map((s) => ({ ...s, creationTime: 0 })),
      [
        { name: 's1', creationTime: 0, state: 'running', parent: null, current: false },
        { name: 's2', creationTime: 0, state: 'running', parent: 's1', current: true },
      ],
    );
  });

  /**
   * Runs `line` in vksh while a second connection (which keeps test:///default's state shared)
   * suspends and resumes `test` until vksh finishes: robust however late vksh subscribes.
   */
  async function withEvents(args: string[]): Promise<{ out: string; status: number }> {
    const conn = await connect(URI);
    try {
      const io = captureIO();
      let done = false;
      const run = runVksh(args, { ...io, env: {} }).finally(() => (done = true));
      const dom = await conn.lookupDomainByName('test');
      while (!done) {
        await new Promise((r) => setTimeout(r, 50));
        if ((await dom.getState()).state === 3) await dom.resume();
        else await dom.suspend();
      }
      return { out: io.out(), status: await run };
    } finally {
      await conn.close();
    }
  }

  it('event: one object per event', async () => {
    const { out, status } = await withEvents(['--json', '-c', URI, 'event --all --loop --timeout 1']);
    assert.equal(status, 0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(events.length >= 2, out);
    const kinds = [
      { event: 'lifecycle', domain: 'test', type: 'Suspended', detail: 'Paused', eventCode: 3, detailCode: 0 },
      { event: 'lifecycle', domain: 'test', type: 'Resumed', detail: 'Unpaused', eventCode: 4, detailCode: 0 },
    ];
    for (const { timestamp, ...rest } of events) {
      assert.ok(!Number.isNaN(Date.parse(String(timestamp))));
      assert.ok(kinds.some((k) => JSON.stringify(k) === JSON.stringify(rest)), JSON.stringify(rest));
    }
  });

  it('event without --json prints virsh lines and the count', async () => {
    const { out, status } = await withEvents(['-c', URI, 'event --event lifecycle --timeout 5']);
    assert.equal(status, 0);
    assert.match(out, /^event 'lifecycle' for domain 'test': (Suspended Paused|Resumed Unpaused)\nevents received: 1\n\n$/);
  });
});
