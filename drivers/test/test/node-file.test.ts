/**
 * test:///abs/path/node.xml: libvirt's test-driver node files (corpus), inline objects,
 * file= references, the test namespace, <auth>, and a fresh state per open.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { connect, VirtError } from '@virtkit/core';

/** libvirt 9.0's test-driver node files (tests/testdriver of the libvirt sources). */
const CORPUS = process.env.VIRTKIT_LIBVIRT_CORPUS ?? '/work/shared/corpus/libvirt-9.0.0/testdriver';

function needCorpus(ctx: Mocha.Context): void {
  if (existsSync(`${CORPUS}/testnode.xml`)) return;
  console.log(`    skipped: libvirt's test-driver node files not found in ${CORPUS} (set VIRTKIT_LIBVIRT_CORPUS)`);
  ctx.skip();
}

describe('test driver node files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vk-node-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads testnode.xml (file= references) as libvirt does', async function () {
    needCorpus(this);
    const conn = await connect(`test://${CORPUS}/testnode.xml`);
    try {
      const doms = await conn.listAllDomains(0);
      const rows = await Promise.all(doms.map(async (d) => [d.getName(), d.getID(), (await d.getState()).state, (await d.getState()).reason]));
      assert.deepEqual(rows.sort(), [['fc4', 2, 1, 0], ['fc5', 3, 1, 0], ['fv0', 1, 1, 0]]);
      const fc4 = await conn.lookupDomainByName('fc4');
      assert.equal(fc4.getUUIDString(), 'ef861801-45b9-11cb-88e3-afbfe5370493');
      const info = await fc4.getInfo();
      assert.deepEqual([info.maxMem, info.memory, info.nrVirtCpu], [261072, 131072, 1]);
      assert.deepEqual(await conn.getNodeInfo(), { model: 'i986', memory: 8192000, cpus: 50, mhz: 6000, nodes: 4, sockets: 4, cores: 4, threads: 2 });
      const nets = await conn.listAllNetworks(0);
      assert.deepEqual(nets.map((n) => n.getName()).sort(), ['default', 'private']);
      const pool = await conn.lookupStoragePoolByName('default-pool');
      // libvirt replaces a file= pool by the file's root, so its <volume> children are lost
      assert.deepEqual(await pool.listAllVolumes(0), []);
      assert.deepEqual(await pool.getInfo(), { state: 2, capacity: 107374182400, allocation: 0, available: 107374182400 });
    } finally {
      await conn.close();
    }
  });

  it('loads testnodeinline.xml with its paused domain and inline volume', async function () {
    needCorpus(this);
    const conn = await connect(`test://${CORPUS}/testnodeinline.xml`);
    try {
      assert.deepEqual(await (await conn.lookupDomainByName('fc5')).getState(), { state: 3, reason: 0 });
      const pool = await conn.lookupStoragePoolByName('default-pool');
      const vols = await pool.listAllVolumes(0);
      assert.deepEqual(vols.map((v) => v.getName()), ['default-vol']);
      assert.deepEqual(await vols[0]!.getInfo(), { type: 0, capacity: 1000000, allocation: 50000 });
      assert.equal(vols[0]!.getKey(), '/default-pool/default-vol');
      assert.deepEqual(await pool.getInfo(), { state: 2, capacity: 107374182400, allocation: 50000, available: 107374132400 });
    } finally {
      await conn.close();
    }
  });

  it('reads the test namespace: runstate, transient, hasmanagedsave, domainsnapshot (inline and file=)', async () => {
    writeFileSync(
      join(dir, 'snap2.xml'),
      "<domainsnapshot><name>s2</name><state>running</state><creationTime>200</creationTime><parent><name>s1</name></parent><active>1</active>" +
        "<domain type='test'><name>ns1</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1024</memory><os><type>hvm</type></os></domain></domainsnapshot>",
    );
    writeFileSync(
      join(dir, 'node.xml'),
      `<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>ns1</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1024</memory><os><type>hvm</type></os>
    <test:runstate>5</test:runstate><test:hasmanagedsave/>
    <test:domainsnapshot><domainsnapshot><name>s1</name><state>shutoff</state><creationTime>100</creationTime>
      <domain type='test'><name>ns1</name><uuid>11111111-2222-3333-4444-000000000001</uuid><memory>1024</memory><os><type>hvm</type></os></domain>
    </domainsnapshot></test:domainsnapshot>
    <test:domainsnapshot file='snap2.xml'/>
  </domain>
  <domain type='test' xmlns:t='http://libvirt.org/schemas/domain/test/1.0'>
    <name>ns2</name><memory>1024</memory><os><type>hvm</type></os><t:transient/><t:runstate>3</t:runstate>
  </domain>
</node>`,
    );
    const conn = await connect(`test://${dir}/node.xml`);
    try {
      const ns1 = await conn.lookupDomainByName('ns1');
      assert.deepEqual(await ns1.getState(), { state: 5, reason: 0 });
      assert.equal(await ns1.hasManagedSaveImage(0), true);
      assert.deepEqual((await ns1.listAllSnapshots(0)).map((s) => s.getName()).sort(), ['s1', 's2']);
      assert.equal((await ns1.snapshotCurrent(0)).getName(), 's2');
      assert.equal((await (await ns1.snapshotLookupByName('s2')).getParent()).getName(), 's1');
      assert.doesNotMatch(await ns1.getXMLDesc(0), /test:|runstate/);
      const ns2 = await conn.lookupDomainByName('ns2');
      assert.deepEqual(await ns2.getState(), { state: 3, reason: 0 });
      assert.equal(await ns2.isPersistent(), false);
      // a fresh state per open: changes here are not seen by another connection
      await ns2.destroy();
      const other = await connect(`test://${dir}/node.xml`);
      try {
        assert.deepEqual(await (await other.lookupDomainByName('ns2')).getState(), { state: 3, reason: 0 });
      } finally {
        await other.close();
      }
    } finally {
      await conn.close();
    }
  });

  it('rejects bad node files with libvirt\'s errors', async () => {
    writeFileSync(join(dir, 'notnode.xml'), '<nodes/>');
    await assert.rejects(connect(`test://${dir}/notnode.xml`), (e: unknown) => e instanceof VirtError && e.code === 27 && /Root element is not 'node'/.test(e.message));
    writeFileSync(join(dir, 'transient-off.xml'),
      "<node><domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>x</name><memory>1024</memory><os><type>hvm</type></os><test:transient/><test:runstate>5</test:runstate></domain></node>");
    await assert.rejects(connect(`test://${dir}/transient-off.xml`), (e: unknown) => e instanceof VirtError && /transient domain cannot have runstate 'shutoff'/.test(e.message));
    await assert.rejects(connect(`test://${dir}/missing.xml`), (e: unknown) => e instanceof VirtError && e.code === 38);
  });

  it('asks for credentials when the node file has <auth> users', async () => {
    writeFileSync(join(dir, 'auth.xml'), "<node><auth><user password='pw'>alice</user></auth></node>");
    await assert.rejects(connect(`test://${dir}/auth.xml`), (e: unknown) => e instanceof VirtError && e.code === 45);
    const answer = (user: string, pw: string) => ({
      auth: {
        callback: async (creds: { type: number; result?: string }[]) => {
          for (const c of creds) c.result = c.type === 2 ? user : pw;
        },
      },
    });
    await assert.rejects(connect(`test://${dir}/auth.xml`, answer('alice', 'nope')), (e: unknown) => e instanceof VirtError && e.code === 45);
    const conn = await connect(`test://${dir}/auth.xml`, answer('alice', 'pw'));
    await conn.close();
  });
});
