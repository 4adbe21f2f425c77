/**
 * The per-domain job lock: one job at a time (libvirt's virDomainObjBeginJob). Waiters queue
 * in order; a waiter that cannot get the lock within the timeout (30 s) fails with
 * VIR_ERR_OPERATION_TIMEOUT naming the job that holds it. `destroy` does not take the queue:
 * it runs beside the current job (see domain-lifecycle.ts), as libvirt's destroy does.
 */
import { virtError } from '@virtkit/core';
import { VIR_ERR_OPERATION_TIMEOUT } from './constants.js';

/** The default wait for a job, as libvirt's QEMU_JOB_WAIT_TIME. */
export const JOB_WAIT_MS = 30_000;

interface Waiter {
  job: string;
  grant: () => void;
}

/** A FIFO async mutex with a named holder. */
export class JobLock {
  #holder: string | undefined;
  #since = 0;
  readonly #queue: Waiter[] = [];

  /** The job currently running, if any. */
  get holder(): string | undefined {
    return this.#holder;
  }

  /** Runs `fn` as job `job` once the lock is free; releases it afterwards. */
  async run<T>(job: string, fn: () => Promise<T>, timeoutMs = JOB_WAIT_MS): Promise<T> {
    await this.#acquire(job, timeoutMs);
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(job: string, timeoutMs: number): Promise<void> {
    if (this.#holder === undefined) {
      this.#holder = job;
      this.#since = Date.now();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        job,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        const held = Math.round((Date.now() - this.#since) / 1000);
        reject(
          virtError(
            VIR_ERR_OPERATION_TIMEOUT,
            `cannot acquire state change lock (held by monitor=${this.#holder}) for ${held} s`,
          ),
        );
      }, timeoutMs);
      timer.unref?.();
      this.#queue.push(waiter);
    });
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) {
      this.#holder = next.job;
      this.#since = Date.now();
      next.grant();
    } else {
      this.#holder = undefined;
    }
  }
}
