/**
 * test:///default's state without parsing its XML: opening it (every `vksh -c test:///default`
 * run) builds the domain, network and pool from their names and UUIDs, with definitions
 * parsed from {@link DEFAULT_NODE_XML} only when a call first needs one (a `list` never does).
 *
 * The result is what loadNode makes of DEFAULT_NODE_XML (the tests compare the two): each
 * definition is parsed by the same code, and the objects get the same states in the same order.
 */
import { parseXmlDocument } from '@virtkit/xml';
import type { XmlElement } from '@virtkit/xml';
import { DomState, RunningReason } from './consts.js';
import { parseAside } from './domain-def.js';
import { DomainObj } from './domain-obj.js';
import { setRunState, startDomain } from './domain-run.js';
import { DEFAULT_DOMAIN, DEFAULT_NETWORK, DEFAULT_NODE_XML, DEFAULT_POOL, defaultCells } from './default-node.js';
import type { DriverState } from './driver-state.js';
import { LazyDef } from './lazy-def.js';
import { NetworkObj } from './network-obj.js';
import { parseNetworkDef } from './network-def.js';
import { parseNodeDomain } from './node-file.js';
import { parsePoolDef } from './pool-def.js';
import { PoolObj } from './pool-obj.js';
import { setPoolDefaults } from './storage.js';

/** Fills a fresh state with test:///default's objects, their definitions parsed on first use. */
export function loadDefaultNode(st: DriverState): void {
  st.cells = defaultCells();
  // the document is parsed once for the state, when the first definition is needed
  let root: XmlElement | undefined;
  const element = (name: string): XmlElement => {
    root ??= parseXmlDocument(DEFAULT_NODE_XML, { url: '(test driver)' });
    return root.children.find((c): c is XmlElement => c.type === 'element' && c.name === name)!;
  };

  // as loadNode's parseDomains for a running, persistent domain without snapshots
  const dom = new DomainObj(new LazyDef(DEFAULT_DOMAIN.name, DEFAULT_DOMAIN.uuid, () => parseAside(() => parseNodeDomain(element('domain')).def)));
  st.domains.add(dom);
  dom.persistent = true;
  startDomain(st, dom, RunningReason.BOOTED);
  setRunState(st, dom, DomState.RUNNING, 0);

  // as parseNetworks
  const net = new NetworkObj(new LazyDef(DEFAULT_NETWORK.name, DEFAULT_NETWORK.uuid, () => parseNetworkDef(element('network'))));
  st.networks.set(net.name, net);
  net.persistent = true;
  net.active = true;

  // as parsePools (the pool has no volumes)
  const pool = new PoolObj(new LazyDef(DEFAULT_POOL.name, DEFAULT_POOL.uuid, () => parsePoolDef(element('pool'))));
  st.pools.set(pool.name, pool);
  setPoolDefaults(pool);
  pool.active = true;
}
