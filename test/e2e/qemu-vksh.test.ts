/**
 * Acceptance 3 of issue 6: `vksh -c 'qemu:///embed?root=DIR'` runs define, start, list,
 * dominfo, domstate --reason, suspend, resume, shutdown, destroy, undefine, each in its own
 * process (state survives between invocations), with virsh's output formats.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireHost } from '../support/host.js';
import { firmwareXML, tempRoot } from '../../drivers/qemu/test/support/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

describe('qemu driver: vksh across processes', function () {
  this.timeout(120_000);
  let root: string;
  let uri: string;
  let runner: string[];

  const vksh = (...args: string[]): { out: string; err: string; code: number } => {
    const r = spawnSync(process.execPath, [...runner, '-c', uri, ...args], { encoding: 'utf8', cwd: repo });
    return { out: r.stdout, err: r.stderr, code: r.status ?? -1 };
  };
  const ok = (...args: string[]): string => {
    const r = vksh(...args);
    assert.equal(r.code, 0, `vksh ${args.join(' ')} failed: ${r.err}`);
    return r.out;
  };

  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64'], paths: ['/dev/kvm'] });
    root = tempRoot('vksh');
    uri = `qemu:///embed?root=${root}`;
    // The bundled bin when it can load the QEMU driver, else vksh from its sources.
    runner = [join(repo, 'packages/cli/bin/vksh.js')];
    if (vksh('list', '--all').code !== 0) {
      runner = ['--import', 'tsx', '--conditions=@virtkit/source', join(repo, 'drivers/qemu/test/support/vksh-source.ts')];
    }
  });
  after(() => {
    if (!root) return;
    vksh('destroy', 'vk-cli');
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the lifecycle with virsh output formats, state surviving between processes', () => {
    const xml = join(root, 'vk-cli.xml');
    writeFileSync(xml, firmwareXML('vk-cli'));
    assert.match(ok('define', xml), /^Domain 'vk-cli' defined from .*vk-cli\.xml\n/);
    assert.match(ok('start', 'vk-cli'), /^Domain 'vk-cli' started\n/);
    const list = ok('list');
    assert.match(list, /^ Id +Name +State\n-+\n +\d+ +vk-cli +running\n/);
    const info = ok('dominfo', 'vk-cli');
    assert.match(info, /^Id: +\d+\n/m);
    assert.match(info, /^Name: +vk-cli$/m);
    assert.match(info, /^OS Type: +hvm$/m);
    assert.match(info, /^State: +running$/m);
    assert.match(info, /^Max memory: +65536 KiB$/m);
    assert.match(info, /^Persistent: +yes$/m);
    assert.equal(ok('domstate', '--reason', 'vk-cli'), 'running (booted)\n\n');
    assert.match(ok('suspend', 'vk-cli'), /^Domain 'vk-cli' suspended\n/);
    assert.equal(ok('domstate', '--reason', 'vk-cli'), 'paused (user)\n\n');
    assert.match(ok('resume', 'vk-cli'), /^Domain 'vk-cli' resumed\n/);
    assert.equal(ok('domstate', '--reason', 'vk-cli'), 'running (unpaused)\n\n');
    assert.match(ok('shutdown', 'vk-cli'), /^Domain 'vk-cli' is being shutdown\n/);
    assert.match(ok('destroy', 'vk-cli'), /^Domain 'vk-cli' destroyed\n/);
    assert.equal(ok('domstate', '--reason', 'vk-cli'), 'shut off (destroyed)\n\n');
    assert.match(ok('list', '--all'), / +- +vk-cli +shut off\n/);
    assert.match(ok('undefine', 'vk-cli'), /^Domain 'vk-cli' has been undefined\n/);
    assert.doesNotMatch(ok('list', '--all'), /vk-cli/);
  });
});
