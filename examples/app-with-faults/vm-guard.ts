/**
 * A small application: a guard that keeps a domain running. It starts the domain with
 * retries (transient failures happen), and restarts it when it crashes.
 */
import { VirtError, type Connection, type Domain } from '@virtkit/core';

const VIR_DOMAIN_RUNNING = 1;
const VIR_DOMAIN_EVENT_STOPPED = 5;
const VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2;

/** Options of {@link VmGuard}. */
export interface VmGuardOptions {
  /** Start attempts before giving up. */
  attempts?: number;
  /** Wait between attempts, in ms. */
  backoffMs?: number;
}

/** Keeps one domain running. */
export class VmGuard {
  readonly #conn: Connection;
  readonly #name: string;
  readonly #attempts: number;
  readonly #backoffMs: number;
  /** How many times the guard restarted the domain after a crash. */
  restarts = 0;
  #pending: Promise<void> = Promise.resolve();

  constructor(conn: Connection, name: string, opts: VmGuardOptions = {}) {
    this.#conn = conn;
    this.#name = name;
    this.#attempts = opts.attempts ?? 3;
    this.#backoffMs = opts.backoffMs ?? 10;
    conn.on('domain-lifecycle', (dom, event, detail) => {
      if (dom.getName() === this.#name && event === VIR_DOMAIN_EVENT_STOPPED && detail === VIR_DOMAIN_EVENT_STOPPED_CRASHED) {
        this.restarts++;
        this.#pending = this.#pending.then(async () => void (await this.ensureRunning())).catch(() => undefined);
      }
    });
  }

  /** Starts the domain unless it runs, retrying failed starts. Resolves with the domain. */
  async ensureRunning(): Promise<Domain> {
    const dom = await this.#conn.lookupDomainByName(this.#name);
    for (let attempt = 1; ; attempt++) {
      if ((await dom.getState()).state === VIR_DOMAIN_RUNNING) return dom;
      try {
        await dom.create();
        return dom;
      } catch (e) {
        if (!(e instanceof VirtError) || attempt >= this.#attempts) throw e;
        await new Promise((resolve) => setTimeout(resolve, this.#backoffMs));
      }
    }
  }

  /** Resolves when crash handling in progress is done. */
  idle(): Promise<void> {
    return this.#pending;
  }
}
