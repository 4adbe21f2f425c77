/**
 * Listening to lifecycle events: every domain, network and pool event of a connection is
 * printed with libvirt's numbers and names while a small scenario runs.
 *
 *   npx tsx examples/event-listener.ts [URI]      (default test:///default)
 */
import { connect } from '@virtkit/core';

const DOMAIN_EVENTS = ['Defined', 'Undefined', 'Started', 'Suspended', 'Resumed', 'Stopped', 'Shutdown', 'PMSuspended', 'Crashed'];

const conn = await connect(process.argv[2] ?? 'test:///default');
conn.on('domain-lifecycle', (dom, event, detail) => {
  console.log(`domain ${dom.getName()}: ${DOMAIN_EVENTS[event] ?? event} (${event}/${detail})`);
});
conn.on('network-lifecycle', (net, event, detail) => console.log(`network ${net.getName()}: ${event}/${detail}`));

const dom = await conn.defineDomainXML(
  "<domain type='test'><name>demo</name><memory unit='MiB'>256</memory><os><type>hvm</type></os></domain>",
);
await dom.create();
await dom.suspend();
await dom.resume();
await dom.shutdown();
await dom.undefine();
const net = await conn.lookupNetworkByName('default');
await net.destroy();
await net.create();
// events are delivered asynchronously; let them drain before closing
await new Promise((resolve) => setTimeout(resolve, 10));
await conn.close();
