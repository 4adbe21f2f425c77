/**
 * `QmpClient`: the ways to open a QMP session (connect to QEMU's socket, accept QEMU's
 * connection, or speak over given streams) on top of the typed command wrappers.
 */
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { QmpCommands } from './commands.js';
import { DEFAULT_CONNECT_TIMEOUT } from './connection.js';
import { QmpTimeoutError } from './errors.js';
import { QmpListener } from './listener.js';
import type { QmpConnectionOptions } from './wire.js';

/** Where QEMU's QMP server listens: a unix socket path, or a TCP address. */
export type QmpTarget = string | { path: string } | { host: string; port: number };

/** Options of {@link QmpClient.connect}. */
export interface QmpConnectOptions extends QmpConnectionOptions {
  /**
   * Keep retrying while the socket does not exist yet or refuses connections (QEMU still
   * starting), until `connectTimeout`. Default false.
   */
  retry?: boolean;
  /** Delay between retries in ms. Default 20. */
  retryInterval?: number;
}

const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

/** A QMP client. Open one with {@link QmpClient.connect}, {@link QmpClient.listen} or {@link QmpClient.fromStreams}. */
export class QmpClient extends QmpCommands {
  /**
   * Connects to QEMU's QMP socket (`-qmp unix:PATH,server=on,wait=off` or `tcp:HOST:PORT,...`),
   * reads the greeting and negotiates capabilities (enabling `oob` when offered). Resolves
   * with a client in state `ready`.
   */
  static async connect(target: QmpTarget, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeout = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    // One budget for connecting (with retries) and negotiating.
    const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
    let socket: Socket;
    for (;;) {
      try {
        socket = await openSocket(target, options.signal, deadline, timeout);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (!options.retry || !code || !RETRYABLE.has(code)) throw err;
        if (Date.now() >= deadline) throw new QmpTimeoutError('connect', timeout);
        await delay(options.retryInterval ?? 20, undefined, { signal: options.signal });
      }
    }
    const remaining = deadline === Infinity ? 0 : Math.max(1, deadline - Date.now());
    const client = new QmpClient({ ...options, connectTimeout: remaining });
    await client.attach(socket, socket);
    return client;
  }

  /**
   * Speaks QMP over existing streams: e.g. a child's stdio when QEMU runs with `-qmp stdio`,
   * or a socket from an inherited fd. Resolves when negotiated.
   */
  static async fromStreams(input: Readable, output: Writable, options: QmpConnectionOptions = {}): Promise<QmpClient> {
    const client = new QmpClient(options);
    await client.attach(input, output);
    return client;
  }

  /**
   * Accept mode: listens on the unix socket `path` for QEMU to connect (`-qmp unix:PATH`
   * without `server=on`). Start QEMU after this resolves, then `await listener.accept()`.
   */
  static listen(path: string, options: QmpConnectionOptions = {}): Promise<QmpListener<QmpClient>> {
    return QmpListener.create(path, async (socket) => {
      const client = new QmpClient(options);
      await client.attach(socket, socket);
      return client;
    });
  }
}

function openSocket(target: QmpTarget, signal: AbortSignal | undefined, deadline: number, timeout: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const opts: NetConnectOpts = typeof target === 'string' ? { path: target } : { ...target };
    if (signal) opts.signal = signal;
    const socket = netConnect(opts);
    if ('host' in opts) socket.setNoDelay(true);
    // A TCP peer that never answers would otherwise hold us for the OS's connect timeout.
    const timer =
      deadline === Infinity
        ? undefined
        : setTimeout(() => {
            socket.destroy();
            reject(new QmpTimeoutError('connect', timeout));
          }, Math.max(1, deadline - Date.now()));
    const onError = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
