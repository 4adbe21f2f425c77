/**
 * Accept mode: we listen on a unix socket and QEMU connects to us (`-qmp unix:PATH` without
 * `server=on`, or `-chardev socket,path=PATH,reconnect=N`). Connections that arrive before
 * `accept()` is called are queued.
 */
import { unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { QmpDisconnectedError, QmpTimeoutError } from './errors.js';

/** Options of {@link QmpListener.accept}. */
export interface QmpAcceptOptions {
  /** Reject with QmpTimeoutError when no peer connects (and negotiates) within this many ms. */
  timeout?: number;
  /** Abort the wait. */
  signal?: AbortSignal;
}

/** A listening unix socket that turns each incoming connection into a negotiated client. */
export class QmpListener<C> {
  readonly #server: Server;
  readonly #path: string;
  readonly #negotiate: (socket: Socket) => Promise<C>;
  readonly #queue: Socket[] = [];
  #waiter: ((s: Socket | undefined) => void) | undefined;
  #closed = false;

  private constructor(server: Server, path: string, negotiate: (socket: Socket) => Promise<C>) {
    this.#server = server;
    this.#path = path;
    this.#negotiate = negotiate;
    server.on('connection', (socket: Socket) => {
      if (this.#waiter) {
        const w = this.#waiter;
        this.#waiter = undefined;
        w(socket);
      } else {
        this.#queue.push(socket);
      }
    });
  }

  /**
   * Listens on `path` (a stale socket file there is replaced). `negotiate` turns an accepted
   * socket into a ready client; `QmpClient.listen` supplies it.
   */
  static async create<C>(path: string, negotiate: (socket: Socket) => Promise<C>): Promise<QmpListener<C>> {
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    const server = createServer({ allowHalfOpen: false });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new QmpListener(server, path, negotiate);
  }

  /** The socket path being listened on. */
  get path(): string {
    return this.#path;
  }

  /** Waits for the next peer to connect and negotiates with it. */
  async accept(options: QmpAcceptOptions = {}): Promise<C> {
    if (this.#closed) throw new QmpDisconnectedError(undefined, 'listener is closed');
    const { timeout, signal } = options;
    let socket = this.#queue.shift();
    if (!socket) {
      if (this.#waiter) throw new Error('accept() is already waiting on this listener');
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        socket = await new Promise<Socket | undefined>((resolve, reject) => {
          this.#waiter = resolve;
          if (timeout !== undefined && timeout > 0) timer = setTimeout(() => reject(new QmpTimeoutError('accept', timeout)), timeout);
          if (signal) {
            onAbort = () => reject(signal.reason);
            if (signal.aborted) onAbort();
            else signal.addEventListener('abort', onAbort, { once: true });
          }
        });
      } finally {
        this.#waiter = undefined;
        if (timer) clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      }
      if (!socket) throw new QmpDisconnectedError(undefined, 'listener closed while accepting');
    }
    return this.#negotiate(socket);
  }

  /** Stops listening, drops queued connections and removes the socket file (accepted clients stay open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#queue.splice(0)) s.destroy();
    this.#waiter?.(undefined);
    // Stops listening at once; the callback would wait for accepted clients, which live on.
    this.#server.close();
    await unlink(this.#path).catch(() => {});
  }
}
