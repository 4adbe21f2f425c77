/**
 * Pool lifecycle details through the public API: URIs and accepts(), autostart when a root is
 * loaded, a refresh that fails stops the pool, redefining an active pool, events reaching
 * every connection, flags, the volume resolver for other drivers, aborted clones leaving
 * nothing, qemu-img progress.
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect, parseURI } from '@virtkit/core';
import { requireHost } from '../../../test/support/host.js';
import {
  driver,
  resolveVolume,
  storagePaths,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_STORAGE_POOL,
  VIR_ERR_NO_STORAGE_VOL,
  VIR_ERR_OPERATION_ABORTED,
  VIR_ERR_OPERATION_INVALID,
  VIR_STORAGE_POOL_EVENT_STARTED,
  VIR_STORAGE_POOL_EVENT_STOPPED,
  VOLUME_RESOLVER_KEY,
} from '../src/index.js';
import { dirPoolXML, rejectsCode, rmrf, tempDir, volXML } from './helpers.js';

const MiB = 1024 * 1024;

describe('storage driver: URIs', () => {
  it('serves storage:// and attaches to local qemu/lxc/uml connections', () => {
    assert.deepEqual(driver.schemes, ['storage']);
    const acc = (u: string) => driver.accepts!(parseURI(u));
    assert.equal(acc('qemu:///system'), true);
    assert.equal(acc('qemu:///session'), true);
    assert.equal(acc('qemu:///embed?root=/tmp/x'), true);
    assert.equal(acc('lxc:///system'), true);
    assert.equal(acc('test:///default'), false);
    assert.equal(acc('qemu+ssh://host/system'), false);
  });

  it('keeps embed state under the root, and rejects relative roots and unknown paths', () => {
    assert.deepEqual(storagePaths(parseURI('storage:///embed?root=/srv/vk')), {
      configDir: '/srv/vk/etc/storage',
      autostartDir: '/srv/vk/etc/storage/autostart',
      stateDir: '/srv/vk/run/storage',
    });
    assert.equal(storagePaths(parseURI('storage:///system')).configDir, '/etc/virtkit/storage');
    assert.throws(() => storagePaths(parseURI('storage:///embed?root=rel')), (e: { code: number }) => e.code === VIR_ERR_INVALID_ARG);
    assert.throws(() => storagePaths(parseURI('storage:///bogus')), /unexpected storage URI path/);
  });
});

describe('storage driver: pool lifecycle details', function () {
  this.timeout(60000);
  let root: string;
  let dirs: string[] = [];
  const uri = () => `storage:///embed?root=${root}`;

  before(function () {
    requireHost(this, { binaries: ['qemu-img'] });
    root = tempDir('lc-root');
  });
  after(async () => {
    await rmrf(root);
    for (const d of dirs) await rmrf(d);
  });
  const newDir = (p: string) => {
    const d = tempDir(p);
    dirs.push(d);
    return d;
  };

  it('starts autostart pools when a root is loaded, and events reach every connection', async () => {
    const d = newDir('lc-auto');
    let c1 = await connect(uri());
    const p = await c1.defineStoragePoolXML(dirPoolXML('vkst-auto', d));
    await p.setAutostart(true);
    assert.equal(await p.isActive(), false);
    await c1.close(); // the last connection: the root's state is dropped
    c1 = await connect(uri());
    const c2 = await connect(uri());
    const seen: string[] = [];
    c2.on('storage-pool-lifecycle', (pool, ev) => seen.push(`${pool.getName()}:${ev}`));
    const p1 = await c1.lookupStoragePoolByName('vkst-auto');
    assert.equal(await p1.isActive(), true, 'autostarted on load');
    await p1.destroy();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [`vkst-auto:${VIR_STORAGE_POOL_EVENT_STOPPED}`]);
    await rejectsCode(p1.setAutostart(false).then(() => p1.destroy()), VIR_ERR_OPERATION_INVALID, /not active/);
    await p1.undefine();
    await c1.close();
    await c2.close();
  });

  it('stops a pool whose refresh fails (its directory vanished)', async () => {
    const d = newDir('lc-vanish');
    const c = await connect(uri());
    const seen: number[] = [];
    c.on('storage-pool-lifecycle', (_p, ev) => seen.push(ev));
    const p = await c.createStoragePoolXML(dirPoolXML('vkst-vanish', d));
    await rmrf(d);
    await assert.rejects(p.refresh(), /cannot open directory/);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [VIR_STORAGE_POOL_EVENT_STARTED, VIR_STORAGE_POOL_EVENT_STOPPED]);
    await rejectsCode(c.lookupStoragePoolByName('vkst-vanish'), VIR_ERR_NO_STORAGE_POOL, /matching name/);
    await c.close();
  });

  it('keeps a new definition of an active pool for after it stops', async () => {
    const d1 = newDir('lc-def1');
    const d2 = newDir('lc-def2');
    const c = await connect(uri());
    const p = await c.defineStoragePoolXML(dirPoolXML('vkst-redef', d1));
    await p.create();
    const uuid = p.getUUIDString();
    await c.defineStoragePoolXML(`<pool type='dir'><name>vkst-redef</name><uuid>${uuid}</uuid><target><path>${d2}</path></target></pool>`);
    assert.match(await p.getXMLDesc(), new RegExp(`<path>${d1}</path>`));
    assert.match(await p.getXMLDesc(1), new RegExp(`<path>${d2}</path>`));
    await p.destroy();
    assert.match(await p.getXMLDesc(), new RegExp(`<path>${d2}</path>`));
    await assert.rejects(c.defineStoragePoolXML(dirPoolXML('vkst-redef', d2)), /already exists with uuid/);
    await p.undefine();
    await c.close();
  });

  it('lists pools with libvirt\'s filters', async () => {
    const c = await connect(uri());
    const a = await c.defineStoragePoolXML(dirPoolXML('vkst-list-a', newDir('lc-la')));
    const b = await c.createStoragePoolXML(dirPoolXML('vkst-list-b', newDir('lc-lb')));
    await a.setAutostart(true);
    const names = async (flags: number) => (await c.listAllStoragePools(flags)).map((p) => p.getName()).filter((n) => n.startsWith('vkst-list')).sort();
    assert.deepEqual(await names(0), ['vkst-list-a', 'vkst-list-b']);
    assert.deepEqual(await names(1 /* INACTIVE */), ['vkst-list-a']);
    assert.deepEqual(await names(2 /* ACTIVE */), ['vkst-list-b']);
    assert.deepEqual(await names(4 /* PERSISTENT */), ['vkst-list-a']);
    assert.deepEqual(await names(8 /* TRANSIENT */), ['vkst-list-b']);
    assert.deepEqual(await names(16 /* AUTOSTART */), ['vkst-list-a']);
    assert.deepEqual(await names(64 /* DIR */), ['vkst-list-a', 'vkst-list-b']);
    assert.deepEqual(await names(128 /* FS */), []);
    assert.ok((await c.numOfDefinedStoragePools()) >= 1);
    await b.destroy();
    await a.undefine();
    await c.close();
  });

  it('checks flags, and rejects an unknown XML root', async () => {
    const d = newDir('lc-flags');
    const c = await connect(uri());
    const p = await c.createStoragePoolXML(dirPoolXML('vkst-flags', d));
    await rejectsCode(p.refresh(1), VIR_ERR_INVALID_ARG, /unsupported flags/);
    await rejectsCode(p.createVolXML(volXML('a.img', MiB), 0x100), VIR_ERR_INVALID_ARG);
    await assert.rejects(c.createStoragePoolXML('<network/>'));
    await p.destroy();
    await c.close();
  });

  it('resolves <source pool volume> for other drivers, through globalThis too', async () => {
    const d = newDir('lc-resolve');
    const c = await connect(uri());
    const p = await c.createStoragePoolXML(dirPoolXML('vkst-res', d));
    await p.createVolXML(volXML('disk.qcow2', 64 * MiB, { format: 'qcow2' }));
    const viaGlobal = (globalThis as unknown as Record<symbol, typeof resolveVolume>)[VOLUME_RESOLVER_KEY];
    assert.equal(viaGlobal, resolveVolume);
    // the QEMU driver's connection URI for the same root
    const r = await viaGlobal(parseURI(`qemu:///embed?root=${root}`), 'vkst-res', 'disk.qcow2');
    assert.deepEqual(r, { path: join(d, 'disk.qcow2'), format: 'qcow2', type: 'file', poolType: 'dir' });
    await rejectsCode(viaGlobal(parseURI(`qemu:///embed?root=${root}`), 'vkst-res', 'nope'), VIR_ERR_NO_STORAGE_VOL);
    await rejectsCode(viaGlobal(parseURI(`qemu:///embed?root=${root}`), 'nope', 'x'), VIR_ERR_NO_STORAGE_POOL);
    await p.destroy();
    await c.close();
  });

  it('asks in-use checkers registered on globalThis (no import of this package)', async () => {
    const d = newDir('lc-inuse');
    const c = await connect(uri());
    const p = await c.createStoragePoolXML(dirPoolXML('vkst-inuse', d));
    const v = await p.createVolXML(volXML('busy.img', MiB));
    const key = Symbol.for('@virtkit/storage:volume-in-use');
    const g = globalThis as unknown as Record<symbol, Set<(path: string) => Promise<string | undefined>>>;
    const checker = async (path: string) => (path === join(d, 'busy.img') ? 'vm-42' : undefined);
    (g[key] ??= new Set()).add(checker);
    try {
      await rejectsCode(v.delete(), VIR_ERR_OPERATION_INVALID, /in use by running domain 'vm-42'/);
    } finally {
      g[key].delete(checker);
    }
    await v.delete();
    await p.destroy();
    await c.close();
  });

  it('an aborted clone leaves nothing; qemu-img conversions report progress', async () => {
    const d = newDir('lc-abort');
    const c = await connect(uri());
    const p = await c.createStoragePoolXML(dirPoolXML('vkst-abort', d));
    const src = await p.createVolXML(volXML('src.img', 64 * MiB));
    const ac = new AbortController();
    await rejectsCode(
      p.createVolXMLFrom(volXML('dst.img', 0), src, 0, { signal: ac.signal, onProgress: () => ac.abort() }),
      VIR_ERR_OPERATION_ABORTED,
    );
    assert.ok(!existsSync(join(d, 'dst.img')));
    await rejectsCode(p.lookupStorageVolByName('dst.img'), VIR_ERR_NO_STORAGE_VOL);
    const seen: number[] = [];
    await p.createVolXMLFrom(volXML('dst.qcow2', 0, { format: 'qcow2' }), src, 0, { onProgress: (done) => seen.push(done) });
    assert.equal(seen.at(-1), 64 * MiB);
    assert.deepEqual(readdirSync(d).sort(), ['dst.qcow2', 'src.img']);
    await p.destroy();
    await c.close();
    await fsp.rm(d, { recursive: true });
  });
});
