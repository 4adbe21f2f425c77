/**
 * Issue 3, acceptance 3: the scripted parity sequence (>= 60 calls: lifecycle, invalid
 * transitions, missing objects, networks, pools, volumes, snapshots, save/restore) runs on
 * libvirt 9.0's test driver (python3-libvirt) and on ours; states, reasons, error codes and
 * events must be the same, step by step.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireHost } from '../support/host.js';
import { runOurs, type StepResult } from '../../drivers/test/test/parity/runner.js';
import { NODE_FILE_SEQUENCE, PARITY_SEQUENCE, type ParityStep } from '../../drivers/test/test/parity/sequence.js';

const PYTHON = '/usr/bin/python3';
const RUNNER = fileURLToPath(new URL('../../drivers/test/test/parity/libvirt-runner.py', import.meta.url));

/** Error messages allowed to differ, with why. */
function messageDiffAllowed(step: ParityStep, theirs: string | undefined): boolean {
  // libvirt 9.0's test driver says a bare "Domain not found" for lookups; virtkit adds the
  // detail every other libvirt driver gives ("no domain with matching name 'x'")
  return step[0].startsWith('lookupBy') && theirs === 'Domain not found';
}

function substitute(steps: ParityStep[], dir: string): ParityStep[] {
  return JSON.parse(JSON.stringify(steps).replaceAll('$TMP', dir)) as ParityStep[];
}

describe('test driver parity with libvirt 9.0 (python3-libvirt)', function () {
  let dir: string;
  let ourDir: string;

  before(function () {
    requireHost(this, { paths: [PYTHON] });
    const probe = spawnSync(PYTHON, ['-c', 'import libvirt'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      if (process.env.VIRTKIT_REQUIRE_HOST === '1') throw new Error('python3-libvirt missing (VIRTKIT_REQUIRE_HOST=1)');
      console.log('    skipped: python3-libvirt is not installed (run bash .ci/install-packages)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'vk-parity-libvirt-'));
    ourDir = mkdtempSync(join(tmpdir(), 'vk-parity-virtkit-'));
  });

  after(() => {
    for (const d of [dir, ourDir]) if (d && existsSync(d)) rmSync(d, { recursive: true, force: true });
  });

  it(`runs the same ${PARITY_SEQUENCE.length}-call sequence with the same results and events`, async function () {
    assert.ok(PARITY_SEQUENCE.length >= 60);
    const steps = substitute(PARITY_SEQUENCE, dir);
    const py = spawnSync(PYTHON, [RUNNER], { input: JSON.stringify(steps), encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(py.status, 0, py.stderr);
    const theirs = JSON.parse(py.stdout) as StepResult[];
    // each side writes its save files into its own directory
    const ours = await runOurs(substitute(PARITY_SEQUENCE, ourDir));
    assert.equal(ours.length, theirs.length);
    const diffs: string[] = [];
    for (let i = 0; i < steps.length; i++) {
      const t = theirs[i]!;
      const o = ours[i]!;
      const label = `#${i} ${JSON.stringify(steps[i]).slice(0, 90)}`;
      if (JSON.stringify([t.ok, t.err, t.events]) !== JSON.stringify([o.ok, o.err, o.events])) {
        diffs.push(`${label}\n    libvirt: ${JSON.stringify(t)}\n    virtkit: ${JSON.stringify(o)}`);
      } else if (t.err !== undefined && t.msg !== o.msg && !messageDiffAllowed(steps[i]!, t.msg)) {
        const tm = t.msg?.replaceAll(dir, '$TMP');
        const om = o.msg?.replaceAll(ourDir, '$TMP');
        if (tm !== om) diffs.push(`${label}\n    libvirt message: ${t.msg}\n    virtkit message: ${o.msg}`);
      }
    }
    assert.deepEqual(diffs, [], `${diffs.length} of ${steps.length} steps differ:\n${diffs.join('\n')}`);
  });

  it('behaves the same on a node file (testnodeinline.xml)', async function () {
    const file = `${process.env.VIRTKIT_LIBVIRT_CORPUS ?? '/work/shared/corpus/libvirt-9.0.0/testdriver'}/testnodeinline.xml`;
    if (!existsSync(file)) {
      console.log(`    skipped: ${file} not found (set VIRTKIT_LIBVIRT_CORPUS to libvirt's tests/testdriver)`);
      this.skip();
    }
    const uri = `test://${file}`;
    const py = spawnSync(PYTHON, [RUNNER, uri], { input: JSON.stringify(NODE_FILE_SEQUENCE), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const theirs = JSON.parse(py.stdout) as StepResult[];
    const ours = await runOurs(NODE_FILE_SEQUENCE, uri);
    const diffs = NODE_FILE_SEQUENCE.flatMap((step, i) => {
      const t = theirs[i]!;
      const o = ours[i]!;
      return JSON.stringify([t.ok, t.err, t.events]) === JSON.stringify([o.ok, o.err, o.events])
        ? []
        : [`#${i} ${JSON.stringify(step)}\n    libvirt: ${JSON.stringify(t)}\n    virtkit: ${JSON.stringify(o)}`];
    });
    assert.deepEqual(diffs, [], diffs.join('\n'));
  });
});
