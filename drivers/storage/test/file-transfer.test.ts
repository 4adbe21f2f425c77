/**
 * The local-file fast paths (StorageVol.uploadFromFile / downloadToFile through the driver's
 * storageVolUploadFromFile / storageVolDownloadToFile): checksums equal to the volume, offset and
 * length honoured, progress reported, abort leaves no file and no child process behind.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { connect, type Connection, type StoragePool, type StorageVol } from '@virtkit/core';
import { requireHost } from '../../../test/support/host.js';
import { VIR_ERR_OPERATION_ABORTED } from '../src/index.js';
import { dirPoolXML, rmrf, sha256File, tempDir, volXML } from './helpers.js';

const MiB = 1024 * 1024;

function children(): string[] {
  try {
    // the cp jobs (the driver's pooled xfs_io co-processes take no arguments and stay)
    return execFileSync('pgrep', ['-P', String(process.pid), '-a'], { encoding: 'utf8' }).trim().split('\n').filter((l) => /cp --reflink/.test(l));
  } catch {
    return [];
  }
}

describe('storage driver: file fast paths (uploadFromFile / downloadToFile)', function () {
  this.timeout(60000);
  let root: string;
  let dir: string;
  let out: string;
  let conn: Connection;
  let pool: StoragePool;
  let vol: StorageVol;
  const refreshes: string[] = [];

  before(async function () {
    requireHost(this, { binaries: ['qemu-img', 'xfs_io', 'cp'] });
    root = tempDir('root');
    dir = tempDir('pool');
    out = tempDir('out');
    conn = await connect(`storage:///embed?root=${root}`);
    conn.on('storage-pool-refresh', (p) => refreshes.push(p.getName()));
    pool = await conn.createStoragePoolXML(dirPoolXML('vkst-ft', dir));
    vol = await pool.createVolXML(volXML('data.img', 200 * MiB));
    const src = join(out, 'seed.bin');
    const fh = await fsp.open(src, 'w');
    for (let i = 0; i < 200; i++) await fh.write(randomBytes(MiB));
    await fh.close();
    await vol.uploadFromFile(src);
    await fsp.rm(src);
  });

  after(async () => {
    await pool?.destroy().catch(() => {});
    await conn?.close();
    for (const d of [root, dir, out]) await rmrf(d);
  });

  it('downloads the whole volume into a new file (checksum, mode of a fresh file, progress)', async () => {
    const f = join(out, 'whole.bin');
    const seen: number[] = [];
    await vol.downloadToFile(f, { onProgress: (d, t) => seen.push(d, t) });
    assert.equal(await sha256File(f), await sha256File(join(dir, 'data.img')));
    const umask = process.umask();
    assert.equal(statSync(f).mode & 0o777, 0o666 & ~umask);
    assert.deepEqual(seen.slice(-2), [200 * MiB, 200 * MiB]);
    await fsp.rm(f);
  });

  it('downloads a volume with holes whole into a new file with its holes kept', async () => {
    const sparse = await pool.createVolXML(volXML('holes.img', 64 * MiB, { allocation: 0 }));
    const fh = await fsp.open(join(dir, 'holes.img'), 'r+');
    await fh.write(randomBytes(MiB), 0, MiB, 32 * MiB);
    await fh.close();
    const f = join(out, 'holes.bin');
    await sparse.downloadToFile(f);
    assert.equal(await sha256File(f), await sha256File(join(dir, 'holes.img')));
    assert.equal(statSync(f).size, 64 * MiB);
    assert.ok(statSync(f).blocks * 512 <= 2 * MiB, `holes kept (${statSync(f).blocks * 512} bytes allocated)`);
    assert.equal(statSync(f).mode & 0o777, 0o666 & ~process.umask());
    await fsp.rm(f);
    await sparse.delete();
  });

  it('downloads a range into an existing file, which is truncated first', async () => {
    const f = join(out, 'range.bin');
    writeFileSync(f, Buffer.alloc(300 * MiB, 7));
    const seen: number[] = [];
    await vol.downloadToFile(f, { offset: 3 * MiB + 5, length: 100 * MiB + 1, onProgress: (d) => seen.push(d) });
    assert.equal(statSync(f).size, 100 * MiB + 1);
    assert.equal(await sha256File(f), await sha256File(join(dir, 'data.img'), 3 * MiB + 5, 100 * MiB + 1));
    assert.ok(seen.length >= 2, 'progress in steps');
    assert.equal(seen.at(-1), 100 * MiB + 1);
    // length past the end stops at the end
    await vol.downloadToFile(f, { offset: 199 * MiB, length: 10 * MiB });
    assert.equal(statSync(f).size, MiB);
    await fsp.rm(f);
  });

  it('downloads into a non-regular file through the stream path', async () => {
    await vol.downloadToFile('/dev/null', { length: 4 * MiB });
  });

  it('uploads a file at an offset, at most length bytes, without truncating the volume; refresh event', async () => {
    const f = join(out, 'up.bin');
    const data = randomBytes(5 * MiB + 3);
    writeFileSync(f, data);
    const before = await sha256File(join(dir, 'data.img'), 0, 7 * MiB);
    const after = await sha256File(join(dir, 'data.img'), 7 * MiB + 4 * MiB + 1);
    refreshes.length = 0;
    const seen: number[] = [];
    // the file is longer than length: the first length bytes land, then the stream's error
    await assert.rejects(vol.uploadFromFile(f, { offset: 7 * MiB, length: 4 * MiB + 1, onProgress: (d) => seen.push(d) }), /No space left on device/);
    assert.equal(statSync(join(dir, 'data.img')).size, 200 * MiB);
    assert.equal(await sha256File(join(dir, 'data.img'), 7 * MiB, 4 * MiB + 1), await sha256File(f, 0, 4 * MiB + 1));
    assert.equal(await sha256File(join(dir, 'data.img'), 0, 7 * MiB), before);
    assert.equal(await sha256File(join(dir, 'data.img'), 7 * MiB + 4 * MiB + 1), after);
    assert.equal(seen.at(-1), 4 * MiB + 1);
    // a whole file that fits: no error, pool refreshed
    await vol.uploadFromFile(f, { offset: MiB });
    assert.equal(await sha256File(join(dir, 'data.img'), MiB, data.length), await sha256File(f));
    // the refresh after an upload runs after it returns, as libvirt's; the pool's readers wait for it
    await pool.getInfo();
    await new Promise((r) => setImmediate(r));
    assert.ok(refreshes.includes('vkst-ft'), 'upload emits a pool refresh event');
    await fsp.rm(f);
  });

  it('an aborted download removes the file it created and leaves no child process', async () => {
    for (const opts of [{}, { offset: 1 }]) {
      const f = join(out, 'aborted.bin');
      const ac = new AbortController();
      const p = vol.downloadToFile(f, {
        ...opts,
        signal: ac.signal,
        onProgress: (d) => {
          if (d > 0 || 'offset' in opts) ac.abort();
        },
      });
      if (!('offset' in opts)) setTimeout(() => ac.abort(), 20);
      await assert.rejects(p, (e: { code?: number }) => e.code === VIR_ERR_OPERATION_ABORTED);
      assert.equal(existsSync(f), false, `no file left (${JSON.stringify(opts)})`);
      assert.deepEqual(readdirSync(out), []);
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(children(), []);
  });

  it('an aborted upload stops and leaves no child process; an already aborted signal does nothing', async () => {
    const f = join(out, 'big.bin');
    await vol.downloadToFile(f);
    const ac = new AbortController();
    await assert.rejects(
      vol.uploadFromFile(f, { signal: ac.signal, onProgress: (d) => d > 0 && ac.abort() }),
      (e: { code?: number }) => e.code === VIR_ERR_OPERATION_ABORTED,
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(children(), []);
    const ac2 = new AbortController();
    ac2.abort();
    await assert.rejects(vol.downloadToFile(join(out, 'never.bin'), { signal: ac2.signal }), (e: { code?: number }) => e.code === VIR_ERR_OPERATION_ABORTED);
    assert.equal(existsSync(join(out, 'never.bin')), false);
    await fsp.rm(f);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.')), []);
  });
});
