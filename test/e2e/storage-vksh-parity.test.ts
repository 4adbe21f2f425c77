/**
 * Issue 7, acceptance 2: `vksh vol-info`, `vol-list --details` and `pool-info` print what
 * virsh prints on libvirt 9.0's storage driver for the same dir pool and volumes. Both
 * drivers run side by side on one directory: libvirtd (started here when not running, and
 * stopped again afterwards) through `virsh -c qemu:///system`, virtkit through
 * `storage:///embed?root=...` with the same pool definition (name, UUID, target).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fsp, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Connection } from '@virtkit/core';
import { runVksh } from '@virtkit/cli';
import { requireHost } from '../support/host.js';

const MiB = 1024 * 1024;
const LV = 'qemu:///system';

function virsh(...args: string[]): string {
  const r = spawnSync('virsh', ['-c', LV, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`virsh ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function virshErr(...args: string[]): string {
  const r = spawnSync('virsh', ['-c', LV, ...args], { encoding: 'utf8' });
  assert.notEqual(r.status, 0, `virsh ${args.join(' ')} should fail`);
  return r.stderr;
}

async function vkshErr(uri: string, ...args: string[]): Promise<string> {
  let err = '';
  const rc = await runVksh(['-c', uri, ...args], { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } });
  assert.notEqual(rc, 0, `vksh ${args.join(' ')} should fail`);
  return err;
}

async function vksh(uri: string, ...args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const rc = await runVksh(['-c', uri, ...args], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  if (rc !== 0) throw new Error(`vksh ${args.join(' ')} failed (${rc}): ${err}`);
  return out;
}

function libvirtdRunning(): boolean {
  return spawnSync('virsh', ['-c', LV, 'uri'], { stdio: 'ignore' }).status === 0;
}

describe('storage: vksh output equals virsh on libvirt 9.0 for the same dir pool', function () {
  this.timeout(60000);
  let dir: string;
  let root: string;
  let started = false;
  let conn: Connection | undefined;
  let uri: string;
  const name = `vkst-parity-${process.pid}`;
  let lvPool = false;

  before(async function () {
    requireHost(this, { binaries: ['libvirtd', 'virsh', 'qemu-img'], root: true });
    dir = mkdtempSync(join(tmpdir(), 'vkst-parity-'));
    root = mkdtempSync(join(tmpdir(), 'vkst-parity-root-'));
    uri = `storage:///embed?root=${root}`;
    // volumes of every kind, made behind both drivers' backs
    execFileSync('truncate', ['-s', '10M', join(dir, 'sparse.img')]);
    writeFileSync(join(dir, 'data.img'), Buffer.alloc(3 * MiB + 512, 7));
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'base.qcow2'), '1G']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', join(dir, 'base.qcow2'), '-F', 'qcow2', join(dir, 'top.qcow2'), '5G']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'compat=0.10', join(dir, 'old.qcow2'), '64M']);
    execFileSync('fallocate', ['-l', '7M', join(dir, 'full.raw')]);
    await fsp.mkdir(join(dir, 'subdir'));
    if (!libvirtdRunning()) {
      execFileSync('libvirtd', ['-d']);
      started = true;
      for (let i = 0; i < 100 && !libvirtdRunning(); i++) await new Promise((r) => setTimeout(r, 100));
    }
    virsh('pool-create-as', name, 'dir', '--target', dir);
    lvPool = true;
    const xml = virsh('pool-dumpxml', '--inactive', name);
    conn = await connect(uri);
    await conn.createStoragePoolXML(xml);
  });

  after(async () => {
    if (lvPool) spawnSync('virsh', ['-c', LV, 'pool-destroy', name], { stdio: 'ignore' });
    await conn?.close();
    if (started) {
      const pid = Number((await fsp.readFile('/run/libvirtd.pid', 'utf8').catch(() => '')).trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    }
    for (const d of [dir, root]) if (d) await fsp.rm(d, { recursive: true, force: true });
  });

  it('vol-list --details', async () => {
    assert.equal(await vksh(uri, 'vol-list', '--details', name), virsh('vol-list', '--details', name));
  });

  it('vol-list', async () => {
    assert.equal(await vksh(uri, 'vol-list', name), virsh('vol-list', name));
  });

  for (const vol of ['sparse.img', 'data.img', 'base.qcow2', 'top.qcow2', 'old.qcow2', 'full.raw', 'subdir']) {
    it(`vol-info ${vol} (by pool and name, and by path)`, async () => {
      assert.equal(await vksh(uri, 'vol-info', '--pool', name, vol), virsh('vol-info', '--pool', name, vol));
      assert.equal(await vksh(uri, 'vol-info', join(dir, vol)), virsh('vol-info', join(dir, vol)));
    });
  }

  /** XML without the access times (reading a file for probing may update atime). */
  const noAtime = (xml: string) => xml.split('\n').filter((l) => !l.includes('<atime>')).join('\n');

  for (const vol of ['sparse.img', 'data.img', 'base.qcow2', 'top.qcow2', 'old.qcow2', 'full.raw', 'subdir']) {
    it(`vol-dumpxml ${vol}`, async () => {
      assert.equal(noAtime(await vksh(uri, 'vol-dumpxml', '--pool', name, vol)), noAtime(virsh('vol-dumpxml', '--pool', name, vol)));
    });
  }

  for (const [vol, args] of [
    ['new.img', ['10M']],
    ['new-sparse.img', ['10M', '--allocation', '0']],
    ['new.qcow2', ['1G', '--format', 'qcow2']],
    ['new-back.qcow2', ['2G', '--format', 'qcow2', '--backing-vol', 'base.qcow2', '--backing-vol-format', 'qcow2']],
  ] as const) {
    it(`vol-create-as ${vol} ${args.join(' ')}: same output, same vol-info and vol-dumpxml`, async () => {
      const o1 = await vksh(uri, 'vol-create-as', name, `vk-${vol}`, ...args);
      const o2 = virsh('vol-create-as', name, `lv-${vol}`, ...args);
      assert.equal(o1.replace('vk-', ''), o2.replace('lv-', ''));
      const norm = (s: string, p: string) => noAtime(s).split(`${p}-${vol}`).join(vol);
      assert.equal(norm(await vksh(uri, 'vol-info', '--pool', name, `vk-${vol}`), 'vk'), norm(virsh('vol-info', '--pool', name, `lv-${vol}`), 'lv'));
      const x1 = norm(await vksh(uri, 'vol-dumpxml', '--pool', name, `vk-${vol}`), 'vk');
      const x2 = norm(virsh('vol-dumpxml', '--pool', name, `lv-${vol}`), 'lv');
      // timestamps of two different files differ: compare everything else
      const noTimes = (x: string) => x.split('\n').filter((l) => !/<[mc]time>/.test(l)).join('\n');
      assert.equal(noTimes(x1), noTimes(x2));
    });
  }

  it('vol-create of a qcow2 with compat 1.1 and lazy_refcounts: same XML before and after a refresh', async () => {
    const xml = (n: string) =>
      `<volume><name>${n}</name><capacity unit='M'>64</capacity><target><format type='qcow2'/>` +
      `<compat>1.1</compat><features><lazy_refcounts/></features></target></volume>`;
    writeFileSync(join(root, 'vk.xml'), xml('vk-lazy.qcow2'));
    writeFileSync(join(root, 'lv.xml'), xml('lv-lazy.qcow2'));
    await vksh(uri, 'vol-create', name, join(root, 'vk.xml'));
    virsh('vol-create', name, join(root, 'lv.xml'));
    const norm = (s: string, p: string) => s.split(`${p}-lazy`).join('lazy').split('\n').filter((l) => !/<[amc]time>/.test(l)).join('\n');
    const both = async () => [
      norm(await vksh(uri, 'vol-dumpxml', '--pool', name, 'vk-lazy.qcow2'), 'vk'),
      norm(virsh('vol-dumpxml', '--pool', name, 'lv-lazy.qcow2'), 'lv'),
    ];
    const [a, b] = await both();
    assert.equal(a, b);
    assert.match(a, /<features>\s*<lazy_refcounts\/>\s*<\/features>/);
    await conn!.lookupStoragePoolByName(name).then((p) => p.refresh());
    virsh('pool-refresh', name);
    const [c, d] = await both();
    assert.equal(c, d);
    assert.match(c, /<clusterSize unit='B'>65536<\/clusterSize>/);
  });

  for (const args of [
    ['vol-create-as', 'POOL', 'data.img', '1M'],
    ['vol-create-as', 'POOL', 'x.img', '1M', '--format', 'vmdkx'],
    ['vol-info', '--pool', 'POOL', 'nope'],
    ['vol-info', 'nope'],
    ['vol-delete', '--pool', 'POOL', 'nope'],
    ['vol-resize', '--pool', 'POOL', 'full.raw', '1M'],
    ['pool-info', 'nope'],
  ]) {
    it(`fails like virsh: ${args.join(' ')}`, async () => {
      const a = args.map((x) => (x === 'POOL' ? name : x));
      assert.equal(await vkshErr(uri, ...a), virshErr(...a));
    });
  }

  it('vol-upload and vol-download through vksh move the same bytes as virsh (checksums)', async () => {
    const payload = join(root, 'payload.bin');
    writeFileSync(payload, Buffer.from(Array.from({ length: 3 * MiB + 77 }, (_, i) => (i * 31 + 7) & 0xff)));
    await vksh(uri, 'vol-create-as', name, 'vk-up.img', '4M');
    virsh('vol-create-as', name, 'lv-up.img', '4M');
    await vksh(uri, 'vol-upload', '--pool', name, 'vk-up.img', payload, '--offset', '4096');
    virsh('vol-upload', '--pool', name, 'lv-up.img', payload, '--offset', '4096');
    const sum = (p: string) => execFileSync('sha256sum', [p], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(sum(join(dir, 'vk-up.img')), sum(join(dir, 'lv-up.img')));
    await vksh(uri, 'vol-download', '--pool', name, 'vk-up.img', join(root, 'vk.out'), '--offset', '4096', '--length', String(3 * MiB + 77));
    virsh('vol-download', '--pool', name, 'lv-up.img', join(root, 'lv.out'), '--offset', '4096', '--length', String(3 * MiB + 77));
    assert.equal(sum(join(root, 'vk.out')), sum(payload));
    assert.equal(sum(join(root, 'lv.out')), sum(payload));
  });

  it('pool-info', async () => {
    // sizes come from statfs(2) of a shared disk: compare two back-to-back readings, retrying
    // when another process changed the free space between them
    let last: [string, string] = ['', ''];
    for (let i = 0; i < 5; i++) {
      await conn!.lookupStoragePoolByName(name).then((p) => p.refresh());
      virsh('pool-refresh', name);
      last = [await vksh(uri, 'pool-info', name), virsh('pool-info', name)];
      if (last[0] === last[1]) break;
    }
    assert.equal(last[0], last[1]);
  });

  it('pool-dumpxml (live and --inactive)', async () => {
    // sizes from statfs(2) of a shared disk: retry when the free space moved between readings
    for (const extra of [[], ['--inactive']]) {
      let last: [string, string] = ['', ''];
      for (let i = 0; i < 5; i++) {
        await conn!.lookupStoragePoolByName(name).then((p) => p.refresh());
        virsh('pool-refresh', name);
        last = [await vksh(uri, 'pool-dumpxml', ...extra, name), virsh('pool-dumpxml', ...extra, name)];
        if (last[0] === last[1]) break;
      }
      assert.equal(last[0], last[1]);
    }
  });
});

describe('storage: vksh output equals virsh for the same disk pool (GPT on a loop device)', function () {
  this.timeout(60000);
  let work: string;
  let dev = '';
  let started = false;
  let conn: Connection | undefined;
  let uri: string;
  const name = `vkst-pdisk-${process.pid}`;
  let lvPool = false;

  before(async function () {
    requireHost(this, { binaries: ['libvirtd', 'virsh', 'losetup', 'parted'], root: true });
    work = mkdtempSync(join(tmpdir(), 'vkst-pdisk-'));
    uri = `storage:///embed?root=${work}/root`;
    execFileSync('truncate', ['-s', '64M', join(work, 'disk.img')]);
    dev = execFileSync('losetup', ['-f', '--show', '-P', join(work, 'disk.img')], { encoding: 'utf8' }).trim();
    execFileSync('parted', ['-s', dev, 'mklabel', 'gpt'], { stdio: 'pipe' });
    if (!libvirtdRunning()) {
      execFileSync('libvirtd', ['-d']);
      started = true;
      for (let i = 0; i < 100 && !libvirtdRunning(); i++) await new Promise((r) => setTimeout(r, 100));
    }
    virsh('pool-create-as', name, 'disk', '--source-dev', dev, '--source-format', 'gpt', '--target', '/dev');
    lvPool = true;
    conn = await connect(uri);
    await conn.createStoragePoolXML(virsh('pool-dumpxml', '--inactive', name));
  });

  after(async () => {
    if (lvPool) spawnSync('virsh', ['-c', LV, 'pool-destroy', name], { stdio: 'ignore' });
    await conn?.close();
    if (started) {
      const pid = Number((await fsp.readFile('/run/libvirtd.pid', 'utf8').catch(() => '')).trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    }
    if (dev) spawnSync('losetup', ['-d', dev]);
    if (work) await fsp.rm(work, { recursive: true, force: true });
  });

  const noAtime = (xml: string) => xml.split('\n').filter((l) => !/<[amc]time>/.test(l)).join('\n');

  it('partitions made by either driver look the same to both', async () => {
    const base = dev.replace('/dev/', '');
    assert.equal(virsh('vol-create-as', name, `${base}p1`, '8M'), `Vol ${base}p1 created\n\n`);
    assert.equal(await vksh(uri, 'vol-create-as', name, `${base}p2`, '8M'), `Vol ${base}p2 created\n\n`);
    virsh('pool-refresh', name);
    await vksh(uri, 'pool-refresh', name);
    assert.equal(await vksh(uri, 'vol-list', '--details', name), virsh('vol-list', '--details', name));
    for (const v of [`${base}p1`, `${base}p2`]) {
      assert.equal(await vksh(uri, 'vol-info', '--pool', name, v), virsh('vol-info', '--pool', name, v));
      assert.equal(noAtime(await vksh(uri, 'vol-dumpxml', '--pool', name, v)), noAtime(virsh('vol-dumpxml', '--pool', name, v)));
    }
  });
});
