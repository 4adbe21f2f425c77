/**
 * Connection events: typed records, listener registration and async iteration.
 *
 * Drivers report events synchronously through their DriverEventSink; the hub queues them and
 * delivers them on a microtask, in order, so a listener never runs inside a driver's call
 * stack and a throwing listener can never break a driver. A listener's exception goes to the
 * connection's 'error' listeners, or to console.error when there are none.
 */
import type { Domain } from './domain.js';
import type { Network } from './network.js';
import type { StoragePool } from './storage-pool.js';

/** One event, as `conn.events()` yields it. Numbers are libvirt's. */
export type ConnectionEvent =
  | { readonly type: 'domain-lifecycle'; readonly domain: Domain; readonly event: number; readonly detail: number }
  | { readonly type: 'domain-reboot'; readonly domain: Domain }
  | { readonly type: 'domain-balloon-change'; readonly domain: Domain; readonly actual: number }
  | { readonly type: 'domain-device-removed'; readonly domain: Domain; readonly devAlias: string }
  | { readonly type: 'network-lifecycle'; readonly network: Network; readonly event: number; readonly detail: number }
  | { readonly type: 'storage-pool-lifecycle'; readonly pool: StoragePool; readonly event: number; readonly detail: number }
  | { readonly type: 'storage-pool-refresh'; readonly pool: StoragePool };

/** The event type names: `domain-lifecycle`, `network-lifecycle`, ... */
export type ConnectionEventType = ConnectionEvent['type'];

/** Listener signatures per event name, as libvirt's callbacks (minus the connection). */
export interface ConnectionEventListeners {
  /** VIR_DOMAIN_EVENT_ID_LIFECYCLE: `event` is VIR_DOMAIN_EVENT_*, `detail` its detail enum. */
  'domain-lifecycle': (domain: Domain, event: number, detail: number) => void;
  /** VIR_DOMAIN_EVENT_ID_REBOOT. */
  'domain-reboot': (domain: Domain) => void;
  /** VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE: the new balloon size in KiB. */
  'domain-balloon-change': (domain: Domain, actual: number) => void;
  /** VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED: the removed device's alias. */
  'domain-device-removed': (domain: Domain, devAlias: string) => void;
  /** VIR_NETWORK_EVENT_ID_LIFECYCLE. */
  'network-lifecycle': (network: Network, event: number, detail: number) => void;
  /** VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE. */
  'storage-pool-lifecycle': (pool: StoragePool, event: number, detail: number) => void;
  /** VIR_STORAGE_POOL_EVENT_ID_REFRESH. */
  'storage-pool-refresh': (pool: StoragePool) => void;
  /** A listener threw: the error and the event it was handling. */
  error: (error: unknown, event: ConnectionEvent) => void;
}

/** Options of `conn.events()`. */
export interface EventIteratorOptions {
  /** Ends the iteration when aborted. */
  readonly signal?: AbortSignal;
  /** Only these event types (all when absent). */
  readonly types?: readonly ConnectionEventType[];
}

type AnyListener = (...args: never[]) => void;

function listenerArgs(ev: ConnectionEvent): unknown[] {
  switch (ev.type) {
    case 'domain-lifecycle':
      return [ev.domain, ev.event, ev.detail];
    case 'domain-reboot':
      return [ev.domain];
    case 'domain-balloon-change':
      return [ev.domain, ev.actual];
    case 'domain-device-removed':
      return [ev.domain, ev.devAlias];
    case 'network-lifecycle':
      return [ev.network, ev.event, ev.detail];
    case 'storage-pool-lifecycle':
      return [ev.pool, ev.event, ev.detail];
    case 'storage-pool-refresh':
      return [ev.pool];
  }
}

interface Subscriber {
  push(ev: ConnectionEvent): void;
  end(): void;
}

/** Listeners, subscribers and the ordered delivery queue of one connection. Internal to core. */
export class EventHub {
  #listeners = new Map<string, Set<AnyListener>>();
  #subscribers = new Set<Subscriber>();
  #queue: ConnectionEvent[] = [];
  #scheduled = false;
  #closed = false;

  /** Adds a listener. */
  on(name: string, listener: AnyListener): void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
  }

  /** Removes a listener (no-op when absent). */
  off(name: string, listener: AnyListener): void {
    this.#listeners.get(name)?.delete(listener);
  }

  /** Number of listeners and iterators interested in `type`. */
  interest(type: ConnectionEventType): number {
    return (this.#listeners.get(type)?.size ?? 0) + this.#subscribers.size;
  }

  /**
   * Queues the event of `type` whose other fields `fields` makes, calling it only when a
   * listener or iterator wants that type: a bulk define of thousands of domains emits as many
   * events, mostly to nobody.
   */
  emitFor<T extends ConnectionEventType>(type: T, fields: () => Omit<Extract<ConnectionEvent, { type: T }>, 'type'>): void {
    if (this.interest(type) > 0) this.emit({ type, ...fields() } as Extract<ConnectionEvent, { type: T }>);
  }

  /** Queues an event for in-order asynchronous delivery (dropped after close). */
  emit(ev: ConnectionEvent): void {
    if (this.#closed) return;
    this.#queue.push(ev);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#scheduled = false;
    // Events emitted by listeners during the flush are appended and delivered in this loop.
    while (this.#queue.length > 0) {
      const ev = this.#queue.shift()!;
      for (const listener of [...(this.#listeners.get(ev.type) ?? [])]) {
        try {
          const result = (listener as (...a: unknown[]) => unknown)(...listenerArgs(ev));
          // An async listener's rejection is contained too, instead of becoming an unhandled rejection.
          if (result instanceof Promise) result.catch((err: unknown) => this.#reportListenerError(err, ev));
        } catch (err) {
          this.#reportListenerError(err, ev);
        }
      }
      for (const sub of this.#subscribers) sub.push(ev);
    }
  }

  #reportListenerError(err: unknown, ev: ConnectionEvent): void {
    const handlers = [...(this.#listeners.get('error') ?? [])];
    if (handlers.length === 0) {
      console.error(`virtkit: a '${ev.type}' event listener threw:`, err);
      return;
    }
    for (const h of handlers) {
      try {
        (h as (...a: unknown[]) => void)(err, ev);
      } catch (inner) {
        console.error(`virtkit: an 'error' listener threw:`, inner);
      }
    }
  }

  /** An async iterator of events from now on; ends on abort or when the connection closes. */
  iterate(opts: EventIteratorOptions = {}): AsyncIterableIterator<ConnectionEvent> {
    const buffer: ConnectionEvent[] = [];
    const waiters: ((r: IteratorResult<ConnectionEvent>) => void)[] = [];
    const wanted = opts.types ? new Set<string>(opts.types) : undefined;
    let done = this.#closed || opts.signal?.aborted === true;
    const finish = (): void => {
      if (done && waiters.length === 0) return;
      done = true;
      this.#subscribers.delete(sub);
      opts.signal?.removeEventListener('abort', finish);
      for (const w of waiters.splice(0)) w({ value: undefined, done: true });
    };
    const sub: Subscriber = {
      push(ev) {
        if (done || (wanted && !wanted.has(ev.type))) return;
        const w = waiters.shift();
        if (w) w({ value: ev, done: false });
        else buffer.push(ev);
      },
      end: finish,
    };
    if (!done) {
      this.#subscribers.add(sub);
      opts.signal?.addEventListener('abort', finish, { once: true });
    }
    const iterator: AsyncIterableIterator<ConnectionEvent> = {
      next() {
        if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => waiters.push(resolve));
      },
      return() {
        buffer.length = 0;
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Stops delivery: pending events are dropped, listeners removed, iterators end. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#listeners.clear();
    for (const sub of [...this.#subscribers]) sub.end();
  }
}
