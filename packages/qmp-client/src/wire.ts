/**
 * Shapes of the messages on the wire (QMP specification, docs/interop/qmp-spec.txt) and the
 * options and records shared by the connection classes.
 */

/** QEMU's version triple as in the greeting and `query-version`. */
export interface QemuVersionTriple {
  major: number;
  minor: number;
  micro: number;
}

/** The greeting QEMU sends when a client connects. */
export interface QmpGreeting {
  version: { qemu: QemuVersionTriple; package: string };
  /** Capabilities offered, e.g. `['oob']`. */
  capabilities: string[];
}

/** A reply as received: `return` or `error`, with our id. */
export interface QmpReplyMessage {
  id?: unknown;
  return?: unknown;
  error?: { class: string; desc: string };
}

/** States of a connection, in order; `closed` is final. */
export type QmpState = 'connecting' | 'negotiating' | 'ready' | 'closing' | 'closed';

/** What the `close` event reports. */
export interface QmpCloseInfo {
  /** True when QEMU sent a SHUTDOWN event before the connection ended. */
  shutdownSeen: boolean;
  /** Why the connection ended, when it was not a clean EOF or `close()`. */
  error?: Error;
}

/** A reply that came after its command had timed out or been aborted (dropped). */
export interface QmpLateReply {
  id: number;
  command: string;
  /** The raw reply message. */
  reply: QmpReplyMessage;
}

/**
 * The subset of a pino logger the client uses. Traffic is logged at debug level; pass any
 * pino logger (or a child) as `options.logger`.
 */
export interface QmpLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  isLevelEnabled?(level: string): boolean;
}

/** Options of a connection (all optional). */
export interface QmpConnectionOptions {
  /** Default per-command timeout in ms; 0 disables. Default 30,000. */
  commandTimeout?: number;
  /** Time allowed for connecting, the greeting and negotiation, in ms. Default 10,000. */
  connectTimeout?: number;
  /** Largest message accepted from QEMU, in bytes. Default 10 MiB. */
  maxMessageSize?: number;
  /** Enable out-of-band execution when QEMU offers it. Default true. */
  oob?: boolean;
  /** A pino (or compatible) logger; traffic is logged at debug level. */
  logger?: QmpLogger;
  /** Aborts connecting and negotiation. */
  signal?: AbortSignal;
}

/** Per-command options of `execute`. */
export interface QmpExecuteOptions {
  /** Timeout in ms for this command (overrides the default); 0 disables. */
  timeout?: number;
  /** Abort the wait; the reply, if it comes later, is dropped. */
  signal?: AbortSignal;
  /** Send as `exec-oob` (requires the `oob` capability to be negotiated). */
  oob?: boolean;
}

/** Options of `waitForEvent`. */
export interface QmpWaitOptions<E> {
  /** Only an event for which this returns true resolves the wait. */
  predicate?: (event: E) => boolean;
  /** Reject with QmpTimeoutError after this many ms; default: wait forever. */
  timeout?: number;
  /** Abort the wait (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Options of `events()`. */
export interface QmpEventsOptions {
  /** Only these event names; default all. */
  names?: readonly string[];
  /** Ends the iteration when aborted. */
  signal?: AbortSignal;
}
