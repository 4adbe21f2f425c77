/**
 * The contract's network and storage-pool round trips: define, start, stop, undefine with the
 * expected activity flags, codes for invalid transitions, and lifecycle (and refresh) events in
 * order. Registered by runDriverContract when the driver's options give the XML to use.
 */
import assert from 'node:assert/strict';
import {
  VIR_ERR_NO_NETWORK,
  VIR_ERR_NO_STORAGE_POOL,
  VIR_ERR_OPERATION_INVALID,
  VIR_NETWORK_EVENT_DEFINED,
  VIR_NETWORK_EVENT_STARTED,
  VIR_NETWORK_EVENT_STOPPED,
  VIR_NETWORK_EVENT_UNDEFINED,
  VIR_STORAGE_POOL_EVENT_CREATED,
  VIR_STORAGE_POOL_EVENT_DEFINED,
  VIR_STORAGE_POOL_EVENT_STARTED,
  VIR_STORAGE_POOL_EVENT_STOPPED,
  VIR_STORAGE_POOL_EVENT_UNDEFINED,
  VIR_STORAGE_POOL_INACTIVE,
  VIR_STORAGE_POOL_RUNNING,
  type Connection,
  type SpiMethodName,
} from '@virtkit/core';
import { eventually, rejectsCode } from './contract-helpers.js';

/** What the network/pool tests need from the suite. */
export interface NetworkPoolHarness {
  conn(): Connection;
  newName(): string;
  needs(ctx: Mocha.Context, ...methods: SpiMethodName[]): void;
  newNetworkXML?: (name: string) => string;
  newPoolXML?: (name: string) => string;
  /** Call pool.build() before starting the pool (pools on real storage). */
  buildPool?: boolean;
  events: boolean;
}

/** Registers the network and pool round trips (call inside the suite's describe). */
export function networkAndPoolTests(h: NetworkPoolHarness): void {
  it('network round trip: define, create, destroy, undefine, with events', async function () {
    if (!h.newNetworkXML) {
      console.log('      (skipped: no newNetworkXML given)');
      this.skip();
    }
    h.needs(this, 'networkDefineXML', 'networkCreate', 'networkDestroy', 'networkUndefine', 'networkIsActive', 'networkLookupByName');
    const conn = h.conn();
    const name = h.newName();
    const seen: [number, number][] = [];
    const listener = (net: { getName(): string }, event: number, detail: number): void => {
      if (net.getName() === name) seen.push([event, detail]);
    };
    conn.on('network-lifecycle', listener);
    try {
      const net = await conn.defineNetworkXML(h.newNetworkXML!(name));
      assert.equal(net.getName(), name);
      assert.equal(await net.isActive(), false);
      await net.create();
      assert.equal(await net.isActive(), true);
      await rejectsCode(net.create(), VIR_ERR_OPERATION_INVALID, 'create of an active network');
      await net.destroy();
      assert.equal(await net.isActive(), false);
      await net.undefine();
      await rejectsCode(conn.lookupNetworkByName(name), VIR_ERR_NO_NETWORK, 'lookup after undefine');
      if (!h.events) return;
      await eventually(() =>
        assert.deepEqual(seen, [
          [VIR_NETWORK_EVENT_DEFINED, 0],
          [VIR_NETWORK_EVENT_STARTED, 0],
          [VIR_NETWORK_EVENT_STOPPED, 0],
          [VIR_NETWORK_EVENT_UNDEFINED, 0],
        ]),
      );
    } finally {
      conn.off('network-lifecycle', listener);
    }
  });

  it('storage pool round trip: define, start, refresh, destroy, undefine, with events', async function () {
    if (!h.newPoolXML) {
      console.log('      (skipped: no newPoolXML given)');
      this.skip();
    }
    h.needs(this, 'storagePoolDefineXML', 'storagePoolCreate', 'storagePoolDestroy', 'storagePoolUndefine', 'storagePoolGetInfo', 'storagePoolLookupByName');
    const conn = h.conn();
    const name = h.newName();
    const seen: string[] = [];
    const lifecycle = (pool: { getName(): string }, event: number): void => {
      if (pool.getName() === name) seen.push(`lifecycle ${event}`);
    };
    const refresh = (pool: { getName(): string }): void => {
      if (pool.getName() === name) seen.push('refresh');
    };
    conn.on('storage-pool-lifecycle', lifecycle).on('storage-pool-refresh', refresh);
    try {
      const pool = await conn.defineStoragePoolXML(h.newPoolXML!(name));
      assert.equal((await pool.getInfo()).state, VIR_STORAGE_POOL_INACTIVE);
      if (h.buildPool) await pool.build();
      await pool.create();
      assert.equal((await pool.getInfo()).state, VIR_STORAGE_POOL_RUNNING);
      await rejectsCode(pool.create(), VIR_ERR_OPERATION_INVALID, 'create of an active pool');
      const refreshes = conn.hasDriverMethod('storagePoolRefresh');
      if (refreshes) await pool.refresh();
      await pool.destroy();
      await rejectsCode(pool.destroy(), VIR_ERR_OPERATION_INVALID, 'destroy of an inactive pool');
      assert.equal((await pool.getInfo()).state, VIR_STORAGE_POOL_INACTIVE);
      await pool.undefine();
      await rejectsCode(conn.lookupStoragePoolByName(name), VIR_ERR_NO_STORAGE_POOL, 'lookup after undefine');
      if (!h.events) return;
      const expected = [
        `lifecycle ${VIR_STORAGE_POOL_EVENT_DEFINED}`,
        // libvirt's storagePoolBuild reports the pool's storage as created.
        ...(h.buildPool ? [`lifecycle ${VIR_STORAGE_POOL_EVENT_CREATED}`] : []),
        `lifecycle ${VIR_STORAGE_POOL_EVENT_STARTED}`,
        ...(refreshes ? ['refresh'] : []),
        `lifecycle ${VIR_STORAGE_POOL_EVENT_STOPPED}`,
        `lifecycle ${VIR_STORAGE_POOL_EVENT_UNDEFINED}`,
      ];
      await eventually(() => assert.deepEqual(seen, expected));
    } finally {
      conn.off('storage-pool-lifecycle', lifecycle).off('storage-pool-refresh', refresh);
    }
  });
}
