/**
 * The pooled xfs_io co-processes behind uploadFromFile / downloadToFile (xfs-io.ts): reused
 * from job to job, killed when a copy fails part-way (the error names the file and the cause),
 * and ended when the last storage connection closes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fsp, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { connect, type Connection, type StoragePool } from '@virtkit/core';
import { requireHost } from '../../../test/support/host.js';
import { VIR_ERR_SYSTEM_ERROR } from '../src/index.js';
import { dirPoolXML, rmrf, sha256File, tempDir, unmountIfMounted, volXML, xfsIoChildren } from './helpers.js';

const MiB = 1024 * 1024;

async function writeRandom(path: string, size: number): Promise<void> {
  const fh = await fsp.open(path, 'w');
  for (let i = 0; i < size / MiB; i++) await fh.write(randomBytes(MiB));
  await fh.close();
}

describe('storage driver: pooled xfs_io co-processes for file transfers', function () {
  this.timeout(60000);
  let root: string;
  let work: string;
  let small: string;
  let conn: Connection;
  let pool: StoragePool;
  let tiny: StoragePool;

  before(async function () {
    requireHost(this, { binaries: ['xfs_io', 'stdbuf', 'mount', 'umount'], root: true });
    root = tempDir('root');
    work = tempDir('xfsio');
    small = join(work, 'small');
    mkdirSync(small);
    // a 100 MiB file system: the second 64 MiB step of a 150 MiB upload runs out of space
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=100m', 'tmpfs', small]);
    conn = await connect(`storage:///embed?root=${root}`);
    mkdirSync(join(work, 'pool'));
    pool = await conn.createStoragePoolXML(dirPoolXML('vkst-xio', join(work, 'pool')));
    tiny = await conn.createStoragePoolXML(dirPoolXML('vkst-xio-tiny', small));
  });

  after(async () => {
    await tiny?.destroy().catch(() => {});
    await pool?.destroy().catch(() => {});
    await conn?.close();
    if (small) await unmountIfMounted(small);
    for (const d of [root, work]) await rmrf(d);
  });

  it('reuses one co-process from upload to download', async () => {
    const f = join(work, 'data.bin');
    await writeRandom(f, 70 * MiB);
    const vol = await pool.createVolXML(volXML('reuse.img', 80 * MiB, { allocation: 0 }));
    const base = xfsIoChildren();
    const progress: number[] = [];
    await vol.uploadFromFile(f, { offset: MiB, onProgress: (d) => progress.push(d) });
    assert.deepEqual(progress, [0, 64 * MiB, 70 * MiB], 'progress after each 64 MiB step');
    const after1 = xfsIoChildren();
    assert.ok(after1.length <= base.length + 1, 'at most one co-process more after the upload');
    // a range download into an existing file goes through the same co-process
    const back = join(work, 'back.bin');
    await fsp.writeFile(back, 'old contents');
    await vol.downloadToFile(back, { offset: MiB, length: 70 * MiB });
    assert.equal(await sha256File(back), await sha256File(f));
    assert.deepEqual(xfsIoChildren(), after1, 'the same co-process did the download');
    await vol.delete();
    await fsp.rm(f);
    await fsp.rm(back);
  });

  it('clones a volume without holes through the co-process: same bytes, progress, no temporary file left', async () => {
    const f = join(work, 'clone-src.bin');
    await writeRandom(f, 70 * MiB);
    const src = await pool.createVolXML(volXML('clone-src.img', 70 * MiB, { allocation: 70 * MiB }));
    await src.uploadFromFile(f);
    const base = xfsIoChildren();
    const seen: number[] = [];
    const clone = await pool.createVolXMLFrom(volXML('clone-dst.img', 70 * MiB), src, 0, { onProgress: (d) => seen.push(d) });
    assert.equal(await sha256File(join(work, 'pool', 'clone-dst.img')), await sha256File(f));
    assert.deepEqual(seen.slice(-1), [70 * MiB]);
    assert.ok(seen.includes(64 * MiB), 'progress after the first 64 MiB step');
    assert.ok(xfsIoChildren().length <= base.length + 1);
    assert.deepEqual(readdirSync(join(work, 'pool')).filter((n) => n.startsWith('.')), [], 'no temporary file left');
    await clone.delete();
    await src.delete();
    await fsp.rm(f);
  });

  it('ends the co-processes when the last storage connection closes; idle ones never keep a program alive', async () => {
    // in a child process of its own: here, other suites' connections may be open
    const f = join(work, 'child.bin');
    await writeRandom(f, 8 * MiB);
    const child = join(dirname(fileURLToPath(import.meta.url)), 'support', 'xfs-io-child.ts');
    const runChild = async (env: Record<string, string>, name: string) => {
      const dir = join(work, name);
      mkdirSync(dir);
      // the child's embed root lives under work/, removed with it
      const childRoot = join(work, `${name}-root`);
      const res = await execa(process.execPath, ['--conditions=@virtkit/source', '--import', 'tsx', child, childRoot, dir, f], {
        env,
        timeout: 30000,
        reject: false,
      });
      assert.equal(res.timedOut, false, `the child exited by itself (${name})`);
      assert.equal(res.exitCode, 0, res.stderr);
      return JSON.parse(res.stdout.trim().split('\n').pop()!) as { open: number; closed?: number };
    };
    assert.deepEqual(await runChild({}, 'closing'), { open: 1, closed: 0 });
    // the connection stays open and the program ends anyway
    assert.deepEqual(await runChild({ ENDLESS: '1' }, 'endless'), { open: 1 });
    await fsp.rm(f);
  });

  it('a copy that runs out of space part-way fails with the cause and leaves no co-process copying', async () => {
    const f = join(work, 'big.bin');
    await writeRandom(f, 150 * MiB);
    const vol = await tiny.createVolXML(volXML('full.img', 150 * MiB, { allocation: 0 }));
    const before = xfsIoChildren();
    await assert.rejects(vol.uploadFromFile(f), (e: { code?: number; message?: string }) => {
      assert.equal(e.code, VIR_ERR_SYSTEM_ERROR);
      assert.match(e.message ?? '', /cannot copy to '.*full\.img': No space left on device/);
      return true;
    });
    await new Promise((r) => setTimeout(r, 50));
    // the failed job's co-process was killed, not returned to the pool
    assert.ok(xfsIoChildren().every((p) => before.includes(p)), 'no new co-process left');
    await vol.delete();
    // the pool works again afterwards
    await fsp.truncate(f, 10 * MiB);
    const ok = await tiny.createVolXML(volXML('ok.img', 10 * MiB, { allocation: 0 }));
    await ok.uploadFromFile(f);
    assert.equal(await sha256File(join(small, 'ok.img')), await sha256File(f));
    await ok.delete();
    await fsp.rm(f);
  });

  it('a copy with no room at all (its first step fails, the chunked copy retries) fails with the cause too', async () => {
    const f = join(work, 'mid.bin');
    await writeRandom(f, 20 * MiB);
    const filler = await tiny.createVolXML(volXML('filler.img', 90 * MiB, { allocation: 90 * MiB }));
    const vol = await tiny.createVolXML(volXML('first.img', 20 * MiB, { allocation: 0 }));
    await assert.rejects(vol.uploadFromFile(f), (e: { code?: number; message?: string }) => {
      assert.equal(e.code, VIR_ERR_SYSTEM_ERROR);
      assert.match(e.message ?? '', /cannot copy to '.*first\.img': No space left on device/);
      return true;
    });
    await vol.delete();
    await filler.delete();
    await fsp.rm(f);
  });
});
