/**
 * fs pools on loop devices (losetup), with ext4 and with xfs: build with NO_OVERWRITE makes
 * the file system once and then refuses to overwrite it; start mounts, destroy unmounts;
 * volumes are created, cloned, resized, wiped, uploaded and downloaded on the mounted fs.
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fsp, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connect, type Connection } from '@virtkit/core';
import { requireHost } from '../../../test/support/host.js';
import {
  VIR_ERR_STORAGE_POOL_BUILT,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
  VIR_STORAGE_VOL_RESIZE_SHRINK,
} from '../src/index.js';
import { isMounted } from '../src/backends/fs.js';
import { attachLoop, rmrf, sha256File, sha256Stream, tempDir, unmountIfMounted, volXML, type LoopDevice } from './helpers.js';

const MiB = 1024 * 1024;

for (const fstype of ['ext4', 'xfs']) {
  describe(`storage driver: fs pool (${fstype} on a loop device)`, function () {
    this.timeout(120000);
    let work: string;
    let root: string;
    let target: string;
    let loop: LoopDevice | undefined;
    let conn: Connection | undefined;
    const name = `vkst-fs-${fstype}-${process.pid}`;

    before(async function () {
      requireHost(this, { binaries: ['losetup', 'mount', 'umount', `mkfs.${fstype}`, 'blkid', 'qemu-img'], root: true });
      work = tempDir(`fs-${fstype}`);
      root = join(work, 'root');
      target = join(work, 'mnt');
      loop = await attachLoop(work, 320 * MiB);
      conn = await connect(`storage:///embed?root=${root}`);
    });

    after(async () => {
      await conn?.close();
      if (target) await unmountIfMounted(target);
      await loop?.detach();
      await rmrf(work);
    });

    const poolXML = () =>
      `<pool type='fs'><name>${name}</name><source><device path='${loop!.dev}'/><format type='${fstype}'/></source>` +
      `<target><path>${target}</path></target></pool>`;

    it('builds with NO_OVERWRITE once, then refuses to destroy the file system', async () => {
      const pool = await conn!.defineStoragePoolXML(poolXML());
      await pool.build(); // plain build: only the target directory, never mkfs
      assert.ok(existsSync(target));
      const { execa } = await import('execa');
      assert.equal((await execa('blkid', ['-p', loop!.dev], { reject: false })).exitCode, 2, 'plain build formats nothing');
      await pool.build(VIR_STORAGE_POOL_BUILD_NO_OVERWRITE);
      assert.match((await execa('blkid', ['-p', '-o', 'export', loop!.dev])).stdout, new RegExp(`TYPE=${fstype}`));
      await assert.rejects(pool.build(VIR_STORAGE_POOL_BUILD_NO_OVERWRITE), (e: { code: number }) => e.code === VIR_ERR_STORAGE_POOL_BUILT);
      await assert.rejects(
        pool.build(VIR_STORAGE_POOL_BUILD_NO_OVERWRITE | VIR_STORAGE_POOL_BUILD_OVERWRITE),
        /mutually exclusive/,
      );
    });

    it('starts by mounting, reports the file system sizes', async () => {
      const pool = await conn!.lookupStoragePoolByName(name);
      await pool.create();
      assert.ok(await isMounted(target));
      const info = await pool.getInfo();
      const sfs = await fsp.statfs(target);
      assert.equal(info.capacity, sfs.bsize * sfs.blocks);
      assert.ok(info.capacity > 200 * MiB && info.capacity <= 320 * MiB);
    });

    it('creates, clones, resizes, wipes, uploads and downloads volumes', async () => {
      const pool = await conn!.lookupStoragePoolByName(name);
      const v = await pool.createVolXML(volXML('disk.img', 16 * MiB, { allocation: 0 }));
      const data = randomBytes(8 * MiB);
      await pipeline(Readable.from([data]), await v.upload(2 * MiB, data.length));
      const sum = await sha256File(join(target, 'disk.img'));
      assert.equal(await sha256Stream(await v.download(2 * MiB, data.length)), await sha256Stream(Readable.from([data])));
      const c = await pool.createVolXMLFrom(volXML('clone.img', 0), v);
      assert.equal(await sha256File(join(target, 'clone.img')), sum);
      const q = await pool.createVolXMLFrom(volXML('clone.qcow2', 0, { format: 'qcow2' }), v);
      assert.match(await q.getXMLDesc(), /<format type='qcow2'\/>/);
      await c.resize(32 * MiB);
      assert.equal((await c.getInfo()).capacity, 32 * MiB);
      await c.resize(16 * MiB, VIR_STORAGE_VOL_RESIZE_SHRINK);
      assert.equal(await sha256File(join(target, 'clone.img')), sum);
      await c.wipe();
      const z = await fsp.readFile(join(target, 'clone.img'));
      assert.ok(z.every((b) => b === 0));
      for (const vol of [v, c, q]) await vol.delete();
      assert.deepEqual((await pool.listAllVolumes()).map((x) => x.getName()).filter((n) => n !== 'lost+found'), []);
    });

    it('refreshes after files appear and vanish behind its back', async () => {
      const pool = await conn!.lookupStoragePoolByName(name);
      writeFileSync(join(target, 'sneaky.img'), Buffer.alloc(MiB));
      await pool.refresh();
      assert.ok((await pool.listAllVolumes()).some((x) => x.getName() === 'sneaky.img'));
      await fsp.unlink(join(target, 'sneaky.img'));
      await pool.refresh();
      assert.ok(!(await pool.listAllVolumes()).some((x) => x.getName() === 'sneaky.img'));
    });

    it('stops by unmounting; OVERWRITE rebuilds; undefine removes the definition', async () => {
      const pool = await conn!.lookupStoragePoolByName(name);
      await pool.destroy();
      assert.ok(!(await isMounted(target)));
      await pool.build(VIR_STORAGE_POOL_BUILD_OVERWRITE);
      await pool.create();
      assert.deepEqual((await pool.listAllVolumes()).map((x) => x.getName()).filter((n) => n !== 'lost+found'), []);
      await pool.destroy();
      await pool.delete();
      assert.ok(!existsSync(target));
      await pool.undefine();
    });
  });
}

describe('storage driver: fs pool on an image file (mount sets up the loop device)', function () {
  this.timeout(120000);
  let work: string;
  let target: string;
  let conn: Connection | undefined;

  before(async function () {
    requireHost(this, { binaries: ['losetup', 'mount', 'umount', 'mkfs.ext4', 'blkid'], root: true });
    work = tempDir('fs-img');
    target = join(work, 'mnt');
    await fsp.writeFile(join(work, 'fs.img'), '');
    await fsp.truncate(join(work, 'fs.img'), 64 * MiB);
    conn = await connect(`storage:///embed?root=${join(work, 'root')}`);
  });

  after(async () => {
    await conn?.close();
    if (target) await unmountIfMounted(target);
    await rmrf(work);
  });

  it('builds, mounts through a loop device, and releases it on destroy', async () => {
    const image = join(work, 'fs.img');
    const pool = await conn!.createStoragePoolXML(
      `<pool type='fs'><name>vkst-fsimg-${process.pid}</name><source><device path='${image}'/><format type='ext4'/></source>` +
        `<target><path>${target}</path></target></pool>`,
      4 /* VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE */,
    );
    assert.ok(await isMounted(target));
    const v = await pool.createVolXML(volXML('a.img', MiB));
    assert.equal((await v.getInfo()).capacity, MiB);
    await pool.destroy();
    assert.ok(!(await isMounted(target)));
    const { execa } = await import('execa');
    assert.equal((await execa('losetup', ['-j', image])).stdout.trim(), '', 'loop device auto-cleared');
  });
});
