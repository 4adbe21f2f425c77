/**
 * Shared helpers of the driver's tests: connections through core's connect(), event
 * recording, and a full snapshot of what a connection can see (for before/after checks).
 */
import { connect, type Connection } from '@virtkit/core';

/** A recorded lifecycle event: [kind, object name, event, detail]. */
export type Recorded = [string, string, number, number];

/** Opens `uri` and records lifecycle events into the returned array. */
export async function openRecording(uri = 'test:///default'): Promise<{ conn: Connection; events: Recorded[] }> {
  const conn = await connect(uri);
  const events: Recorded[] = [];
  conn.on('domain-lifecycle', (d, e, det) => events.push(['domain', d.getName(), e, det]));
  conn.on('network-lifecycle', (n, e, det) => events.push(['network', n.getName(), e, det]));
  conn.on('storage-pool-lifecycle', (p, e, det) => events.push(['pool', p.getName(), e, det]));
  return { conn, events };
}

/** Lets queued event deliveries run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Everything observable through `conn`, as JSON: domains, networks, pools, volumes. */
export async function snapshotState(conn: Connection): Promise<string> {
  const doms = [];
  for (const d of await conn.listAllDomains(0)) {
    doms.push({
      name: d.getName(),
      id: d.getID(),
      state: await d.getState(),
      persistent: await d.isPersistent(),
      xml: await d.getXMLDesc(0),
      inactive: await d.getXMLDesc(2),
      snapshots: (await d.listAllSnapshots(0)).map((s) => s.getName()).sort(),
    });
  }
  const nets = [];
  for (const n of await conn.listAllNetworks(0)) nets.push({ xml: await n.getXMLDesc(0), active: await n.isActive() });
  const pools = [];
  for (const p of await conn.listAllStoragePools(0)) {
    const active = await p.isActive();
    const vols = active ? await Promise.all((await p.listAllVolumes(0)).map((v) => v.getXMLDesc(0))) : [];
    pools.push({ xml: await p.getXMLDesc(0), info: await p.getInfo(), active, vols });
  }
  const byName = (a: { name?: string; xml: string }, b: { name?: string; xml: string }) => (a.xml < b.xml ? -1 : 1);
  return JSON.stringify({ doms: doms.sort(byName), nets: nets.sort(byName), pools: pools.sort(byName) });
}
