/**
 * Unit tests of URI paths, the root lock, the domain store's name rules and the job lock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths } from '../src/paths.js';
import { RootLock } from '../src/root-lock.js';
import { validateDomainName } from '../src/domain-store.js';
import { JobLock } from '../src/job-lock.js';
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_INVALID_ARG, VIR_ERR_OPERATION_FAILED, VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_XML_ERROR } from '../src/constants.js';

const uri = (path: string, query: Record<string, string> = {}) => ({ raw: `qemu://${path}`, scheme: 'qemu', path, query });

describe('qemu driver state helpers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vk-qemu-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves system, session and embed layouts, and refuses other paths as libvirt', () => {
    assert.equal(resolvePaths(uri('/embed', { root: '/r' })).configDir, '/r/etc/qemu');
    assert.equal(resolvePaths(uri('/embed', { root: '/r' })).stateDir, '/r/run/qemu');
    if (process.getuid?.() === 0) assert.equal(resolvePaths(uri('/system')).configDir, '/etc/virtkit/qemu');
    assert.match(resolvePaths(uri('/session')).configDir, /virtkit\/qemu$/);
    assert.throws(() => resolvePaths(uri('/foo')), { code: VIR_ERR_INTERNAL_ERROR, message: /unexpected QEMU URI path '\/foo', try qemu:\/\/\// });
    assert.throws(() => resolvePaths(uri('/embed')), { code: VIR_ERR_INVALID_ARG });
  });

  it('locks a root once, names the holder, and takes over a dead holder\'s lock', () => {
    const lock = RootLock.acquire(dir);
    assert.throws(() => RootLock.acquire(dir), { code: VIR_ERR_OPERATION_FAILED, message: new RegExp(`locked by process ${process.pid}`) });
    lock.release();
    const again = RootLock.acquire(dir);
    again.release();
    writeFileSync(join(dir, 'virtkit-qemu.lock'), '999999999 deadbeef\n');
    const taken = RootLock.acquire(dir);
    taken.release();
  });

  it('validates domain names', () => {
    for (const bad of ['', 'a/b', '.x', 'a\nb', 'x'.repeat(256)]) assert.throws(() => validateDomainName(bad), { code: VIR_ERR_XML_ERROR }, JSON.stringify(bad));
    validateDomainName('ok-name_1.2');
    validateDomainName('é'.repeat(127));
  });

  it('runs jobs one at a time and times out a waiter with OPERATION_TIMEOUT', async () => {
    const lock = new JobLock();
    const order: string[] = [];
    let release!: () => void;
    const first = lock.run('suspend', () => new Promise<void>((r) => { order.push('a'); release = r; }));
    const second = lock.run('resume', async () => { order.push('b'); });
    await assert.rejects(lock.run('destroy', async () => undefined, 50), (e: { code: number; message: string }) => {
      assert.equal(e.code, VIR_ERR_OPERATION_TIMEOUT);
      assert.match(e.message, /cannot acquire state change lock \(held by monitor=suspend\)/);
      return true;
    });
    release();
    await first;
    await second;
    assert.deepEqual(order, ['a', 'b']);
  });
});
