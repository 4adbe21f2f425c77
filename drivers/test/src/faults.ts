/**
 * Fault injection for people who unit-test code against the test driver (beyond libvirt):
 * make the next N calls of an API fail with a given error, or add latency to an API.
 * API names are the SPI's (`domainCreate`) or libvirt's (`virDomainCreate`); `*` is every API.
 */
import { VirtError, virtError } from '@virtkit/core';

/** An error to inject: a VirtError, or a code with an optional detail. */
export type InjectedError = VirtError | { code: number; detail?: string; domain?: number };

interface Failure {
  error: InjectedError;
  remaining: number;
}

/** Normalises `virDomainCreate` / `domainCreate` to the SPI name. */
export function apiKey(api: string): string {
  if (api.startsWith('vir') && api.length > 3 && api[3] === api[3]!.toUpperCase()) {
    return api[3]!.toLowerCase() + api.slice(4);
  }
  return api;
}

function materialise(e: InjectedError): VirtError {
  if (e instanceof VirtError) {
    return new VirtError(e.code, e.message, { domain: e.domain, level: e.level, detail: e.detail });
  }
  return virtError(e.code, e.detail, e.domain ?? 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The faults armed on one driver state. */
export class FaultTable {
  readonly #failures = new Map<string, Failure[]>();
  readonly #latency = new Map<string, number>();

  /** The next `count` calls of `api` reject with `error`. */
  failNext(api: string, error: InjectedError, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    const key = apiKey(api);
    const list = this.#failures.get(key) ?? [];
    list.push({ error, remaining: count });
    this.#failures.set(key, list);
  }

  /** Every call of `api` waits `ms` first (0 removes the latency). */
  setLatency(api: string, ms: number): void {
    const key = apiKey(api);
    if (ms > 0) this.#latency.set(key, ms);
    else this.#latency.delete(key);
  }

  /** Disarms everything. */
  clear(): void {
    this.#failures.clear();
    this.#latency.clear();
  }

  /** Whether nothing is armed. */
  get empty(): boolean {
    return this.#failures.size === 0 && this.#latency.size === 0;
  }

  /** Runs `call` for `api` with the armed latency and failures. */
  run<T>(api: string, call: () => Promise<T>): Promise<T> {
    const ms = this.#latency.get(api) ?? this.#latency.get('*');
    const failure = this.#take(api) ?? this.#take('*');
    if (ms === undefined && failure === undefined) return call();
    return (async () => {
      if (ms !== undefined) await sleep(ms);
      if (failure !== undefined) throw materialise(failure);
      return call();
    })();
  }

  #take(key: string): InjectedError | undefined {
    const list = this.#failures.get(key);
    const head = list?.[0];
    if (!list || !head) return undefined;
    if (--head.remaining <= 0) list.shift();
    if (list.length === 0) this.#failures.delete(key);
    return head.error;
  }
}

/**
 * Wraps every method of a driver family so armed faults apply. The wrapper takes six fixed
 * parameters (the most any SPI method has) so that, with nothing armed, a call costs one
 * property read and no argument array.
 */
export function instrument<T extends object>(family: T, faults: () => FaultTable | undefined): T {
  type Fn = (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown) => Promise<unknown>;
  const target = family as Record<string, unknown>;
  for (const key of Object.keys(target)) {
    const fn = target[key] as Fn;
    if (typeof fn !== 'function') continue;
    target[key] = (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): Promise<unknown> => {
      const table = faults();
      return table === undefined ? fn(a, b, c, d, e, f) : table.run(key, () => fn(a, b, c, d, e, f));
    };
  }
  return family;
}
