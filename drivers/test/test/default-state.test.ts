/**
 * test:///default: libvirt 9.0's contents byte for byte, shared by the connections of one
 * process while any is open (events cross connections), fresh once all are closed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { connect, VirtError } from '@virtkit/core';
import { openRecording, settle } from './helpers.js';

const LIBVIRT = JSON.parse(readFileSync(new URL('./fixtures/libvirt-9.0-xml.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('test:///default', () => {
  it('holds libvirt\'s domain, network, pool and node, with byte-identical XML', async () => {
    const conn = await connect('test:///default');
    try {
      const doms = await conn.listAllDomains(0);
      assert.deepEqual(doms.map((d) => [d.getName(), d.getID(), d.getUUIDString()]), [['test', 1, '6695eb01-f6a4-8304-79aa-97f2502e193f']]);
      const dom = doms[0]!;
      // node-file domains keep reason 0 (libvirt sets the runstate with reason 0)
      assert.deepEqual(await dom.getState(), { state: 1, reason: 0 });
      const info = await dom.getInfo();
      assert.deepEqual([info.state, info.maxMem, info.memory, info.nrVirtCpu], [1, 8388608, 2097152, 2]);
      assert.equal(await dom.getXMLDesc(0), LIBVIRT.test);
      assert.equal(await dom.getXMLDesc(2), LIBVIRT.test_inactive);
      assert.equal(await conn.getCapabilities(), LIBVIRT.caps);
      assert.deepEqual(await conn.getNodeInfo(), { model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 });
      const nets = await conn.listAllNetworks(0);
      assert.deepEqual(nets.map((n) => n.getName()), ['default']);
      assert.equal(await nets[0]!.getXMLDesc(0), LIBVIRT.net);
      const pools = await conn.listAllStoragePools(0);
      assert.deepEqual(pools.map((p) => p.getName()), ['default-pool']);
      assert.equal(await pools[0]!.getXMLDesc(0), LIBVIRT.pool);
      assert.deepEqual(await pools[0]!.listAllVolumes(0), []);
      assert.equal(await conn.getType(), 'TEST');
      assert.equal(await conn.getMaxVcpus(), 32);
    } finally {
      await conn.close();
    }
  });

  it('formats defined domains, metadata, networks, pools and volumes as libvirt does', async () => {
    const conn = await connect('test:///default');
    try {
      const x =
        "<domain type='test'><name>vm1</name><uuid>aaaaaaaa-1111-2222-3333-444444444444</uuid><memory>1048576</memory>" +
        "<currentMemory>524288</currentMemory><vcpu>2</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'>" +
        "<source file='/var/lib/vm1.img'/><target dev='vda' bus='virtio'/></disk><interface type='network'>" +
        "<mac address='52:54:00:11:22:33'/><source network='default'/></interface><memballoon model='virtio'/></devices></domain>";
      const vm = await conn.defineDomainXML(x);
      assert.equal(await vm.getXMLDesc(0), LIBVIRT.vm1);
      await vm.create();
      assert.equal(await vm.getXMLDesc(0), LIBVIRT.vm1_live);
      await vm.setMetadata(2, '<foo a="b"><bar>t</bar></foo>', 'k', 'http://x/', 0);
      await vm.setMetadata(1, 'My title', undefined, undefined, 0);
      await vm.setMetadata(0, 'desc & stuff', undefined, undefined, 0);
      assert.equal(await vm.getXMLDesc(0), LIBVIRT.vm1_md);
      assert.equal(await vm.getMetadata(2, 'http://x/', 0), LIBVIRT.md_get);
      const min = await conn.defineDomainXML(
        "<domain type='test'><name>min</name><uuid>bbbbbbbb-1111-2222-3333-444444444444</uuid><memory>1024</memory><os><type>hvm</type></os></domain>",
      );
      assert.equal(await min.getXMLDesc(0), LIBVIRT.min);
      const net = await conn.defineNetworkXML(
        "<network><name>net1</name><uuid>dddddddd-1111-2222-3333-444444444444</uuid><bridge name='vbr1'/><forward mode='bridge'/></network>",
      );
      assert.equal(await net.getXMLDesc(0), LIBVIRT.net1);
      const pool = await conn.defineStoragePoolXML(
        "<pool type='dir'><name>p1</name><uuid>eeeeeeee-1111-2222-3333-444444444444</uuid><target><path>/p1</path></target></pool>",
      );
      assert.equal(await pool.getXMLDesc(0), LIBVIRT.p1);
      await pool.create(0);
      const vol = await pool.createVolXML("<volume><name>v1</name><capacity unit='M'>10</capacity><allocation unit='M'>5</allocation></volume>");
      assert.equal(await vol.getXMLDesc(0), LIBVIRT.v1);
    } finally {
      await conn.close();
    }
  });

  it('is shared by open connections (with events) and fresh after the last one closes', async () => {
    const a = await openRecording();
    const b = await openRecording();
    const domA = await a.conn.lookupDomainByName('test');
    await domA.suspend();
    await settle();
    const domB = await b.conn.lookupDomainByName('test');
    assert.deepEqual(await domB.getState(), { state: 3, reason: 1 });
    assert.deepEqual(b.events, [['domain', 'test', 3, 0]]);
    assert.deepEqual(a.events, [['domain', 'test', 3, 0]]);
    await a.conn.close();
    assert.deepEqual(await domB.getState(), { state: 3, reason: 1 }, 'still shared while b is open');
    await b.conn.close();
    const c = await connect('test:///default');
    try {
      assert.deepEqual(await (await c.lookupDomainByName('test')).getState(), { state: 1, reason: 0 });
    } finally {
      await c.close();
    }
  });

  it('refuses a URI without a path', async () => {
    await assert.rejects(connect('test:///'), (e: unknown) => e instanceof VirtError && e.code === 8 && /supply a path/.test(e.message));
  });
});
