/**
 * Reliability of the QEMU driver: the managing process killed with -9 while 10 guests run (a
 * new connection sees them all with their states and stops them), 200 concurrent mixed calls on
 * one domain, and nothing (QEMU process, socket, lock) left behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireHost } from '../support/host.js';
import { firmwareXML, openRoot, tempRoot, teardownRoot, type OpenRoot } from '../../drivers/qemu/test/support/harness.js';
import * as C from '../../drivers/qemu/src/constants.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every QEMU pid ever recorded in a status file of a root (collected as tests look). */
const seenPids = new Map<string, Set<number>>();

/** Live (non-zombie) QEMU processes of `root`: pids from its status files, plus those seen before. */
function qemuPidsUnder(root: string): number[] {
  const seen = seenPids.get(root) ?? new Set<number>();
  seenPids.set(root, seen);
  const run = join(root, 'run', 'qemu');
  for (const f of existsSync(run) ? readdirSync(run) : []) {
    if (!f.endsWith('.json')) continue;
    try {
      seen.add((JSON.parse(readFileSync(join(run, f), 'utf8')) as { pid: number }).pid);
    } catch {
      // being rewritten
    }
  }
  return [...seen].filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return cmd.includes('qemu-system') && !/\) Z /.test(stat);
    } catch {
      return false;
    }
  });
}

describe('qemu driver: reliability', function () {
  this.timeout(60_000);
  let r: OpenRoot | undefined;
  const roots: string[] = [];

  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64'], paths: ['/dev/kvm'] });
  });
  afterEach(async () => {
    await teardownRoot(r, false);
    r = undefined;
  });
  after(() => {
    // Nothing left behind: no QEMU, no socket, no lock, in any root this suite used.
    for (const root of roots) {
      const left = qemuPidsUnder(root);
      for (const pid of left) process.kill(pid, 'SIGKILL'); // never leave guests behind, even on failure
      assert.deepEqual(left, [], `QEMU processes left under ${root}`);
      const run = join(root, 'run', 'qemu');
      if (existsSync(run)) assert.deepEqual(readdirSync(run), [], `files left in ${run}`);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('kill -9 of the managing process: a new connection sees all 10 guests and stops them', async () => {
    const root = tempRoot('rel');
    roots.push(root);
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@virtkit/source', join(here, '../../drivers/qemu/test/support/manager-child.ts'), root, '10'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('READY')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`manager exited early (${code})`)));
      });
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((res) => child.once('exit', res));
    assert.equal(qemuPidsUnder(root).length, 10, 'the guests outlive their manager');
    r = await openRoot(root);
    const doms = await r.hv.connectListAllDomains!(C.VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    assert.equal(doms.length, 10);
    for (const d of doms) {
      const i = Number(d.name.split('-')[1]);
      const st = await r.hv.domainGetState!(d, 0);
      if (i % 2 === 1) assert.deepEqual(st, { state: C.VIR_DOMAIN_PAUSED, reason: C.VIR_DOMAIN_PAUSED_USER }, d.name);
      else assert.deepEqual(st, { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_BOOTED }, d.name);
    }
    // still controllable: resume the paused ones, then stop all
    for (const d of doms) if ((await r.hv.domainGetState!(d, 0)).state === C.VIR_DOMAIN_PAUSED) await r.hv.domainResume!(d);
    await Promise.all(doms.map((d) => r!.hv.domainDestroy!(d, 0)));
    assert.equal((await r.hv.connectListAllDomains!(C.VIR_CONNECT_LIST_DOMAINS_ACTIVE)).length, 0);
    assert.deepEqual(qemuPidsUnder(root), []);
  });

  it('destroy interrupts a stuck job (QEMU stopped with SIGSTOP) and later jobs proceed', async () => {
    const root = tempRoot('stuck');
    roots.push(root);
    r = await openRoot(root);
    const hv = r.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('stuck'), 0), 0);
    const [pid] = qemuPidsUnder(root);
    process.kill(pid!, 'SIGSTOP');
    const stuck = hv.domainSuspend!(dom).then(() => 'done', (e: { code?: number }) => e.code);
    const queued = hv.domainResume!(dom).then(() => 'done', (e: { code?: number }) => e.code);
    await new Promise((res) => setTimeout(res, 200));
    const t0 = Date.now();
    await hv.domainDestroy!(dom, 0);
    assert.ok(Date.now() - t0 < 5000, 'destroy does not wait for the stuck job');
    assert.equal(await stuck, C.VIR_ERR_OPERATION_INVALID);
    assert.equal(await queued, C.VIR_ERR_OPERATION_INVALID);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_DESTROYED });
    await hv.domainCreate!(dom, 0);
    assert.equal((await hv.domainGetState!(dom, 0)).state, C.VIR_DOMAIN_RUNNING);
  });

  it('200 concurrent mixed calls on one domain leave a consistent state', async () => {
    const root = tempRoot('conc');
    roots.push(root);
    r = await openRoot(root);
    const hv = r.hv;
    const ref = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('conc'), 0), 0);
    r.events.lifecycle.length = 0;
    const ops = ['suspend', 'resume', 'destroy', 'create', 'getInfo', 'getState', 'xml', 'setMemory', 'list'] as const;
    let seed = 42;
    const rand = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const calls = Array.from({ length: 200 }, () => ops[Math.floor(rand() * ops.length)]!);
    const results = await Promise.allSettled(calls.map(async (op) => {
      const cur = await hv.domainLookupByName!('conc');
      switch (op) {
        case 'suspend': return hv.domainSuspend!(cur);
        case 'resume': return hv.domainResume!(cur);
        case 'destroy': return hv.domainDestroy!(cur, 0);
        case 'create': return hv.domainCreate!(cur, 0);
        case 'getInfo': return hv.domainGetInfo!(cur);
        case 'getState': return hv.domainGetState!(cur, 0);
        case 'xml': return hv.domainGetXMLDesc!(cur, 0);
        case 'setMemory': return hv.domainSetMemoryFlags!(cur, 65536, 0);
        case 'list': return hv.connectListAllDomains!(0);
      }
    }));
    for (const [i, res] of results.entries()) {
      if (res.status === 'rejected') {
        const code = (res.reason as { code?: number }).code;
        assert.ok(code === C.VIR_ERR_OPERATION_INVALID, `call ${i} (${calls[i]}) failed: ${(res.reason as Error).message}`);
      }
    }
    await new Promise((res) => setTimeout(res, 200));
    const dom = await hv.domainLookupByName!('conc');
    const { state } = await hv.domainGetState!(dom, 0);
    const active = await hv.domainIsActive!(dom);
    assert.equal(active, state !== C.VIR_DOMAIN_SHUTOFF);
    assert.equal(dom.id > 0, active);
    assert.equal((await hv.domainGetInfo!(dom)).state, state);
    assert.equal(qemuPidsUnder(root).length, active ? 1 : 0, 'exactly one QEMU when active');
    // the event stream tells the same story
    let cur: number = C.VIR_DOMAIN_RUNNING;
    const next: Record<number, number> = {
      [C.VIR_DOMAIN_EVENT_STARTED]: C.VIR_DOMAIN_RUNNING,
      [C.VIR_DOMAIN_EVENT_SUSPENDED]: C.VIR_DOMAIN_PAUSED,
      [C.VIR_DOMAIN_EVENT_RESUMED]: C.VIR_DOMAIN_RUNNING,
      [C.VIR_DOMAIN_EVENT_STOPPED]: C.VIR_DOMAIN_SHUTOFF,
    };
    for (const e of r.events.lifecycle) if (next[e.event] !== undefined) cur = next[e.event]!;
    assert.equal(cur, state, 'events end in the final state');
    const statusFile = join(root, 'run', 'qemu', 'conc.json');
    assert.equal(existsSync(statusFile), active, 'a status file exactly when running');
    if (active) assert.equal((JSON.parse(readFileSync(statusFile, 'utf8')) as { state: number }).state, state);
  });
});
