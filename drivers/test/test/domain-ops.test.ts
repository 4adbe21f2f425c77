/**
 * Domain operations beyond the parity sequence: save images, managed save files, snapshot
 * XML and trees, live/config memory and vCPUs, metadata, devices, stats and screenshot.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtError, type Connection, type Domain } from '@virtkit/core';
import { openRecording, settle, type Recorded } from './helpers.js';

const XML = (name: string) =>
  `<domain type='test'><name>${name}</name><memory>1048576</memory><vcpu>4</vcpu><os><type>hvm</type></os>` +
  `<devices><disk type='file' device='disk'><source file='/img/${name}'/><target dev='vda' bus='virtio'/></disk>` +
  `<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>` +
  `<memballoon model='virtio'/></devices></domain>`;

const code = (c: number) => (e: unknown) => e instanceof VirtError && e.code === c;

describe('test driver domain operations', () => {
  let conn: Connection;
  let events: Recorded[];
  let dir: string;
  let dom: Domain;

  beforeEach(async () => {
    ({ conn, events } = await openRecording());
    dir = mkdtempSync(join(tmpdir(), 'vk-ops-'));
    dom = await conn.defineDomainXML(XML('ops'));
    await dom.create();
    await settle();
    events.length = 0;
  });
  afterEach(async () => {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('save writes libvirt\'s image format and restore starts the domain from it', async () => {
    const file = join(dir, 'ops.save');
    await dom.save(file);
    const img = readFileSync(file);
    assert.equal(img.subarray(0, 15).toString('latin1'), 'TestGuestMagic\0');
    const len = img.readInt32LE(15);
    assert.match(img.toString('utf8', 19, 19 + len), /^<domain type='test'>\n  <name>ops<\/name>/);
    assert.deepEqual(await dom.getState(), { state: 5, reason: 5 });
    await conn.restoreDomain(file);
    assert.deepEqual(await dom.getState(), { state: 1, reason: 3 });
    await settle();
    assert.deepEqual(events, [['domain', 'ops', 5, 4], ['domain', 'ops', 2, 2]]);
    await assert.rejects(dom.save(file, { dxml: '<domain/>' }), code(74));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(dom.save(join(dir, 'aborted.save'), { signal: ac.signal }), code(78));
    assert.deepEqual(await dom.getState(), { state: 1, reason: 3 }, 'an aborted save leaves the domain running');
    assert.ok(!existsSync(join(dir, 'aborted.save')));
  });

  it('managed save keeps a real image until the next start', async () => {
    await dom.managedSave();
    assert.equal(await dom.hasManagedSaveImage(0), true);
    const images = join(tmpdir(), `virtkit-test-driver-${process.pid}`);
    const file = join(images, `${dom.getUUIDString()}.save`);
    assert.ok(existsSync(file));
    await assert.rejects(dom.undefine(0), code(55));
    await dom.create();
    assert.equal(await dom.hasManagedSaveImage(0), false);
    assert.ok(!existsSync(file));
    await dom.managedSave();
    assert.ok(existsSync(file));
    await conn.close();
    assert.ok(!existsSync(file), 'images go with the state when its last connection closes');
    assert.ok(!existsSync(images));
    ({ conn, events } = await openRecording());
  });

  it('snapshots form a tree with libvirt\'s XML, revert and delete', async () => {
    const s1 = await dom.snapshotCreateXML('<domainsnapshot><name>s1</name><description>first</description></domainsnapshot>', 0);
    const s2 = await dom.snapshotCreateXML('<domainsnapshot><name>s2</name></domainsnapshot>', 0);
    const xml = await s2.getXMLDesc(0);
    assert.match(xml, /^<domainsnapshot>\n  <name>s2<\/name>\n  <state>running<\/state>\n  <parent>\n    <name>s1<\/name>\n  <\/parent>\n  <creationTime>\d+<\/creationTime>\n  <memory snapshot='internal'\/>\n  <disks>\n    <disk name='vda' snapshot='internal'\/>\n  <\/disks>\n  <domain type='test'>\n    <name>ops<\/name>/);
    assert.match(await s1.getXMLDesc(0), /<description>first<\/description>/);
    await assert.rejects(dom.snapshotCreateXML('<domainsnapshot><name>s1</name></domainsnapshot>', 0), code(9));
    await dom.setMemory(524288);
    await s1.revert(0);
    assert.equal((await dom.getInfo()).memory, 1048576, 'revert restores the captured definition');
    assert.equal(await s1.isCurrent(0), true);
    const s3 = await dom.snapshotCreateXML('<domainsnapshot><name>s3</name></domainsnapshot>', 8); // HALT
    assert.deepEqual(await dom.getState(), { state: 5, reason: 7 });
    assert.equal((await s3.getParent()).getName(), 's1');
    assert.deepEqual((await s1.listAllChildren(0)).map((s) => s.getName()).sort(), ['s2', 's3']);
    assert.deepEqual((await dom.listAllSnapshots(4)).map((s) => s.getName()).sort(), ['s2', 's3'], 'LEAVES');
    assert.deepEqual((await dom.listAllSnapshots(1)).map((s) => s.getName()), ['s1'], 'ROOTS');
    await assert.rejects(s1.delete(2), code(8));
    await s1.delete(4); // CHILDREN_ONLY
    assert.deepEqual((await dom.listAllSnapshots(0)).map((s) => s.getName()), ['s1']);
    assert.equal((await dom.snapshotCurrent(0)).getName(), 's1');
  });

  it('memory and vCPUs change live and config definitions separately', async () => {
    await dom.setMemoryFlags(262144, 2); // config
    assert.equal((await dom.getInfo()).memory, 1048576, 'live balloon unchanged');
    assert.match(await dom.getXMLDesc(2), /<currentMemory unit='KiB'>262144<\/currentMemory>/);
    await dom.setVcpusFlags(2, 1); // live
    assert.equal(await dom.getVcpusFlags(1), 2);
    assert.equal(await dom.getVcpusFlags(2), 4);
    assert.equal((await dom.getVcpus()).length, 2);
    await assert.rejects(dom.setVcpusFlags(5, 1), code(8));
    await assert.rejects(dom.setMemoryFlags(1, 1 | 2), code(8));
    await dom.destroy();
    assert.equal((await dom.getInfo()).memory, 262144, 'the config takes over at stop');
    assert.equal((await dom.getInfo()).nrVirtCpu, 4);
    await dom.setMaxMemory(2097152);
    assert.equal(await dom.getMaxMemory(), 2097152);
    await assert.rejects(dom.setMemory(1024), code(55), 'live change of an inactive domain');
  });

  it('attaches, updates and detaches devices (config and live), with DEVICE_REMOVED', async () => {
    const removed: string[] = [];
    conn.on('domain-device-removed', (_d, alias) => removed.push(alias));
    const disk = "<disk type='file' device='disk'><source file='/img/b'/><target dev='vdb' bus='virtio'/></disk>";
    await dom.attachDeviceFlags(disk, 1 | 2);
    assert.match(await dom.getXMLDesc(0), /<target dev='vdb' bus='virtio'\/>/);
    assert.match(await dom.getXMLDesc(2), /<target dev='vdb' bus='virtio'\/>/);
    await assert.rejects(dom.attachDeviceFlags(disk, 1), code(9));
    await dom.updateDeviceFlags(disk.replace('/img/b', '/img/c'), 1);
    assert.match(await dom.getXMLDesc(0), /<source file='\/img\/c'\/>/);
    assert.match(await dom.getXMLDesc(2), /<source file='\/img\/b'\/>/);
    await dom.attachDeviceFlags("<interface type='network'><source network='default'/></interface>", 1);
    assert.match(await dom.getXMLDesc(0), /<target dev='testnet1'\/>/);
    await dom.detachDeviceFlags(disk, 1);
    await settle();
    assert.deepEqual(removed, ['vdb']);
    assert.doesNotMatch(await dom.getXMLDesc(0), /vdb/);
    assert.match(await dom.getXMLDesc(2), /vdb/);
    await assert.rejects(dom.detachDeviceFlags(disk, 1), code(99));
  });

  it('stats, vCPU info and the screenshot look like libvirt\'s', async () => {
    const mem = await dom.memoryStats(13, 0);
    assert.deepEqual(mem.slice(0, 2), [{ tag: 6, val: 1048576 }, { tag: 0, val: 0 }]);
    assert.equal(Object.keys(await dom.blockStats('vda')).length, 5);
    assert.ok((await dom.blockStats('/img/ops')).rdReq > 0);
    await assert.rejects(dom.blockStats('nope'), code(8));
    assert.ok((await dom.interfaceStats('testnet0')).rxBytes > 0);
    assert.ok((await dom.interfaceStats('52:54:00:00:00:01')).txBytes > 0);
    await assert.rejects(dom.interfaceStats('eth9'), code(8));
    const shot = await dom.screenshot(0, 0);
    assert.equal(shot.mimeType, 'image/png');
    assert.deepEqual([...shot.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual((await dom.getVcpus()).map((v) => [v.number, v.state, v.cpu]), [[0, 1, 15], [1, 1, 15], [2, 1, 15], [3, 1, 15]]);
  });

  it('redefining a running domain updates its next config; createXML runs a live-only config', async () => {
    const x = (kib: number, name = 'ops2', uuid = 'aaaaaaaa-1111-2222-3333-444444444444') =>
      `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>${kib}</memory><os><type>hvm</type></os></domain>`;
    const d = await conn.defineDomainXML(x(1024));
    await d.create();
    await settle();
    events.length = 0;
    await conn.defineDomainXML(x(2048));
    await settle();
    assert.deepEqual(events, [['domain', 'ops2', 0, 1]], 'DEFINED/UPDATED');
    assert.equal((await d.getInfo()).maxMem, 1024, 'the running config is unchanged');
    await d.destroy();
    assert.equal((await d.getInfo()).maxMem, 2048, 'the new config applies after the stop');
    const live = await conn.createDomainXML(x(4096), 0);
    assert.equal((await live.getInfo()).maxMem, 4096);
    assert.equal(await live.isPersistent(), true);
    await live.destroy();
    assert.equal((await d.getInfo()).maxMem, 2048, 'the persistent config comes back');
    const tr = await conn.createDomainXML(x(1024, 'tr', 'cccccccc-1111-2222-3333-444444444444'), 0);
    await settle();
    events.length = 0;
    await conn.defineDomainXML(x(2048, 'tr', 'cccccccc-1111-2222-3333-444444444444'));
    await settle();
    assert.deepEqual(events, [['domain', 'tr', 0, 0]], 'a transient domain made persistent: DEFINED/ADDED');
    assert.equal(await tr.isPersistent(), true);
    assert.equal((await tr.getInfo()).maxMem, 1024);
  });

  it('rename emits UNDEFINED/RENAMED then DEFINED/RENAMED', async () => {
    await dom.destroy();
    await settle();
    events.length = 0;
    await dom.rename('ops2', 0);
    await settle();
    assert.deepEqual(events, [['domain', 'ops', 1, 1], ['domain', 'ops2', 0, 2]]);
    assert.equal((await conn.lookupDomainByName('ops2')).getUUIDString(), dom.getUUIDString());
    await assert.rejects(conn.lookupDomainByName('ops'), code(42));
  });
});
