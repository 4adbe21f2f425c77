/**
 * dir pools on real storage through the public API (`storage:///embed?root=...`): lifecycle,
 * events, persistence, autostart, volumes (raw, qcow2, backing), clone, resize, wipe,
 * upload/download, refresh behind the driver's back, lookups, name safety, in-use hook.
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fsp, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { connect, type Connection, type StoragePool } from '@virtkit/core';
import { requireHost } from '../../../test/support/host.js';
import {
  registerVolumeInUseChecker,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_STORAGE_POOL,
  VIR_ERR_NO_STORAGE_VOL,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_ABORTED,
  VIR_ERR_OPERATION_INVALID,
  VIR_ERR_STORAGE_VOL_EXIST,
  VIR_STORAGE_POOL_EVENT_DEFINED,
  VIR_STORAGE_POOL_EVENT_STARTED,
  VIR_STORAGE_POOL_EVENT_STOPPED,
  VIR_STORAGE_POOL_EVENT_UNDEFINED,
  VIR_STORAGE_POOL_RUNNING,
  VIR_STORAGE_VOL_CREATE_REFLINK,
  VIR_STORAGE_VOL_RESIZE_ALLOCATE,
  VIR_STORAGE_VOL_RESIZE_SHRINK,
  VIR_STORAGE_VOL_WIPE_ALG_RANDOM,
} from '../src/index.js';
import { dirPoolXML, rejectsCode, rmrf, sha256File, sha256Stream, tempDir, volXML } from './helpers.js';

const MiB = 1024 * 1024;

describe('storage driver: dir pool', function () {
  this.timeout(60000);
  let root: string;
  let dir: string;
  let dir2: string;
  let conn: Connection;
  let pool: StoragePool;
  const events: string[] = [];

  before(async function () {
    requireHost(this, { binaries: ['qemu-img', 'fallocate'] });
    root = tempDir('root');
    dir = tempDir('pool');
    dir2 = tempDir('pool2');
    conn = await connect(`storage:///embed?root=${root}`);
    conn.on('storage-pool-lifecycle', (p, ev) => events.push(`${p.getName()}:${ev}`));
    conn.on('storage-pool-refresh', (p) => events.push(`${p.getName()}:refresh`));
  });

  after(async () => {
    await conn?.close();
    for (const d of [root, dir, dir2]) await rmrf(d);
  });

  it('defines, starts, persists atomically and reloads pools', async () => {
    pool = await conn.defineStoragePoolXML(dirPoolXML('vkst-dir', dir));
    assert.equal(await pool.isActive(), false);
    assert.equal(await pool.isPersistent(), true);
    const cfg = join(root, 'etc/storage/vkst-dir.xml');
    assert.ok(existsSync(cfg));
    assert.deepEqual(readdirSync(join(root, 'etc/storage')).filter((f) => f.includes('.tmp')), []);
    await pool.create();
    const info = await pool.getInfo();
    assert.equal(info.state, VIR_STORAGE_POOL_RUNNING);
    const sfs = await fsp.statfs(dir);
    assert.equal(info.capacity, sfs.bsize * sfs.blocks);
    assert.ok(info.available > 0 && info.allocation > 0);
    await pool.setAutostart(true);
    assert.equal(await pool.getAutostart(), true);
    // a second process-level driver state (after every connection closed) finds the pool running
    const other = await connect(`storage:///embed?root=${root}`);
    try {
      const p2 = await other.lookupStoragePoolByName('vkst-dir');
      assert.equal(await p2.isActive(), true);
      assert.equal(await p2.getAutostart(), true);
    } finally {
      await other.close();
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events.slice(0, 2), [`vkst-dir:${VIR_STORAGE_POOL_EVENT_DEFINED}`, `vkst-dir:${VIR_STORAGE_POOL_EVENT_STARTED}`]);
    await rejectsCode(conn.lookupStoragePoolByName('nope'), VIR_ERR_NO_STORAGE_POOL, /no storage pool with matching name 'nope'/);
    await rejectsCode(pool.create(), VIR_ERR_OPERATION_INVALID, /already active/);
  });

  it('refuses a second pool on the same directory and unknown pool types', async () => {
    await assert.rejects(conn.defineStoragePoolXML(dirPoolXML('vkst-dup', dir)), /Storage source conflict with pool: 'vkst-dir'/);
    await rejectsCode(
      conn.defineStoragePoolXML(`<pool type='logical'><name>vkst-vg</name><source><name>vkst-vg</name></source><target><path>/dev/vkst-vg</path></target></pool>`),
      VIR_ERR_NO_SUPPORT,
    );
  });

  it('creates sparse and fully allocated raw volumes with exact info and libvirt XML', async () => {
    const sparse = await pool.createVolXML(volXML('sparse.img', 64 * MiB, { allocation: 0 }));
    const full = await pool.createVolXML(volXML('full.img', 16 * MiB));
    const si = await sparse.getInfo();
    assert.deepEqual(si, { type: 0, capacity: 64 * MiB, allocation: statSync(join(dir, 'sparse.img')).blocks * 512 });
    assert.ok(si.allocation < MiB);
    const fi = await full.getInfo();
    assert.equal(fi.capacity, 16 * MiB);
    assert.ok(fi.allocation >= 16 * MiB);
    const xml = await full.getXMLDesc();
    assert.match(xml, /<volume type='file'>/);
    assert.match(xml, /<format type='raw'\/>/);
    assert.match(xml, /<mode>0600<\/mode>/);
    assert.match(xml, /<physical unit='bytes'>16777216<\/physical>/);
    assert.match(xml, /<timestamps>\s*<atime>\d+\.\d{9}<\/atime>[\s\S]*<btime>0<\/btime>/);
    assert.equal(await full.getPath(), join(dir, 'full.img'));
    await rejectsCode(pool.createVolXML(volXML('full.img', MiB)), VIR_ERR_STORAGE_VOL_EXIST);
  });

  it('creates qcow2 volumes with backing stores', async () => {
    const base = await pool.createVolXML(volXML('base.qcow2', 1024 * MiB, { format: 'qcow2' }));
    const top = await pool.createVolXML(
      volXML('top.qcow2', 1024 * MiB, { format: 'qcow2', backing: join(dir, 'base.qcow2'), backingFormat: 'qcow2' }),
    );
    assert.equal((await base.getInfo()).capacity, 1024 * MiB);
    const xml = await top.getXMLDesc();
    assert.match(xml, /<format type='qcow2'\/>/);
    assert.match(xml, new RegExp(`<backingStore>\\s*<path>${join(dir, 'base.qcow2')}</path>\\s*<format type='qcow2'/>`));
  });

  it('rejects names that escape the pool, and leaves nothing behind on failure', async () => {
    for (const bad of ['../evil', 'a/b', '..', '.', 'x'.repeat(256)]) {
      await rejectsCode(pool.createVolXML(volXML(bad, MiB)), VIR_ERR_INVALID_ARG);
    }
    const before = readdirSync(dir).sort();
    // qemu-img cannot create a qcow2 whose backing file does not exist
    await assert.rejects(pool.createVolXML(volXML('broken.qcow2', MiB, { format: 'qcow2', backing: join(dir, 'missing.qcow2'), backingFormat: 'qcow2' })));
    assert.deepEqual(readdirSync(dir).sort(), before);
    await rejectsCode(pool.lookupStorageVolByName('broken.qcow2'), VIR_ERR_NO_STORAGE_VOL);
  });

  it('clones raw with data (also reflink-or-copy), across formats and across pools', async () => {
    const src = await pool.createVolXML(volXML('data.img', 8 * MiB, { allocation: 0 }));
    const ws = await src.upload(MiB, 4 * MiB);
    await pipeline(Readable.from([randomBytes(4 * MiB)]), ws);
    const want = await sha256File(join(dir, 'data.img'));
    const progress: number[] = [];
    const c1 = await pool.createVolXMLFrom(volXML('data-clone.img', 0), src, 0, { onProgress: (d) => progress.push(d) });
    assert.equal(await sha256File(join(dir, 'data-clone.img')), want);
    assert.equal(progress.at(-1), 8 * MiB);
    // sparse-aware: the zero first MiB and the tail are holes in the clone
    assert.ok((await c1.getInfo()).allocation <= 5 * MiB, 'clone stays sparse');
    await assert.rejects(pool.createVolXMLFrom(volXML('reflink.img', 0), src, VIR_STORAGE_VOL_CREATE_REFLINK), /clone|reflink|Operation not supported|Invalid/i);
    assert.ok(!existsSync(join(dir, 'reflink.img')), 'failed reflink clone leaves nothing');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.virtkit')), [], 'no temporary file left');
    // raw -> qcow2 in another pool, and back to raw
    const p2 = await conn.createStoragePoolXML(dirPoolXML('vkst-dir2', dir2));
    const q = await p2.createVolXMLFrom(volXML('data.qcow2', 0, { format: 'qcow2' }), src);
    assert.match(await q.getXMLDesc(), /<format type='qcow2'\/>/);
    assert.equal((await q.getInfo()).capacity, 8 * MiB);
    const back = await pool.createVolXMLFrom(volXML('data-back.img', 0, { format: 'raw' }), q);
    assert.equal(await sha256File(join(dir, 'data-back.img')), want);
    await back.delete();
    await c1.delete();
    await p2.destroy();
    await rejectsCode(conn.lookupStoragePoolByName('vkst-dir2'), VIR_ERR_NO_STORAGE_POOL);
  });

  it('resizes: grow, shrink only with the flag, allocate', async () => {
    const v = await pool.createVolXML(volXML('grow.img', 4 * MiB, { allocation: 0 }));
    await v.resize(8 * MiB);
    assert.equal((await v.getInfo()).capacity, 8 * MiB);
    await rejectsCode(v.resize(2 * MiB), VIR_ERR_INVALID_ARG, /shrink flag/);
    await v.resize(2 * MiB, VIR_STORAGE_VOL_RESIZE_SHRINK);
    assert.equal((await v.getInfo()).capacity, 2 * MiB);
    await v.resize(6 * MiB, VIR_STORAGE_VOL_RESIZE_ALLOCATE);
    const i = await v.getInfo();
    assert.equal(i.capacity, 6 * MiB);
    assert.ok(i.allocation >= 4 * MiB, `allocated tail (${i.allocation})`);
    const q = await pool.lookupStorageVolByName('base.qcow2');
    await q.resize(2048 * MiB);
    assert.equal((await q.getInfo()).capacity, 2048 * MiB);
    await rejectsCode(q.resize(1024 * MiB), VIR_ERR_INVALID_ARG);
    await q.resize(1024 * MiB, VIR_STORAGE_VOL_RESIZE_SHRINK);
    assert.equal((await q.getInfo()).capacity, 1024 * MiB);
  });

  it('wipes with zeros and with the random algorithm', async () => {
    const v = await pool.lookupStorageVolByName('full.img');
    const path = join(dir, 'full.img');
    writeFileSync(path, randomBytes(16 * MiB));
    await v.wipe();
    const zeros = await fsp.readFile(path);
    assert.equal(zeros.length, 16 * MiB);
    assert.ok(zeros.every((b) => b === 0));
    const seen: number[] = [];
    await v.wipePattern(VIR_STORAGE_VOL_WIPE_ALG_RANDOM, 0, { onProgress: (d) => seen.push(d) });
    const rnd = await fsp.readFile(path);
    assert.equal(rnd.length, 16 * MiB);
    assert.ok(rnd.filter((b) => b === 0).length < MiB / 8, 'random data');
    assert.equal(seen.at(-1), 16 * MiB);
    const s = await pool.lookupStorageVolByName('sparse.img');
    await s.wipe();
    assert.equal((await s.getInfo()).capacity, 64 * MiB);
  });

  it('uploads and downloads with offset and length (checksums), progress and abort', async () => {
    const v = await pool.lookupStorageVolByName('full.img');
    const data = randomBytes(3 * MiB + 123);
    const ws = await v.upload(4096, data.length);
    await pipeline(Readable.from([data.subarray(0, MiB), data.subarray(MiB)]), ws);
    const rs = await v.download(4096, data.length);
    assert.equal(await sha256Stream(rs), await sha256Stream(Readable.from([data])));
    assert.equal(await sha256File(join(dir, 'full.img'), 4096, data.length), await sha256Stream(Readable.from([data])));
    // whole-volume download equals the file
    const got: number[] = [];
    const all = await v.download(0, 0, 0, { onProgress: (d) => got.push(d) });
    assert.equal(await sha256Stream(all), await sha256File(join(dir, 'full.img')));
    assert.equal(got.at(-1), 16 * MiB);
    // writing past the length fails
    const short = await v.upload(0, 10);
    await assert.rejects(pipeline(Readable.from([Buffer.alloc(11)]), short), /No space left/);
    // abort
    const ac = new AbortController();
    const slow = await v.download(0, 0, 0, { signal: ac.signal });
    ac.abort();
    await rejectsCode(sha256Stream(slow), VIR_ERR_OPERATION_ABORTED);
    const ac3 = new AbortController();
    const up = await v.upload(0, 0, 0, { signal: ac3.signal });
    const feeding = pipeline(
      Readable.from(
        (async function* () {
          yield Buffer.alloc(MiB, 1);
          ac3.abort();
          yield Buffer.alloc(MiB, 2);
        })(),
      ),
      up,
    );
    await rejectsCode(feeding, VIR_ERR_OPERATION_ABORTED);
    const ac2 = new AbortController();
    ac2.abort();
    await rejectsCode(v.wipe(0, { signal: ac2.signal }), VIR_ERR_OPERATION_ABORTED);
    // the refresh after an upload runs after it returns, as libvirt's; the pool's readers wait for it
    await pool.getInfo();
    await new Promise((r) => setImmediate(r));
    assert.ok(events.includes('vkst-dir:refresh'), 'upload emits a pool refresh event');
  });

  it('refresh finds files that appear and forgets files that vanish; probes format by content', async () => {
    writeFileSync(join(dir, 'appeared.img'), Buffer.alloc(MiB));
    await fsp.copyFile(join(dir, 'base.qcow2'), join(dir, 'disguised.img'));
    await fsp.unlink(join(dir, 'grow.img'));
    await pool.refresh();
    const names = (await pool.listAllVolumes()).map((v) => v.getName());
    assert.ok(names.includes('appeared.img'));
    assert.ok(!names.includes('grow.img'));
    const d = await pool.lookupStorageVolByName('disguised.img');
    assert.match(await d.getXMLDesc(), /<format type='qcow2'\/>/);
    assert.equal((await d.getInfo()).capacity, 1024 * MiB);
    const byPath = await conn.lookupStorageVolByPath(join(dir, 'appeared.img'));
    assert.equal(byPath.getName(), 'appeared.img');
    const byKey = await conn.lookupStorageVolByKey(join(dir, 'appeared.img'));
    assert.equal(byKey.getName(), 'appeared.img');
    await rejectsCode(conn.lookupStorageVolByPath(join(dir, 'nope')), VIR_ERR_NO_STORAGE_VOL);
    assert.equal(await pool.numOfVolumes(), names.length);
  });

  it('refuses to delete a volume a running domain uses (hook), deletes otherwise', async () => {
    const v = await pool.lookupStorageVolByName('appeared.img');
    const path = await v.getPath();
    const off = registerVolumeInUseChecker((p) => (p === path ? 'guest1' : undefined));
    try {
      await rejectsCode(v.delete(), VIR_ERR_OPERATION_INVALID, /in use by running domain 'guest1'/);
      assert.ok(existsSync(path));
    } finally {
      off();
    }
    await v.delete();
    assert.ok(!existsSync(path));
    await rejectsCode(v.getInfo(), VIR_ERR_NO_STORAGE_VOL);
  });

  it('stops, deletes and undefines with events', async () => {
    await pool.destroy();
    assert.equal(await pool.isActive(), false);
    for (const f of readdirSync(dir)) await rmrf(join(dir, f));
    await pool.delete();
    assert.ok(!existsSync(dir));
    await pool.build();
    assert.ok(statSync(dir).isDirectory());
    await pool.undefine();
    assert.ok(!existsSync(join(root, 'etc/storage/vkst-dir.xml')));
    assert.ok(!existsSync(join(root, 'etc/storage/autostart/vkst-dir.xml')));
    await new Promise((r) => setImmediate(r));
    assert.ok(events.includes(`vkst-dir:${VIR_STORAGE_POOL_EVENT_STOPPED}`));
    assert.ok(events.includes(`vkst-dir:${VIR_STORAGE_POOL_EVENT_UNDEFINED}`));
  });
});
