/**
 * connect(): libvirt's virConnectOpenAuth. Resolves the URI (argument, then
 * VIRTKIT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, then probing built-in drivers), finds the
 * primary driver by scheme, opens it, and completes the connection with secondary drivers
 * for the families the primary lacks (the storage driver on qemu:/// URIs).
 */
import { VIR_ERR_NO_CONNECT } from './constants/error-codes.js';
import { VIR_FROM_NONE } from './constants/error-domains.js';
import { Connection } from './connection.js';
import { ConnectionCore } from './dispatch.js';
import { Domain } from './domain.js';
import { throwIfAborted, toVirtError } from './error-helpers.js';
import { virtError } from './errors.js';
import { Network } from './network.js';
import { findPrimaryDriver, findSecondaryDrivers, loadBuiltinDriver, BUILTIN_DRIVERS } from './registry.js';
import type { ConnectAuth, DriverConnection, DriverEventSink, VirtDriver } from './spi.js';
import { StoragePool } from './storage-pool.js';
import { defaultURI, parseURI } from './uri.js';

/** Options of connect(). */
export interface ConnectOptions {
  /** Open read-only (virConnectOpenReadOnly): mutating APIs fail with VIR_ERR_OPERATION_DENIED. */
  readonly readOnly?: boolean;
  /** Credentials callback (virConnectOpenAuth). */
  readonly auth?: ConnectAuth;
  /** Aborts opening (VIR_ERR_OPERATION_ABORTED). */
  readonly signal?: AbortSignal;
}

/** The sink a driver reports events to: refs become objects of this connection. */
function eventSink(core: ConnectionCore): DriverEventSink {
  const hub = core.events;
  return {
    domainLifecycle: (dom, event, detail) => hub.emitFor('domain-lifecycle', () => ({ domain: new Domain(core, dom), event, detail })),
    domainReboot: (dom) => hub.emitFor('domain-reboot', () => ({ domain: new Domain(core, dom) })),
    domainBalloonChange: (dom, actual) => hub.emitFor('domain-balloon-change', () => ({ domain: new Domain(core, dom), actual })),
    domainDeviceRemoved: (dom, devAlias) => hub.emitFor('domain-device-removed', () => ({ domain: new Domain(core, dom), devAlias })),
    networkLifecycle: (net, event, detail) => hub.emitFor('network-lifecycle', () => ({ network: new Network(core, net), event, detail })),
    storagePoolLifecycle: (pool, event, detail) =>
      hub.emitFor('storage-pool-lifecycle', () => ({ pool: new StoragePool(core, pool), event, detail })),
    storagePoolRefresh: (pool) => hub.emitFor('storage-pool-refresh', () => ({ pool: new StoragePool(core, pool) })),
  };
}

/** Built-in schemes probed, in order, when no URI is given anywhere (libvirt probes QEMU). */
const PROBE_ORDER: readonly string[] = ['qemu'];

/** libvirt's QEMU URI probe: the system instance for root, the session one otherwise. */
function probeURI(scheme: string): string {
  const root = process.getuid?.() === 0;
  return `${scheme}:///${root ? 'system' : 'session'}`;
}

async function resolveURI(uri: string | undefined): Promise<string> {
  if (uri !== undefined && uri !== '') return uri;
  const fromEnv = defaultURI();
  if (fromEnv !== undefined) return fromEnv;
  for (const scheme of PROBE_ORDER) {
    const spec = BUILTIN_DRIVERS[scheme];
    if (spec && !((await loadBuiltinDriver(spec)) instanceof Error)) return probeURI(scheme);
  }
  throw virtError(
    VIR_ERR_NO_CONNECT,
    '<null> (no URI given, VIRTKIT_DEFAULT_URI and LIBVIRT_DEFAULT_URI unset, no built-in driver to probe)',
    VIR_FROM_NONE,
  );
}

/**
 * Opens a connection (virConnectOpen / virConnectOpenReadOnly / virConnectOpenAuth).
 *
 * Unknown schemes, and URIs naming a remote host or a transport (virtkit has no remote
 * driver), fail with VIR_ERR_NO_CONNECT "no connection driver available for <uri>".
 */
export async function connect(uri?: string, opts: ConnectOptions = {}): Promise<Connection> {
  throwIfAborted(opts.signal, 'virConnectOpen');
  const raw = await resolveURI(uri);
  const parsed = parseURI(raw);
  const found = await findPrimaryDriver(parsed.scheme);
  if (typeof found === 'string') throw virtError(VIR_ERR_NO_CONNECT, raw, VIR_FROM_NONE);
  if ((parsed.host !== undefined || parsed.transport !== undefined) && !found.remote) {
    throw virtError(VIR_ERR_NO_CONNECT, raw, VIR_FROM_NONE);
  }
  const core = new ConnectionCore(parsed, opts.readOnly === true);
  const ctx = { uri: parsed, readOnly: core.readOnly, auth: opts.auth, events: eventSink(core), signal: opts.signal };
  const primary = await openDriver(found, ctx);
  const secondaries: DriverConnection[] = [];
  try {
    const missing = (['network', 'storage'] as const).some((f) => primary[f] === undefined);
    if (missing) {
      for (const driver of await findSecondaryDrivers(parsed, found)) secondaries.push(await openDriver(driver, ctx));
    }
  } catch (err) {
    await Promise.allSettled([primary, ...secondaries].map((c) => c.close()));
    throw err;
  }
  core.attach(found.name, primary, secondaries);
  return new Connection(core);
}

async function openDriver(driver: VirtDriver, ctx: Parameters<VirtDriver['open']>[0]): Promise<DriverConnection> {
  try {
    return await driver.open(ctx);
  } catch (err) {
    throw toVirtError(err, 'virConnectOpen');
  }
}
