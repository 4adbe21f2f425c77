/**
 * Networks and storage beyond the parity sequence: list filters, pool source discovery,
 * volume lookups across pools, and lookups of pools by volume.
 */
import { strict as assert } from 'node:assert';
import { VirtError, connect, type Connection } from '@virtkit/core';

const code = (c: number) => (e: unknown) => e instanceof VirtError && e.code === c;

describe('test driver networks and storage', () => {
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect('test:///default');
  });
  afterEach(async () => conn.close());

  it('filters networks by state and persistence', async () => {
    await conn.defineNetworkXML("<network><name>n1</name><bridge name='vbr9'/></network>");
    const names = async (flags: number) => (await conn.listAllNetworks(flags)).map((n) => n.getName()).sort();
    assert.deepEqual(await names(2), ['default'], 'ACTIVE');
    assert.deepEqual(await names(1), ['n1'], 'INACTIVE');
    assert.deepEqual(await names(4), ['default', 'n1'], 'PERSISTENT');
    assert.deepEqual(await names(8), [], 'TRANSIENT');
    await assert.rejects(conn.listAllNetworks(1 << 10), code(8));
    assert.equal(await (await conn.lookupNetworkByName('n1')).getBridgeName(), 'vbr9');
  });

  it('discovers pool sources as libvirt\'s test driver does', async () => {
    assert.match(await conn.findStoragePoolSources('logical'), /<name>testvg1<\/name>[\s\S]*<name>testvg2<\/name>/);
    assert.equal(
      await conn.findStoragePoolSources('netfs', "<source><host name='nfs.example'/></source>"),
      "<sources>\n  <source>\n    <host name='nfs.example'/>\n    <dir path='/testshare'/>\n    <format type='nfs'/>\n  </source>\n</sources>\n",
    );
    await assert.rejects(conn.findStoragePoolSources('netfs'), code(8));
    // libvirt 9.0's quirks: 'dir' is "unknown", an unknown type "does not support discovery"
    await assert.rejects(conn.findStoragePoolSources('dir'), code(1));
    await assert.rejects(conn.findStoragePoolSources('bogus'), code(3));
    await assert.rejects(conn.findStoragePoolSources('iscsi'), code(3));
  });

  it('finds volumes by key and path across pools, and their pool', async () => {
    const pool = await conn.createStoragePoolXML("<pool type='dir'><name>tp</name><target><path>/tp</path></target></pool>");
    const vol = await pool.createVolXML("<volume><name>disk.img</name><capacity unit='G'>1</capacity></volume>");
    assert.equal(await vol.getPath(), '/tp/disk.img');
    assert.equal((await conn.lookupStorageVolByKey('/tp/disk.img')).getName(), 'disk.img');
    assert.equal((await conn.lookupStorageVolByPath('/tp/disk.img')).getName(), 'disk.img');
    assert.equal((await conn.lookupStoragePoolByVolume(vol)).getName(), 'tp');
    assert.deepEqual(await vol.getInfo(), { type: 0, capacity: 1073741824, allocation: 1073741824 });
    const names = async (flags: number) => (await conn.listAllStoragePools(flags)).map((p) => p.getName()).sort();
    assert.deepEqual(await names(8), ['tp'], 'TRANSIENT');
    assert.deepEqual(await names(64), ['default-pool', 'tp'], 'DIR');
    assert.deepEqual(await names(512), [], 'LOGICAL');
    await assert.rejects(pool.setAutostart(true), code(8));
    await pool.destroy();
    await assert.rejects(conn.lookupStoragePoolByName('tp'), code(49));
    await assert.rejects(conn.lookupStorageVolByPath('/tp/disk.img'), code(50));
  });
});
