/**
 * Pool refresh: qemu-img probes kept for files that have not changed (probe-cache.ts), the
 * refresh that follows an upload (after it returns, as libvirt's), and how a refresh merges
 * with volumes created or deleted while it scanned.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, promises as fsp, readFileSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { connect, type Connection, type StoragePool } from '@virtkit/core';
import { requireHost, which } from '../../../test/support/host.js';
import { parsePool } from '../src/xml-adapter.js';
import { PoolObj } from '../src/pool-registry.js';
import { keepProbe, keptProbe, wallClockNs } from '../src/probe-cache.js';
import type { VolDef } from '../src/types.js';
import { dirPoolXML, rmrf, tempDir, volXML } from './helpers.js';

const MiB = 1024 * 1024;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('storage driver: refresh', function () {
  this.timeout(30000);
  let work: string;
  let dir: string;
  let log: string;
  let path: string | undefined;
  let qemuImg: string;
  let conn: Connection;
  let pool: StoragePool;

  /** qemu-img runs since the last call. */
  function probes(): string[] {
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    writeFileSync(log, '');
    return lines.map((l) => l.split('/').pop()!);
  }

  before(async function () {
    requireHost(this, { binaries: ['qemu-img'] });
    work = tempDir('refresh');
    dir = join(work, 'pool');
    mkdirSync(dir);
    // a qemu-img first on PATH that logs which file it was asked about, then runs the real one
    const shims = join(work, 'bin');
    mkdirSync(shims);
    log = join(work, 'qemu-img.log');
    writeFileSync(log, '');
    qemuImg = which('qemu-img')!;
    writeFileSync(join(shims, 'qemu-img'), `#!/bin/sh\nfor a; do last="$a"; done\necho "$last" >> '${log}'\nexec '${qemuImg}' "$@"\n`);
    chmodSync(join(shims, 'qemu-img'), 0o755);
    path = process.env.PATH;
    process.env.PATH = `${shims}:${path}`;
    conn = await connect(`storage:///embed?root=${join(work, 'root')}`);
    pool = await conn.createStoragePoolXML(dirPoolXML('vkst-refresh', dir));
  });

  after(async () => {
    if (path !== undefined) process.env.PATH = path;
    await pool?.destroy().catch(() => {});
    await conn?.close();
    await rmrf(work);
  });

  it('probes with qemu-img only the files that are new or changed since their last probe', async () => {
    for (const n of ['a.img', 'b.img', 'c.img']) await fsp.writeFile(join(dir, n), Buffer.alloc(MiB, n));
    // older than the racy window (100 ms) when probed, so what qemu-img says is kept
    await settle(150);
    await pool.refresh();
    assert.deepEqual(probes().sort(), ['a.img', 'b.img', 'c.img']);
    await pool.refresh();
    assert.deepEqual(probes(), [], 'nothing changed, nothing probed');

    // b.img becomes a qcow2 image behind the driver's back, with the same size
    const q = join(work, 'q.qcow2');
    await execa(qemuImg, ['create', '-q', '-f', 'qcow2', q, '64M']);
    const head = await fsp.readFile(q);
    const fh = await fsp.open(join(dir, 'b.img'), 'r+');
    await fh.write(head, 0, head.length, 0);
    await fh.close();
    await pool.refresh();
    assert.deepEqual(probes(), ['b.img']);
    const b = await pool.lookupStorageVolByName('b.img');
    assert.match(await b.getXMLDesc(), /<format type='qcow2'\/>/);
    assert.equal((await b.getInfo()).capacity, 64 * MiB);
    for (const n of ['a.img', 'b.img', 'c.img']) await (await pool.lookupStorageVolByName(n)).delete();
    probes();
  });

  it('keeps no probe of a file changed in the 100 ms before it, nor of a block device', () => {
    const now = wallClockNs();
    const st = (ageNs: bigint, file = true) =>
      ({ isFile: () => file, dev: 1n, ino: 2n, size: 3n, mtimeNs: now - ageNs, ctimeNs: now - ageNs }) as unknown as BigIntStats;
    keepProbe('/racy', st(50_000_000n), 'racy', now);
    assert.equal(keptProbe('/racy', st(50_000_000n)), undefined, 'changed 50 ms before the probe');
    keepProbe('/old', st(200_000_000n), 'old', now);
    assert.equal(keptProbe('/old', st(200_000_000n)), 'old', 'changed 200 ms before the probe');
    assert.equal(keptProbe('/old', st(100_000_000n)), undefined, 'a new stamp: probed again');
    keepProbe('/dev/loop9', st(200_000_000n, false), 'dev', now);
    assert.equal(keptProbe('/dev/loop9', st(200_000_000n, false)), undefined, 'block devices are always probed');
  });

  it('refreshes after an upload once the upload has returned; readers wait for that refresh', async () => {
    const events: string[] = [];
    conn.on('storage-pool-refresh', (p) => events.push(p.getName()));
    const vol = await pool.createVolXML(volXML('up.img', 4 * MiB, { allocation: 0 }));
    const f = join(work, 'up.bin');
    await fsp.writeFile(f, Buffer.alloc(4 * MiB, 7));
    await vol.uploadFromFile(f);
    // created while the refresh after the upload may still run: the refresh must not drop it
    const made = await pool.createVolXML(volXML('during.img', MiB, { allocation: 0 }));
    const names = (await pool.listAllVolumes()).map((v) => v.getName()).sort();
    assert.deepEqual(names, ['during.img', 'up.img']);
    const up = (await pool.listAllVolumes()).find((v) => v.getName() === 'up.img')!;
    assert.equal((await up.getInfo()).allocation, 4 * MiB);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['vkst-refresh']);
    await made.delete();
    await vol.delete();
    await fsp.rm(f);
  });

  it('a refresh keeps what changed while it scanned: created, deleted and re-probed volumes', () => {
    const obj = new PoolObj(parsePool(dirPoolXML('merge', '/nonexistent')));
    const vol = (name: string, allocation = 0): VolDef =>
      ({ name, key: `/p/${name}`, path: `/p/${name}`, type: 'file', format: 'raw', capacity: MiB, allocation }) as VolDef;
    const [a, b, c] = [vol('a'), vol('b'), vol('c')];
    obj.setVolumes([a, b, c]);
    const before = new Map(obj.volumes);
    // meanwhile: b deleted, c re-probed, d created
    obj.volumes.delete('b');
    const c2 = vol('c', 4096);
    obj.volumes.set('c', c2);
    const d = vol('d');
    obj.volumes.set('d', d);
    // the scan saw a (changed on disk), b and c as they were, and e (appeared on disk); not d
    const a2 = vol('a', 8192);
    const e = vol('e');
    obj.mergeVolumes(before, [a2, vol('b'), vol('c'), e]);
    assert.deepEqual([...obj.volumes.keys()].sort(), ['a', 'c', 'd', 'e']);
    assert.equal(obj.volumes.get('a'), a2, 'unchanged entry: what the scan found');
    assert.equal(obj.volumes.get('c'), c2, 're-probed meanwhile: kept');
    assert.equal(obj.volumes.get('d'), d, 'created meanwhile: kept');
    // a file that vanished from disk, unchanged in the list: dropped
    const now = new Map(obj.volumes);
    obj.mergeVolumes(now, [a2, c2, d]);
    assert.deepEqual([...obj.volumes.keys()].sort(), ['a', 'c', 'd']);
  });
});
