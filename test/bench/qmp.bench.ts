/**
 * QMP client benchmark against a real QEMU (`-machine none -S`), side by side in one run with
 * a plain python3 stdlib client doing the same work on the same QEMU:
 *   - sequential `query-status` round trips: median (and p99) latency;
 *   - pipelined `query-status` throughput (commands/s), every command written eagerly;
 *   - a pipelined batch with a `system_reset` every 10th command: no RESET event may be lost.
 * Rounds alternate python / virtkit so drift on a shared machine hits both alike.
 * Goals (issue 5): throughput >= 0.95x python's, median round trip <= 1.2x python's.
 * Usage: npm run bench -- qmp   (QMP_BENCH_ROUNDS=N to change the number of rounds)
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QmpClient } from '@virtkit/qmp-client';
import { startQemu } from '../../packages/qmp-client/test/support/qemu.js';

const here = dirname(fileURLToPath(import.meta.url));
const PY_CLIENT = join(here, '../../packages/qmp-client/test/support/qmp_bench_client.py');
const PYTHON = '/usr/bin/python3';
const WARMUP = 200;
const SEQUENTIAL = 2000;
const PIPELINED = 5000;
const PIPE_ROUNDS = 3;
const ROUNDS = Number(process.env.QMP_BENCH_ROUNDS ?? 5);

interface Result {
  median_rtt_ms: number;
  p99_rtt_ms: number;
  pipelined_per_s: number;
  events_expected: number;
  events_seen: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function pipelined(client: QmpClient, names: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all(names.map((n) => client.execute(n)));
  return names.length / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function runVirtkit(path: string): Promise<Result> {
  const client = await QmpClient.connect(path, { retry: true });
  let events = 0;
  client.on('event', () => events++);
  const lat: number[] = [];
  for (let i = 0; i < WARMUP + SEQUENTIAL; i++) {
    const t0 = process.hrtime.bigint();
    await client.execute('query-status');
    const t1 = process.hrtime.bigint();
    if (i >= WARMUP) lat.push(Number(t1 - t0) / 1e6);
  }
  lat.sort((a, b) => a - b);
  const rates: number[] = [];
  for (let r = 0; r < PIPE_ROUNDS; r++) rates.push(await pipelined(client, Array(PIPELINED).fill('query-status')));
  events = 0;
  const names = Array.from({ length: 1000 }, (_, i) => (i % 10 === 9 ? 'system_reset' : 'query-status'));
  await pipelined(client, names);
  const expected = names.filter((n) => n === 'system_reset').length;
  const deadline = Date.now() + 2000;
  while (events < expected && Date.now() < deadline) await client.execute('query-status');
  await client.close();
  return {
    median_rtt_ms: lat[Math.floor(lat.length / 2)]!,
    p99_rtt_ms: lat[Math.floor(lat.length * 0.99)]!,
    pipelined_per_s: median(rates),
    events_expected: expected,
    events_seen: events,
  };
}

function runPython(path: string): Result {
  const out = execFileSync(PYTHON, [PY_CLIENT, path, String(WARMUP), String(SEQUENTIAL), String(PIPELINED), String(PIPE_ROUNDS)], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Result;
}

const qemu = startQemu({ machine: 'none' });
try {
  // Let QEMU create its socket before python (which does not retry) connects.
  await (await QmpClient.connect(qemu.qmpPath, { retry: true })).close();
  const py: Result[] = [];
  const vk: Result[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    py.push(runPython(qemu.qmpPath));
    vk.push(await runVirtkit(qemu.qmpPath));
  }
  const agg = (rs: Result[]) => ({
    rtt: median(rs.map((r) => r.median_rtt_ms)),
    p99: median(rs.map((r) => r.p99_rtt_ms)),
    rate: median(rs.map((r) => r.pipelined_per_s)),
    lost: rs.reduce((n, r) => n + (r.events_expected - r.events_seen), 0),
    expected: rs.reduce((n, r) => n + r.events_expected, 0),
  });
  const p = agg(py);
  const v = agg(vk);
  const rttRatio = v.rtt / p.rtt;
  const rateRatio = v.rate / p.rate;
  const fmt = (n: number, d = 3) => n.toFixed(d);
  console.log(`QEMU -machine none -S, ${ROUNDS} alternating rounds; sequential ${SEQUENTIAL} (after ${WARMUP} warm-up), pipelined ${PIPELINED} x ${PIPE_ROUNDS}`);
  console.log(`                      python3 stdlib   virtkit   ratio   goal`);
  console.log(`median RTT (ms)       ${fmt(p.rtt).padStart(14)}  ${fmt(v.rtt).padStart(8)}  ${fmt(rttRatio, 2).padStart(6)}x  <= 1.20x  ${rttRatio <= 1.2 ? 'met' : 'MISSED'}`);
  console.log(`p99 RTT (ms)          ${fmt(p.p99).padStart(14)}  ${fmt(v.p99).padStart(8)}  ${fmt(v.p99 / p.p99, 2).padStart(6)}x`);
  console.log(`pipelined (cmds/s)    ${fmt(p.rate, 0).padStart(14)}  ${fmt(v.rate, 0).padStart(8)}  ${fmt(rateRatio, 2).padStart(6)}x  >= 0.95x  ${rateRatio >= 0.95 ? 'met' : 'MISSED'}`);
  console.log(`RESET events lost     ${String(p.lost).padStart(14)}  ${String(v.lost).padStart(8)}   of ${v.expected} each`);
  console.log(`per round: python rtt ${py.map((r) => fmt(r.median_rtt_ms)).join(' ')} rate ${py.map((r) => fmt(r.pipelined_per_s, 0)).join(' ')}`);
  console.log(`           virtkit rtt ${vk.map((r) => fmt(r.median_rtt_ms)).join(' ')} rate ${vk.map((r) => fmt(r.pipelined_per_s, 0)).join(' ')}`);
  process.exitCode = rttRatio <= 1.2 && rateRatio >= 0.95 && v.lost === 0 ? 0 : 1;
} finally {
  await qemu.stop();
}
