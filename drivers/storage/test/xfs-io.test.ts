/**
 * The xfs_io co-process handle (xfs-io.ts) through its states: started on the first request,
 * answering batches in order, restarted after its process exits on its own, failing at once
 * for good when killed or when xfs_io cannot be run.
 */
import assert from 'node:assert/strict';
import { requireHost } from '../../../test/support/host.js';
import { XfsIo } from '../src/xfs-io.js';
import { xfsIoChildren } from './helpers.js';

describe('storage driver: the xfs_io co-process handle', function () {
  this.timeout(20000);
  before(function () {
    requireHost(this, { binaries: ['xfs_io', 'stdbuf'] });
  });

  it('starts on the first request and answers batches in order, each with its own output', async () => {
    const io = new XfsIo();
    assert.equal(io.state, 'stopped');
    const before = xfsIoChildren();
    const [a, b] = await Promise.all([io.exec(['help open']), io.exec(['help pwrite'])]);
    assert.equal(io.state, 'running');
    assert.match(a.out, /^open/m);
    assert.doesNotMatch(a.out, /pwrite/);
    assert.match(b.out, /^pwrite/m);
    assert.equal(xfsIoChildren().length, before.length + 1);
    io.end();
    assert.equal(io.state, 'stopped');
  });

  it('starts a new process after its process exited on its own', async () => {
    const io = new XfsIo();
    const before = xfsIoChildren();
    await io.exec([]);
    const [pid] = xfsIoChildren().filter((p) => !before.includes(p));
    assert.ok(pid);
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && io.state === 'running'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(io.state, 'stopped');
    const r = await io.exec(['help open']);
    assert.match(r.out, /^open/m);
    assert.equal(io.state, 'running');
    io.end();
  });

  it('a killed handle rejects what is pending and every later request', async () => {
    const io = new XfsIo();
    await io.exec([]);
    // killed before its answer can arrive
    const pending = io.exec(['help open']);
    io.kill();
    await assert.rejects(pending, /xfs_io killed/);
    await assert.rejects(io.exec([]), /xfs_io killed/);
    assert.equal(io.state, 'killed');
  });

  it('is unavailable for good when stdbuf or xfs_io cannot be run', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const io = new XfsIo();
      await assert.rejects(io.exec([]), /xfs_io unavailable/);
      assert.equal(io.state, 'unavailable');
      process.env.PATH = path;
      await assert.rejects(io.exec([]), /xfs_io unavailable/);
    } finally {
      process.env.PATH = path;
    }
  });
});
