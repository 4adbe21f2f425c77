/**
 * The in-process qcow2 writer and header reader against qemu-img: byte-identical images,
 * `qemu-img check` clean, header fields as `qemu-img info` reports them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireHost } from '../../../test/support/host.js';
import { writeQcow2v2 } from '../src/qcow2-create.js';
import { readQcow2Header } from '../src/qcow2-header.js';
import { rmrf, tempDir } from './helpers.js';

describe('storage driver: qcow2 writer and header reader', function () {
  let dir: string;
  before(function () {
    requireHost(this, { binaries: ['qemu-img'] });
    dir = tempDir('qcow2');
  });
  after(() => rmrf(dir));

  for (const size of [0, 512, 1 << 20, 2 ** 29 + 512, 10 * 2 ** 30, 2 ** 45]) {
    it(`writes what qemu-img create -o compat=0.10 writes (${size} bytes)`, async () => {
      const ref = join(dir, `ref-${size}.qcow2`);
      const mine = join(dir, `mine-${size}.qcow2`);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'compat=0.10', ref, `${size / 1024}K`]);
      await writeQcow2v2(mine, size, 0o600);
      assert.ok(readFileSync(ref).equals(readFileSync(mine)), 'byte-identical');
      assert.equal(statSync(mine).blocks, statSync(ref).blocks, 'same allocation');
      execFileSync('qemu-img', ['check', '-q', mine]);
      const h = await readQcow2Header(mine);
      assert.deepEqual(h, { virtualSize: size, compat: '0.10', clusterSize: 65536, lazyRefcounts: false });
      rmSync(ref);
      rmSync(mine);
    });
  }

  it('reads v3 headers: compat, lazy refcounts, backing file and format', async () => {
    const base = join(dir, 'base.qcow2');
    const top = join(dir, 'top.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '1G']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on,cluster_size=131072', '-b', 'base.qcow2', '-F', 'qcow2', top, '2G']);
    assert.deepEqual(await readQcow2Header(top), {
      virtualSize: 2 ** 31,
      compat: '1.1',
      clusterSize: 131072,
      lazyRefcounts: true,
      backing: base,
      backingFormat: 'qcow2',
    });
    assert.equal(await readQcow2Header(join(dir, 'nope')), undefined);
  });
});
