/**
 * Issue 3, acceptance 4: malformed XML, duplicate names or UUIDs, missing objects and invalid
 * flags give libvirt's VirtError and leave the driver state exactly as it was.
 */
import { strict as assert } from 'node:assert';
import { VirtError, type Connection } from '@virtkit/core';
import { openRecording, settle, snapshotState, type Recorded } from './helpers.js';

interface Case {
  what: string;
  code: number;
  message?: RegExp;
  run: (c: Connection) => Promise<unknown>;
}

const DOM = (name: string, uuid?: string) =>
  `<domain type='test'><name>${name}</name>${uuid ? `<uuid>${uuid}</uuid>` : ''}<memory>1024</memory><os><type>hvm</type></os></domain>`;
const TEST_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';

const CASES: Case[] = [
  { what: 'malformed domain XML', code: 35, message: /Premature end of data|Couldn't find end of Start Tag/, run: (c) => c.defineDomainXML('<domain type="test"><name>x') },
  { what: 'domain without a name', code: 21, run: (c) => c.defineDomainXML("<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>") },
  { what: 'duplicate domain name', code: 9, message: /operation failed: domain 'test' already exists with uuid 6695eb01/, run: (c) => c.defineDomainXML(DOM('test', '11111111-2222-3333-4444-555555555555')) },
  { what: 'duplicate domain UUID', code: 9, message: /domain 'test' is already defined with uuid/, run: (c) => c.defineDomainXML(DOM('other', TEST_UUID)) },
  { what: 'createXML of a running domain', code: 55, message: /domain 'test' is already active/, run: (c) => c.createDomainXML(DOM('test', TEST_UUID), 0) },
  { what: 'missing domain by name', code: 42, message: /^Domain not found: no domain with matching name 'nope'$/, run: (c) => c.lookupDomainByName('nope') },
  { what: 'missing domain by id', code: 42, run: (c) => c.lookupDomainByID(77) },
  { what: 'invalid destroy flags', code: 8, message: /^unsupported flags \(0x400\) in function testDomainDestroyFlags$/, run: async (c) => (await c.lookupDomainByName('test')).destroy(1024) },
  { what: 'invalid list flags', code: 8, run: (c) => c.listAllDomains(1 << 20) },
  { what: 'invalid XML flags', code: 8, run: async (c) => (await c.lookupDomainByName('test')).getXMLDesc(16) },
  { what: 'invalid undefine flags', code: 8, run: async (c) => (await c.lookupDomainByName('test')).undefine(4) },
  { what: 'invalid snapshot flags', code: 8, run: async (c) => (await c.lookupDomainByName('test')).snapshotCreateXML('<domainsnapshot/>', 4) },
  { what: 'malformed snapshot XML', code: 27, run: async (c) => (await c.lookupDomainByName('test')).snapshotCreateXML('<foo/>', 0) },
  { what: 'resume of a running domain', code: 1, message: /^internal error: domain 'test' not paused$/, run: async (c) => (await c.lookupDomainByName('test')).resume() },
  { what: 'max memory of a running domain', code: 55, run: async (c) => (await c.lookupDomainByName('test')).setMaxMemory(1024) },
  { what: 'too many vCPUs', code: 8, run: async (c) => (await c.lookupDomainByName('test')).setVcpus(64) },
  { what: 'attach of a duplicate disk target', code: 9, run: async (c) => (await c.lookupDomainByName('test')).attachDeviceFlags("<disk type='file'><source file='/x'/><target dev='vda'/></disk>", 1) },
  { what: 'malformed device XML', code: 35, run: async (c) => (await c.lookupDomainByName('test')).attachDeviceFlags('<disk', 1) },
  { what: 'malformed metadata', code: 35, run: async (c) => (await c.lookupDomainByName('test')).setMetadata(2, '<a', 'k', 'http://k/', 0) },
  { what: 'restore of a missing file', code: 38, run: (c) => c.restoreDomain('/nonexistent/x.save') },
  { what: 'network without a name', code: 21, run: (c) => c.defineNetworkXML('<network></network>') },
  { what: 'duplicate network name', code: 9, run: (c) => c.defineNetworkXML('<network><name>default</name><uuid>11111111-2222-3333-4444-555555555555</uuid></network>') },
  { what: 'missing network', code: 43, run: (c) => c.lookupNetworkByName('nope') },
  { what: 'start of an active network', code: 55, run: async (c) => (await c.lookupNetworkByName('default')).create() },
  { what: 'pool without target path', code: 27, run: (c) => c.defineStoragePoolXML("<pool type='dir'><name>x</name></pool>") },
  { what: 'pool with a conflicting target', code: 9, run: (c) => c.defineStoragePoolXML("<pool type='dir'><name>x</name><target><path>/default-pool</path></target></pool>") },
  { what: 'missing pool', code: 49, run: (c) => c.lookupStoragePoolByName('nope') },
  { what: 'undefine of an active pool', code: 55, run: async (c) => (await c.lookupStoragePoolByName('default-pool')).undefine() },
  { what: 'volume without a name', code: 27, run: async (c) => (await c.lookupStoragePoolByName('default-pool')).createVolXML('<volume><capacity>1</capacity></volume>') },
  { what: 'volume larger than the pool', code: 1, run: async (c) => (await c.lookupStoragePoolByName('default-pool')).createVolXML("<volume><name>big</name><capacity unit='T'>1</capacity></volume>") },
  { what: 'missing volume', code: 50, run: (c) => c.lookupStorageVolByPath('/default-pool/nope') },
];

describe('test driver: bad input leaves the state unchanged', () => {
  let conn: Connection;
  let events: Recorded[];
  before(async () => {
    ({ conn, events } = await openRecording());
  });
  after(async () => conn.close());

  for (const c of CASES) {
    it(`${c.what} -> code ${c.code}`, async () => {
      const before = await snapshotState(conn);
      events.length = 0;
      await assert.rejects(c.run(conn), (e: unknown) => {
        assert.ok(e instanceof VirtError, `not a VirtError: ${String(e)}`);
        assert.equal(e.code, c.code, e.message);
        if (c.message) assert.match(e.message, c.message);
        return true;
      });
      await settle();
      assert.deepEqual(events, [], 'no events');
      assert.equal(await snapshotState(conn), before);
    });
  }
});
