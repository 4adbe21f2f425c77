/**
 * disk pools on a loop device with a GPT label: build refuses to replace an existing file
 * system without OVERWRITE; volumes are partitions (create, clone, wipe, upload/download,
 * delete); refresh sees partitions made behind the driver's back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { basename } from 'node:path';
import { connect, type Connection } from '@virtkit/core';
import { requireHost } from '../../../test/support/host.js';
import {
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_STORAGE_POOL_BUILT,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
} from '../src/index.js';
import { attachLoop, rmrf, sha256File, sha256Stream, tempDir, volXML, type LoopDevice } from './helpers.js';

const MiB = 1024 * 1024;

describe('storage driver: disk pool (GPT on a loop device)', function () {
  this.timeout(120000);
  let work: string;
  let loop: LoopDevice | undefined;
  let conn: Connection | undefined;
  const name = `vkst-disk-${process.pid}`;

  before(async function () {
    requireHost(this, { binaries: ['losetup', 'parted', 'blkid', 'mkfs.ext4'], root: true });
    work = tempDir('disk');
    loop = await attachLoop(work, 128 * MiB);
    conn = await connect(`storage:///embed?root=${work}/root`);
  });

  after(async () => {
    await conn?.close();
    await loop?.detach();
    await rmrf(work);
  });

  const part = (n: number) => `${basename(loop!.dev)}p${n}`;

  it('never destroys an existing file system without OVERWRITE', async () => {
    const { execa } = await import('execa');
    await execa('mkfs.ext4', ['-q', '-F', loop!.dev]);
    const pool = await conn!.defineStoragePoolXML(
      `<pool type='disk'><name>${name}</name><source><device path='${loop!.dev}'/><format type='gpt'/></source><target><path>/dev</path></target></pool>`,
    );
    for (const flags of [0, VIR_STORAGE_POOL_BUILD_NO_OVERWRITE]) {
      await assert.rejects(pool.build(flags), (e: { code: number; message: string }) => {
        assert.equal(e.code, VIR_ERR_STORAGE_POOL_BUILT);
        return true;
      });
    }
    assert.match((await execa('blkid', ['-p', '-o', 'export', loop!.dev])).stdout, /TYPE=ext4/);
    await pool.build(VIR_STORAGE_POOL_BUILD_OVERWRITE);
    assert.match((await execa('blkid', ['-p', '-o', 'export', loop!.dev])).stdout, /PTTYPE=gpt/);
    await pool.create();
    const info = await pool.getInfo();
    assert.equal(info.capacity, 128 * MiB);
    assert.equal(info.allocation, 0);
  });

  it('creates partitions as volumes, clones, wipes, uploads and downloads', async () => {
    const pool = await conn!.lookupStoragePoolByName(name);
    await assert.rejects(pool.createVolXML(volXML('wrong', 8 * MiB)), (e: { code: number; message: string }) => {
      assert.equal(e.code, VIR_ERR_INVALID_ARG);
      assert.match(e.message, new RegExp(`expected '${part(1)}'`));
      return true;
    });
    const v1 = await pool.createVolXML(volXML(part(1), 16 * MiB));
    assert.equal(await v1.getPath(), `${loop!.dev}p1`);
    const i1 = await v1.getInfo();
    assert.deepEqual(i1, { type: 1, capacity: 16 * MiB, allocation: 16 * MiB });
    const data = randomBytes(16 * MiB);
    await pipeline(Readable.from([data]), await v1.upload(0, 0));
    assert.equal(await sha256File(`${loop!.dev}p1`), await sha256Stream(Readable.from([data])));
    assert.equal(await sha256Stream(await v1.download(MiB, 2 * MiB)), await sha256Stream(Readable.from([data.subarray(MiB, 3 * MiB)])));
    const v2 = await pool.createVolXMLFrom(volXML(part(2), 0), v1);
    assert.equal(await sha256File(`${loop!.dev}p2`), await sha256File(`${loop!.dev}p1`));
    assert.equal((await pool.getInfo()).allocation, 32 * MiB);
    await v2.wipe();
    assert.equal(await sha256File(`${loop!.dev}p2`), await sha256Stream(Readable.from([Buffer.alloc(16 * MiB)])));
    await assert.rejects(v2.resize(32 * MiB), (e: { code: number }) => e.code === VIR_ERR_NO_SUPPORT);
    await v2.delete();
    await v1.delete();
    assert.deepEqual(await pool.listAllVolumes(), []);
  });

  it('refresh finds partitions made and removed behind its back', async () => {
    const { execa } = await import('execa');
    const pool = await conn!.lookupStoragePoolByName(name);
    await execa('parted', ['-s', loop!.dev, 'unit', 'MiB', 'mkpart', 'primary', '1', '9']);
    await pool.refresh();
    const vols = await pool.listAllVolumes();
    assert.deepEqual(vols.map((v) => v.getName()), [part(1)]);
    assert.equal((await vols[0].getInfo()).capacity, 8 * MiB);
    await execa('parted', ['-s', loop!.dev, 'rm', '1']);
    await pool.refresh();
    assert.deepEqual(await pool.listAllVolumes(), []);
    await pool.destroy();
    await pool.undefine();
  });
});

describe('storage driver: disk pool (msdos label on a loop device)', function () {
  this.timeout(120000);
  let work: string;
  let loop: LoopDevice | undefined;
  let conn: Connection | undefined;

  before(async function () {
    requireHost(this, { binaries: ['losetup', 'parted', 'blkid'], root: true });
    work = tempDir('disk-dos');
    loop = await attachLoop(work, 64 * MiB);
    conn = await connect(`storage:///embed?root=${work}/root`);
  });

  after(async () => {
    await conn?.close();
    await loop?.detach();
    await rmrf(work);
  });

  it('builds a dos label on an empty device and makes 1 MiB-aligned primary partitions', async () => {
    const pool = await conn!.createStoragePoolXML(
      `<pool type='disk'><name>vkst-dos-${process.pid}</name><source><device path='${loop!.dev}'/><format type='dos'/></source><target><path>/dev</path></target></pool>`,
      1 /* VIR_STORAGE_POOL_CREATE_WITH_BUILD: empty device, no overwrite needed */,
    );
    const base = basename(loop!.dev);
    const v = await pool.createVolXML(volXML(`${base}p1`, 4 * MiB));
    assert.match(await v.getXMLDesc(), /<extent start='1048576' end='5242880'\/>/);
    assert.equal((await v.getInfo()).capacity, 4 * MiB);
    await v.delete();
    await pool.destroy();
  });
});
