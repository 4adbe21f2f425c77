/**
 * Idle (compact) domains: what a defined, untouched domain reports must not depend on how
 * the driver keeps it — the XML it was defined from, or its canonical XML, deflated in the
 * arena — nor change between calls (generated UUIDs and MAC addresses stay).
 */
import { strict as assert } from 'node:assert';
import { connect, type Connection } from '@virtkit/core';

const body = (name: string, extra = '') =>
  `<name>${name}</name><memory unit='KiB'>131072</memory><currentMemory unit='KiB'>65536</currentMemory>` +
  `<vcpu current='2'>4</vcpu><os><type>hvm</type></os><devices>` +
  `<disk type='file' device='disk'><source file='/var/lib/${name}.img'/><target dev='vda' bus='virtio'/></disk>${extra}</devices>`;

describe('test driver idle domains', () => {
  let conn: Connection;
  const names: string[] = [];

  before(async () => {
    conn = await connect('test:///default');
  });

  afterEach(async () => {
    for (const n of names.splice(0)) await (await conn.lookupDomainByName(n)).undefine();
  });

  after(async () => {
    await conn.close();
  });

  let fillers = 0;
  const define = async (xml: string, name: string) => {
    const dom = await conn.defineDomainXML(xml);
    names.push(name);
    // the driver compacts a defined domain a few definitions later: make it happen now
    for (let i = 0; i < 9; i++) {
      const n = `idle-filler${fillers++}`;
      await conn.defineDomainXML(`<domain type='test'>${body(n)}</domain>`);
      names.push(n);
    }
    return dom;
  };

  it('keeps a generated UUID and reports info without parsing', async () => {
    const dom = await define(`<domain type='test'>${body('idle-a')}</domain>`, 'idle-a');
    const uuid = dom.getUUIDString();
    assert.deepEqual(
      { ...(await dom.getInfo()), cpuTime: 0 },
      { state: 5, maxMem: 131072, memory: 65536, nrVirtCpu: 2, cpuTime: 0 },
    );
    const xml1 = await dom.getXMLDesc(0);
    const xml2 = await dom.getXMLDesc(0);
    assert.equal(xml1, xml2);
    assert.match(xml1, new RegExp(`<uuid>${uuid}</uuid>`));
    assert.equal((await conn.lookupDomainByUUIDString(uuid)).getName(), 'idle-a');
    // parsed again for a change: the same definition, the same UUID
    await dom.setMemoryFlags(100000, 2);
    assert.equal(dom.getUUIDString(), uuid);
    assert.match(await dom.getXMLDesc(0), new RegExp(`<uuid>${uuid}</uuid>`));
    assert.equal((await dom.getInfo()).memory, 100000);
  });

  it('keeps generated MAC addresses', async () => {
    const dom = await define(
      `<domain type='test'>${body('idle-b', "<interface type='network'><source network='default'/></interface>")}</domain>`,
      'idle-b',
    );
    const xml1 = await dom.getXMLDesc(0);
    const mac = /<mac address='([0-9a-f:]+)'\/>/.exec(xml1)?.[1];
    assert.ok(mac);
    assert.equal(await dom.getXMLDesc(0), xml1);
    await dom.create();
    assert.match(await dom.getXMLDesc(0), new RegExp(`<mac address='${mac}'/>`));
    await dom.destroy();
    assert.equal(await dom.getXMLDesc(0), xml1);
  });

  it('reports the same XML whatever the defining XML looked like', async () => {
    const uuid = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
    const a = await define(`<domain type='test'>\n  <!-- a comment -->\n  <uuid>${uuid}</uuid>${body('idle-c')}</domain>`, 'idle-c');
    const ref = (await a.getXMLDesc(0)).replace(/idle-c/g, 'X');
    await a.undefine();
    names.splice(names.indexOf('idle-c'), 1);
    const b = await define(`<domain type="test"><uuid>${uuid}</uuid>${body('idle-d')}</domain>`, 'idle-d');
    assert.equal((await b.getXMLDesc(0)).replace(/idle-d/g, 'X'), ref);
    assert.equal((await b.getXMLDesc(2)).replace(/idle-d/g, 'X'), ref);
    assert.equal(b.getUUIDString(), uuid);
  });

  it('redefining an idle domain replaces what it reports', async () => {
    const dom = await define(`<domain type='test'>${body('idle-e')}</domain>`, 'idle-e');
    const uuid = dom.getUUIDString();
    await conn.defineDomainXML(`<domain type='test'><uuid>${uuid}</uuid>${body('idle-e').replace('131072', '262144')}</domain>`);
    assert.equal((await dom.getInfo()).maxMem, 262144);
    assert.match(await dom.getXMLDesc(0), /<memory unit='KiB'>262144<\/memory>/);
  });

  it('a handle follows its domain by UUID across a rename, whoever takes the old name', async () => {
    const h1 = await define(`<domain type='test'>${body('idle-f')}</domain>`, 'idle-f');
    const uuid = h1.getUUIDString();
    const h2 = await conn.lookupDomainByName('idle-f');
    await h2.rename('idle-g');
    names.splice(names.indexOf('idle-f'), 1, 'idle-g');
    await define(`<domain type='test'>${body('idle-f').replace('131072', '262144')}</domain>`, 'idle-f');
    // h1 still says idle-f, but stands for the domain now called idle-g
    assert.equal((await h1.getInfo()).maxMem, 131072);
    assert.match(await h1.getXMLDesc(0), /<name>idle-g<\/name>/);
    assert.equal((await conn.lookupDomainByUUIDString(uuid)).getName(), 'idle-g');
    assert.notEqual((await conn.lookupDomainByName('idle-f')).getUUIDString(), uuid);
  });

  it('the UUID index, once built, follows defines and undefines', async () => {
    const uuids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const d = await conn.defineDomainXML(`<domain type='test'>${body(`idle-u${i}`)}</domain>`);
      names.push(`idle-u${i}`);
      uuids.push(d.getUUIDString());
    }
    assert.equal((await conn.lookupDomainByUUIDString(uuids[5]!)).getName(), 'idle-u5');
    await (await conn.lookupDomainByName('idle-u5')).undefine();
    names.splice(names.indexOf('idle-u5'), 1);
    await assert.rejects(conn.lookupDomainByUUIDString(uuids[5]!), (e: unknown) => (e as { code?: number }).code === 42);
    const uuid = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    await define(`<domain type='test'><uuid>${uuid}</uuid>${body('idle-v')}</domain>`, 'idle-v');
    assert.equal((await conn.lookupDomainByUUIDString(uuid)).getName(), 'idle-v');
    // a duplicate UUID under another name is refused
    await assert.rejects(
      conn.defineDomainXML(`<domain type='test'><uuid>${uuid}</uuid>${body('idle-w')}</domain>`),
      /already defined with uuid/,
    );
  });

  it('many idle domains: list, info and lookups agree', async () => {
    for (let i = 0; i < 300; i++) {
      await conn.defineDomainXML(`<domain type='test'>${body(`idle-many${i}`)}</domain>`);
      names.push(`idle-many${i}`);
    }
    const doms = (await conn.listAllDomains(0)).filter((d) => d.getName().startsWith('idle-many'));
    assert.equal(doms.length, 300);
    for (const d of doms) {
      assert.equal((await d.getInfo()).nrVirtCpu, 2);
      assert.equal((await conn.lookupDomainByName(d.getName())).getUUIDString(), d.getUUIDString());
    }
  });
  it('answers for its UUID through refs handed out before it was undefined while compact', async () => {
    const dom = await define(`<domain type='test'>${body('idle-gone')}</domain>`, 'idle-gone');
    const uuid = dom.getUUIDString();
    const [listed] = (await conn.listAllDomains(0)).filter((d) => d.getName() === 'idle-gone');
    names.splice(names.indexOf('idle-gone'), 1);
    await listed!.undefine();
    // the arena entry that held the UUID is gone; both handles still answer with it
    assert.equal(dom.getUUIDString(), uuid);
    assert.equal(listed!.getUUIDString(), uuid);
    await assert.rejects(dom.getInfo(), { code: 42 });
    // a new domain of the same name is another domain for the old handles
    await conn.defineDomainXML(`<domain type='test'>${body('idle-gone')}</domain>`);
    names.push('idle-gone');
    await assert.rejects(dom.getInfo(), { code: 42 });
    assert.notEqual((await conn.lookupDomainByName('idle-gone')).getUUIDString(), uuid);
  });

  it('lists the same Domain objects again while their refs are unchanged', async () => {
    await define(`<domain type='test'>${body('idle-same')}</domain>`, 'idle-same');
    const first = await conn.listAllDomains(0);
    const second = await conn.listAllDomains(0);
    assert.equal(first.length, second.length);
    assert.ok(first.every((d, i) => d === second[i]));
    // starting a domain replaces its ref (new id): a new object, with the new id
    const dom = first.find((d) => d.getName() === 'idle-same')!;
    await dom.create();
    const third = await conn.listAllDomains(0);
    const started = third.find((d) => d.getName() === 'idle-same')!;
    assert.notEqual(started, dom);
    assert.ok(started.getID() > 0);
    await started.destroy();
  });
});
