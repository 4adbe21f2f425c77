/**
 * test:///default is built without parsing its XML (src/default-state.ts): it must be what
 * loading DEFAULT_NODE_XML as a node document makes, object for object, once each lazily
 * parsed definition is asked for; and a definition parsed in the middle of another call must
 * not disturb that call.
 */
import { strict as assert } from 'node:assert';
import { parseXmlDocument } from '@virtkit/xml';
import { connect } from '@virtkit/core';
import { DEFAULT_NODE_XML } from '../src/default-node.js';
import { loadDefaultNode } from '../src/default-state.js';
import { DriverState } from '../src/driver-state.js';
import { loadNode } from '../src/node-file.js';

function snapshot(st: DriverState): unknown {
  return {
    nodeInfo: st.nodeInfo,
    cells: st.cells,
    nextDomID: st.nextDomID,
    domains: [...st.domains.values()].map((d) => ({
      name: d.name,
      uuid: d.uuid,
      id: d.id,
      state: d.state,
      reason: d.reason,
      persistent: d.persistent,
      autostart: d.autostart,
      hasManagedSave: d.hasManagedSave,
      snapshots: d.snapshots?.size ?? 0,
      running: d.startedAt >= 0,
      newDef: d.newDef,
      info: [d.maxMemKiB(), d.memoryKiB(), d.vcpus()],
      def: d.def,
    })),
    networks: [...st.networks.entries()].map(([k, n]) => ({ k, name: n.name, uuid: n.uuid, active: n.active, persistent: n.persistent, autostart: n.autostart, newDef: n.newDef, def: n.def })),
    pools: [...st.pools.entries()].map(([k, p]) => ({
      k,
      name: p.name,
      uuid: p.uuid,
      active: p.active,
      persistent: p.persistent,
      autostart: p.autostart,
      sizes: [p.capacity, p.allocation, p.available],
      volumes: [...p.volumes.keys()],
      def: p.def,
    })),
  };
}

describe('test:///default built lazily', () => {
  it('equals DEFAULT_NODE_XML loaded as a node document', () => {
    const eager = new DriverState();
    eager.cells = [
      { memKiB: 2048 * 1024, freeKiB: 1024 * 1024, cpus: 8 },
      { memKiB: 2 * 2048 * 1024, freeKiB: 2 * 1024 * 1024, cpus: 8 },
    ];
    loadNode(eager, parseXmlDocument(DEFAULT_NODE_XML, { url: '(test driver)' }), undefined);
    const lazy = new DriverState();
    loadDefaultNode(lazy);
    // names, UUIDs and states before any definition is parsed
    const names = (st: DriverState) => [
      [...st.domains.values()].map((d) => [d.name, d.uuid, d.id, d.state, d.reason, d.persistent]),
      [...st.networks.values()].map((n) => [n.name, n.uuid]),
      [...st.pools.values()].map((p) => [p.name, p.uuid]),
    ];
    assert.deepEqual(names(lazy), names(eager));
    assert.deepEqual(snapshot(lazy), snapshot(eager));
  });

  it('parses each definition once, then keeps changes', async () => {
    const st = new DriverState();
    loadDefaultNode(st);
    const dom = [...st.domains.values()][0]!;
    assert.equal(dom.def, dom.def);
    dom.def.title = 'changed';
    assert.equal(dom.def.title, 'changed');
    const net = st.networks.get('default')!;
    assert.equal(net.def, net.def);
    const pool = st.pools.get('default-pool')!;
    assert.equal(pool.def, pool.def);
  });

  it('a define that generates a MAC while the default domain is first parsed keeps its own MAC', async () => {
    const conn = await connect('test:///default');
    try {
      const dom = await conn.defineDomainXML(
        "<domain type='test'><name>lazy-mac</name><memory>1024</memory><os><type>hvm</type></os>" +
          "<devices><interface type='network'><source network='default'/></interface></devices></domain>",
      );
      const first = await dom.getXMLDesc(0);
      // the default domain is parsed now, after the define
      assert.match(await (await conn.lookupDomainByName('test')).getXMLDesc(0), /aa:bb:cc:dd:ee:ff/);
      assert.equal(await dom.getXMLDesc(0), first);
      await dom.undefine();
    } finally {
      await conn.close();
    }
  });
});
