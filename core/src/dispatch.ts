/**
 * The one place where public API calls meet drivers.
 *
 * Every public method goes through `ConnectionCore.call()`, which, in libvirt's order, refuses
 * calls on a closed connection (VIR_ERR_INVALID_CONN), refuses mutating calls on read-only
 * connections (VIR_ERR_OPERATION_DENIED), turns a method the driver lacks into
 * VIR_ERR_NO_SUPPORT naming the public API, and makes every failure a VirtError.
 */
import { SPI_METHODS, errorDomainOfApi, type DriverFamilies, type SpiMethodName, type SpiMethods } from './api-table.js';
import { VIR_ERR_OPERATION_DENIED } from './constants/error-codes.js';
import { invalidConn, noSupport, readOnlyDenied, throwIfAborted, toVirtError } from './error-helpers.js';
import { virtError } from './errors.js';
import { EventHub } from './events.js';
import type { Connection } from './connection.js';
import type { ConnectURI, DriverConnection } from './spi.js';

/** Options of one dispatched call. */
export interface CallOptions {
  /** The public API name when it differs from the table's (virDomainDestroyFlags, ...). */
  readonly api?: string;
  /** A job's signal: an already-aborted signal rejects before the driver is called. */
  readonly signal?: AbortSignal;
  /**
   * Set when these arguments need write access although the API is read-only-safe (e.g.
   * virDomainGetXMLDesc with VIR_DOMAIN_XML_SECURE): the OPERATION_DENIED detail.
   */
  readonly denyReadOnly?: string;
  /**
   * The public API's own argument checks, run where libvirt runs them: after the connection
   * and read-only checks, before the driver is looked at.
   */
  readonly validate?: () => void;
}

type Args<M extends SpiMethodName> = Parameters<SpiMethods[M]>;
type Result<M extends SpiMethodName> = Awaited<ReturnType<SpiMethods[M]>>;

/**
 * The state of one open connection shared by the Connection and every object it hands out:
 * the driver families, the read-only flag, the closed flag and the event hub. Internal to core.
 */
export class ConnectionCore {
  /** The parsed URI the connection was opened with. */
  readonly uri: ConnectURI;
  /** Whether the connection was opened read-only. */
  readonly readOnly: boolean;
  /** Listeners and iterators of this connection's events. */
  readonly events = new EventHub();
  /** The public Connection wrapping this state (set by its constructor). */
  owner!: Connection;
  #driverName = '';
  #families: Partial<DriverFamilies> = {};
  #driverConns: DriverConnection[] = [];
  #closed = false;

  constructor(uri: ConnectURI, readOnly: boolean) {
    this.uri = uri;
    this.readOnly = readOnly;
  }

  /**
   * Attaches the opened driver connections: each family comes from the primary connection, or
   * else from the first secondary connection that serves it.
   */
  attach(driverName: string, primary: DriverConnection, secondaries: readonly DriverConnection[]): void {
    this.#driverName = driverName;
    this.#driverConns = [primary, ...secondaries];
    for (const family of ['hypervisor', 'network', 'storage'] as const) {
      const conn = this.#driverConns.find((c) => c[family] !== undefined);
      if (conn) (this.#families as Record<string, unknown>)[family] = conn[family];
    }
  }

  /** The primary driver's name (what getType() falls back to). */
  get driverName(): string {
    return this.#driverName;
  }

  /** Whether close() has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the connection's drivers implement `method`. */
  has(method: SpiMethodName): boolean {
    const family = this.#families[SPI_METHODS[method].family] as Record<string, unknown> | undefined;
    return typeof family?.[method] === 'function';
  }

  /** Throws VIR_ERR_INVALID_CONN naming `api` when the connection is closed. */
  checkOpen(api: string): void {
    if (this.#closed) throw invalidConn(api, errorDomainOfApi(api));
  }

  /** Calls `method` on the driver with libvirt's checks around it (see the module comment). */
  async call<M extends SpiMethodName>(method: M, args: Args<M>, opts: CallOptions = {}): Promise<Result<M>> {
    const info = SPI_METHODS[method];
    const api = opts.api ?? info.api;
    this.checkOpen(api);
    if (this.readOnly) {
      if (!info.readOnlyOk) throw readOnlyDenied(api, errorDomainOfApi(api));
      if (opts.denyReadOnly !== undefined) throw virtError(VIR_ERR_OPERATION_DENIED, opts.denyReadOnly, errorDomainOfApi(api));
    }
    opts.validate?.();
    const family = this.#families[info.family] as Record<string, unknown> | undefined;
    const fn = family?.[method];
    if (typeof fn !== 'function') throw noSupport(api, errorDomainOfApi(api));
    if (opts.signal) throwIfAborted(opts.signal, api, errorDomainOfApi(api));
    try {
      return (await (fn as (...a: unknown[]) => Promise<unknown>).apply(family, args)) as Result<M>;
    } catch (err) {
      throw toVirtError(err, api, errorDomainOfApi(api));
    }
  }

  /**
   * Closes every driver connection once; later calls fail with VIR_ERR_INVALID_CONN and the
   * event hub stops delivering. Errors from drivers' close() are collected and the first rethrown
   * after all were closed.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.events.close();
    const results = await Promise.allSettled(this.#driverConns.map((c) => c.close()));
    this.#families = {};
    this.#driverConns = [];
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw toVirtError(failed.reason, 'virConnectClose');
  }
}
