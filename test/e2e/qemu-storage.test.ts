/**
 * Disks whose source is a storage-pool volume (`<disk type='volume'>`): the QEMU driver
 * resolves them through the storage driver serving the same qemu:///embed URI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Connection } from '@virtkit/core';
import { requireHost } from '../support/host.js';
import { tempRoot } from '../../drivers/qemu/test/support/harness.js';

describe('qemu driver: storage volumes as disk sources', function () {
  this.timeout(60_000);
  let root: string;
  let conn: Connection | undefined;

  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64', 'qemu-img'], paths: ['/dev/kvm'] });
  });
  beforeEach(async () => {
    root = tempRoot('vol');
    conn = await connect(`qemu:///embed?root=${root}`);
  });
  afterEach(async () => {
    if (conn) {
      for (const d of await conn.listAllDomains(1)) await d.destroy().catch(() => undefined);
      await conn.close();
    }
    conn = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('starts a guest from a qcow2 volume of a dir pool', async function () {
    let pool;
    mkdirSync(join(root, 'pool'));
    try {
      pool = await conn!.createStoragePoolXML(`<pool type='dir'><name>vkpool</name><target><path>${join(root, 'pool')}</path></target></pool>`);
    } catch (e) {
      console.log(`      (skipped: no storage driver on qemu:///embed: ${(e as Error).message})`);
      this.skip();
    }
    await pool.createVolXML(`<volume><name>disk.qcow2</name><capacity unit='MiB'>16</capacity><target><format type='qcow2'/></target></volume>`);
    const dom = await conn!.defineDomainXML(`<domain type='kvm'><name>volguest</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
      <os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices><disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='vkpool' volume='disk.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>`);
    await dom.create();
    const blocks = await dom.qemuMonitorCommand('{"execute":"query-block"}');
    assert.match(blocks, new RegExp(`${join(root, 'pool', 'disk.qcow2').replace(/[.]/g, '\\.')}`));
    const xml = await dom.getXMLDesc();
    assert.match(xml, /<source pool='vkpool' volume='disk.qcow2'\/>/);
    assert.match(xml, /<alias name='virtio-disk0'\/>/);
    await dom.destroy();
  });
});
