/**
 * vksh start-up: the median wall time of `vksh -c test:///default list --all` (the bundled
 * bin, as `npx vksh` runs it) against `node -e 0` and the real `virsh`, measured side by side,
 * interleaved, in one run. Goal (issue 4): vksh <= 1.3x node -e 0.
 *
 * `npm run bench -- vksh`; VKSH_BENCH_RUNS sets the number of runs of each (default 60).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from '../support/host.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'packages', 'cli', 'bin', 'vksh.js');
const bundle = join(root, 'packages', 'cli', 'dist', 'vksh.cjs');
const runs = Number(process.env.VKSH_BENCH_RUNS ?? 60);

if (!existsSync(bundle)) {
  // The bin runs the esbuild bundle; build it rather than measure nothing.
  const b = spawnSync('npm', ['run', 'bundle', '-w', '@virtkit/cli'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run bundle -w @virtkit/cli failed');
}

interface Subject {
  name: string;
  cmd: string;
  args: string[];
  times: number[];
}

const subjects: Subject[] = [
  { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], times: [] },
  { name: 'vksh -c test:///default list --all', cmd: process.execPath, args: [bin, '-c', 'test:///default', 'list', '--all'], times: [] },
];
const virsh = which('virsh');
if (virsh) subjects.push({ name: 'virsh -c test:///default list --all', cmd: virsh, args: ['-c', 'test:///default', 'list', '--all'], times: [] });

// A clean environment: no NODE_OPTIONS from a test runner (tsx) may slow the subjects down.
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LC_ALL: 'C' };
const check = spawnSync(subjects[1].cmd, subjects[1].args, { env, encoding: 'utf8' });
if (check.status !== 0 || !check.stdout.includes(' test ')) {
  throw new Error(`vksh did not list the test domain: ${check.stderr}${check.stdout}`);
}

for (let i = 0; i < runs + 3; i++) {
  // forward and backward in turn: no subject always runs right after another
  for (const s of i % 2 === 0 ? subjects : [...subjects].reverse()) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(s.cmd, s.args, { env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${s.name} exited ${r.status}`);
    if (i >= 3) s.times.push(ms); // the first rounds warm the page cache
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = median(subjects[0].times);
console.log(`runs: ${runs} of each, interleaved`);
for (const s of subjects) {
  const m = median(s.times);
  console.log(`${s.name.padEnd(40)} median ${m.toFixed(1).padStart(6)} ms   ratio to node -e 0: ${(m / base).toFixed(2)}x`);
}
const ratio = median(subjects[1].times) / base;
console.log(`vksh start-up ratio: ${ratio.toFixed(2)}x node -e 0 (goal <= 1.30x): ${ratio <= 1.3 ? 'met' : 'NOT met'}`);
