/**
 * The table of commands waiting for their reply, keyed by id, with per-command timeouts and
 * abort signals. Commands given up on (timeout, abort, id-less error) are remembered for a
 * while so that their late replies are recognised and dropped rather than mistaken for
 * replies to something else.
 */
import { QmpDisconnectedError, QmpError } from './errors.js';
import type { QmpReplyMessage } from './wire.js';

/** Ids of abandoned commands remembered so their late replies are recognised. */
const MAX_ABANDONED = 4096;

interface Pending {
  command: string;
  oob: boolean;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** What became of a reply handed to {@link PendingCommands.settle}. */
export type SettleOutcome = { kind: 'settled' } | { kind: 'late'; command: string } | { kind: 'unknown' };

/** Commands in flight. */
export class PendingCommands {
  readonly #pending = new Map<number, Pending>();
  readonly #abandoned = new Map<number, string>();

  /** Number of commands waiting. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Registers command `id`; the promise settles with its reply, or rejects with `onTimeout()`
   * after `timeout` ms (0 = never) or with the signal's reason.
   */
  add(id: number, command: string, oob: boolean, timeout: number, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const p: Pending = { command, oob, resolve, reject, timer: undefined, signal, onAbort: undefined };
      if (timeout > 0 && timeout !== Infinity) p.timer = setTimeout(() => this.abandon(id, onTimeout()), timeout);
      if (signal) {
        p.onAbort = () => this.abandon(id, signal.reason);
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.#pending.set(id, p);
    });
  }

  /** Settles the command a reply (with an id) answers. */
  settle(id: unknown, msg: QmpReplyMessage): SettleOutcome {
    const p = this.#pending.get(id as number);
    if (p === undefined) {
      const command = this.#abandoned.get(id as number);
      if (command === undefined) return { kind: 'unknown' };
      this.#abandoned.delete(id as number);
      return { kind: 'late', command };
    }
    this.#pending.delete(id as number);
    if (p.timer) clearTimeout(p.timer);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    const error = msg.error;
    if (error !== undefined) p.reject(new QmpError(String(error.class), String(error.desc), p.command));
    else p.resolve(msg.return);
    return { kind: 'settled' };
  }

  /** Stops waiting for command `id` and rejects it; its reply, if it comes, will be late. */
  abandon(id: number, error: Error): void {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    this.#cleanup(p);
    this.#abandoned.set(id, p.command);
    if (this.#abandoned.size > MAX_ABANDONED) this.#abandoned.delete(this.#abandoned.keys().next().value as number);
    p.reject(error);
  }

  /**
   * Rejects the oldest in-band command with an error QEMU sent without an id, and returns the
   * error (naming that command, or none when nothing in-band is pending).
   */
  rejectOldestInBand(errorClass: string, desc: string): QmpError {
    for (const [id, p] of this.#pending) {
      if (p.oob) continue;
      const err = new QmpError(errorClass, desc, p.command, true);
      this.abandon(id, err);
      return err;
    }
    return new QmpError(errorClass, desc, undefined, true);
  }

  /** Rejects every pending command with a QmpDisconnectedError naming it. */
  rejectAll(reason: string, cause: Error | undefined): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      this.#cleanup(p);
      p.reject(new QmpDisconnectedError(p.command, reason, { cause }));
    }
  }

  #cleanup(p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
  }
}
