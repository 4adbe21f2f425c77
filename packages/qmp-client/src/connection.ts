/**
 * The protocol state machine: greeting, capability negotiation, id-matched commands, events
 * and disconnect handling over any byte stream (a socket, or a child's stdio pipes).
 *
 * States: connecting -> negotiating -> ready -> closing -> closed (any state may go straight
 * to closed when the peer goes away). Commands are only sent in `ready` (plus
 * `qmp_capabilities` itself while negotiating).
 */
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { QmpCapabilityError, QmpDisconnectedError, QmpError, QmpProtocolError, QmpRequestError, QmpTimeoutError } from './errors.js';
import { createEventStream } from './event-stream.js';
import { waitForEvent } from './event-wait.js';
import type { QmpEvent, QmpEventOf } from './events.js';
import { DEFAULT_MAX_MESSAGE_SIZE, LineSplitter } from './line-splitter.js';
import { loggerFromEnvironment } from './logger.js';
import { PendingCommands } from './pending-commands.js';
import { requestLimitViolation } from './request-limits.js';
import type {
  QmpCloseInfo,
  QmpConnectionOptions,
  QmpEventsOptions,
  QmpExecuteOptions,
  QmpGreeting,
  QmpLateReply,
  QmpLogger,
  QmpReplyMessage,
  QmpState,
  QmpWaitOptions,
} from './wire.js';

/** Default per-command timeout (ms). */
export const DEFAULT_COMMAND_TIMEOUT = 30_000;
/** Default connect + negotiation timeout (ms). */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;

const ALLOWED: Record<QmpState, readonly QmpState[]> = {
  connecting: ['negotiating', 'closed'],
  negotiating: ['ready', 'closing', 'closed'],
  ready: ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

/** Listener signatures of a connection's events (typed `on`/`once`/`off`). */
export interface QmpConnection {
  /** Every QMP event. */
  on(name: 'event', listener: (event: QmpEvent) => void): this;
  /** The connection ended (once). */
  on(name: 'close', listener: (info: QmpCloseInfo) => void): this;
  /** The connection changed state. */
  on(name: 'state', listener: (state: QmpState) => void): this;
  /** A reply arrived for a command that had timed out or been aborted; it was dropped. */
  on(name: 'late-reply', listener: (reply: QmpLateReply) => void): this;
  /** QEMU sent an error without an id (see the README). */
  on(name: 'unmatched-error', listener: (error: QmpError) => void): this;
  /** One QMP event by name, e.g. `STOP`. */
  on<N extends string>(name: N, listener: (event: QmpEventOf<N>) => void): this;
  /** As `on`, once. */
  once(name: 'event', listener: (event: QmpEvent) => void): this;
  once(name: 'close', listener: (info: QmpCloseInfo) => void): this;
  once(name: 'state', listener: (state: QmpState) => void): this;
  once(name: 'late-reply', listener: (reply: QmpLateReply) => void): this;
  once(name: 'unmatched-error', listener: (error: QmpError) => void): this;
  once<N extends string>(name: N, listener: (event: QmpEventOf<N>) => void): this;
}

/**
 * One QMP session over a byte stream. {@link QmpClient} adds the ways to open one and the typed
 * command wrappers; this class is the protocol.
 *
 * Emits: `event` (every QMP event), each event by its name (`STOP`, ...), `close`
 * ({@link QmpCloseInfo}), `state` (new state), `late-reply` ({@link QmpLateReply}) and
 * `unmatched-error` ({@link QmpError} that came without an id).
 */
export class QmpConnection extends EventEmitter {
  #state: QmpState = 'connecting';
  #greeting: QmpGreeting | undefined;
  #oobEnabled = false;
  #shutdownSeen = false;
  #nextId = 0;
  readonly #pending = new PendingCommands();
  readonly #options: QmpConnectionOptions;
  readonly #log: QmpLogger | undefined;
  readonly #splitter: LineSplitter;
  #output: Writable | undefined;
  #destroy: (() => void) | undefined;
  #outBuf = '';
  #flushScheduled = false;
  #closeInfo: QmpCloseInfo | undefined;
  readonly #closed: Promise<QmpCloseInfo>;
  #resolveClosed!: (info: QmpCloseInfo) => void;
  #onGreeting: ((g: QmpGreeting) => void) | undefined;
  /** An id-less error was seen and no reply with an id has come since. */
  #inIdlessRun = false;

  /** Creates an unattached connection in state `connecting`; see `QmpClient.connect`. */
  constructor(options: QmpConnectionOptions = {}) {
    super();
    this.#options = options;
    const log = options.logger ?? loggerFromEnvironment();
    this.#log = log && (log.isLevelEnabled ? log.isLevelEnabled('debug') : true) ? log : undefined;
    this.#splitter = new LineSplitter((line) => this.#onLine(line), options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE);
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  /** The current state. */
  get state(): QmpState {
    return this.#state;
  }

  /** The greeting QEMU sent (undefined before it arrives). */
  get greeting(): QmpGreeting | undefined {
    return this.#greeting;
  }

  /** True when out-of-band execution was negotiated. */
  get oobEnabled(): boolean {
    return this.#oobEnabled;
  }

  /** True once QEMU has sent a SHUTDOWN event on this connection. */
  get shutdownSeen(): boolean {
    return this.#shutdownSeen;
  }

  /** Number of commands sent and not yet answered. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Resolves (never rejects) when the connection has closed, with the `close` event's info. */
  get closed(): Promise<QmpCloseInfo> {
    return this.#closed;
  }

  /**
   * Takes over a byte stream (`input` and `output` may be the same socket), waits for the
   * greeting and negotiates capabilities. Resolves when `ready`; on failure the connection is
   * closed and the promise rejects.
   * @param destroy tears the transport down (defaults to destroying both streams).
   */
  async attach(input: Readable, output: Writable = input as unknown as Writable, destroy?: () => void): Promise<void> {
    if (this.#state !== 'connecting') throw new QmpProtocolError(`attach() in state ${this.#state}`);
    this.#output = output;
    this.#destroy =
      destroy ??
      (() => {
        input.destroy();
        if ((output as unknown) !== input) output.destroy();
      });
    this.#setState('negotiating');
    // A stream with an encoding set hands out strings; the splitter works on bytes.
    input.on('data', (chunk: Buffer | string) => this.#onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    input.on('end', () => this.#onEnd());
    input.on('error', (err: Error) => this.#finish(err));
    input.on('close', () => this.#finish(undefined));
    if ((output as unknown) !== input) output.on('error', (err: Error) => this.#finish(err));
    const timeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const signal = this.#options.signal;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      // Settles only on failure: EOF, timeout or abort during negotiation.
      const failure = new Promise<never>((_resolve, reject) => {
        // A protocol error (bad greeting, garbage) is more useful to the caller than "closed".
        this.#closed.then((info) =>
          reject(info.error ?? new QmpDisconnectedError('qmp_capabilities', 'connection ended during negotiation')),
        );
        if (timeout > 0) timer = setTimeout(() => reject(new QmpTimeoutError('connect', timeout)), timeout);
        if (signal) {
          onAbort = () => reject(signal.reason);
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }
      });
      failure.catch(() => {});
      const greeting = new Promise<QmpGreeting>((resolve) => {
        this.#onGreeting = resolve;
      });
      const g = await Promise.race([greeting, failure]);
      const offered = Array.isArray(g.capabilities) ? g.capabilities : [];
      const enable = this.#options.oob !== false && offered.includes('oob') ? ['oob'] : [];
      await Promise.race([this.#send('qmp_capabilities', enable.length ? { enable } : undefined, {}, true), failure]);
      this.#oobEnabled = enable.length > 0;
      this.#setState('ready');
    } catch (err) {
      this.#finish(err instanceof Error ? err : new Error(String(err)));
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends a command and resolves with its `return` value, or rejects with {@link QmpError}
   * (QEMU refused it), {@link QmpTimeoutError}, the signal's reason, or
   * {@link QmpDisconnectedError}.
   */
  execute(command: string, args?: Record<string, unknown>, options: QmpExecuteOptions = {}): Promise<unknown> {
    return this.#send(command, args, options, false);
  }

  #send(command: string, args: Record<string, unknown> | undefined, options: QmpExecuteOptions, negotiating: boolean): Promise<unknown> {
    if (this.#state !== 'ready' && !(negotiating && this.#state === 'negotiating')) {
      return Promise.reject(new QmpDisconnectedError(command, `connection is ${this.#state}`, { cause: this.#closeInfo?.error }));
    }
    const oob = options.oob === true;
    if (oob && !this.#oobEnabled) {
      return Promise.reject(new QmpCapabilityError(`'${command}' with oob: out-of-band execution was not negotiated`));
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let argsJson = '';
    if (args !== undefined) {
      argsJson = JSON.stringify(args);
      const violation = requestLimitViolation(argsJson);
      if (violation) return Promise.reject(new QmpRequestError(command, violation));
    }
    const id = ++this.#nextId;
    // Built by hand: one JSON.stringify for the arguments only.
    const line =
      (oob ? '{"exec-oob":' : '{"execute":') +
      JSON.stringify(command) +
      (args === undefined ? '' : ',"arguments":' + argsJson) +
      ',"id":' +
      id +
      '}\n';
    const timeout = options.timeout ?? this.#options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT;
    const reply = this.#pending.add(id, command, oob, timeout, signal, () => new QmpTimeoutError(command, timeout));
    if (this.#log) this.#log.debug({ qmp: 'command', id, command, arguments: args, oob }, 'qmp >>');
    this.#write(line);
    return reply;
  }

  /** Coalesces all writes of one tick into a single write (pipelined commands cost one syscall). */
  #write(line: string): void {
    this.#outBuf += line;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const data = this.#outBuf;
    this.#outBuf = '';
    if (data && this.#output && !this.#output.writableEnded && !this.#output.destroyed) this.#output.write(data);
  };

  #onData(chunk: Buffer): void {
    try {
      this.#splitter.push(chunk);
    } catch (err) {
      this.#finish(err as Error);
    }
  }

  #onLine(line: string): void {
    if (this.#state === 'closed') return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line);
    } catch (err) {
      if (line.trim() === '') return;
      throw new QmpProtocolError(`malformed JSON from QMP peer (${(err as Error).message}): ${line.slice(0, 200)}`);
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      throw new QmpProtocolError(`QMP peer sent a non-object message: ${line.slice(0, 200)}`);
    }
    if (msg.id !== undefined || 'return' in msg || 'error' in msg) this.#onReply(msg as QmpReplyMessage);
    else if (typeof msg.event === 'string') this.#onEvent(msg as unknown as QmpEvent);
    else if (msg.QMP !== undefined) this.#onGreetingMessage(msg.QMP as QmpGreeting);
    else if (this.#log) this.#log.warn({ qmp: 'unknown', message: msg }, 'qmp: ignoring a message of unknown shape');
  }

  #onGreetingMessage(g: QmpGreeting): void {
    if (this.#greeting || this.#state !== 'negotiating') throw new QmpProtocolError('QMP peer sent a second greeting');
    if (typeof g !== 'object' || g === null || typeof g.version !== 'object') throw new QmpProtocolError('malformed QMP greeting');
    this.#greeting = g;
    if (this.#log) this.#log.debug({ qmp: 'greeting', greeting: g }, 'qmp <<');
    this.#onGreeting?.(g);
  }

  #onReply(msg: QmpReplyMessage): void {
    const id = msg.id;
    if (this.#log) this.#log.debug({ qmp: 'reply', ...msg }, 'qmp <<');
    if (id === undefined) return this.#onIdlessReply(msg);
    this.#inIdlessRun = false;
    const outcome = this.#pending.settle(id, msg);
    if (outcome.kind === 'late') {
      this.emit('late-reply', { id: id as number, command: outcome.command, reply: msg } satisfies QmpLateReply);
    } else if (outcome.kind === 'unknown' && this.#log) {
      this.#log.warn({ qmp: 'unmatched', reply: msg }, 'qmp: reply with an unknown id dropped');
    }
  }

  /**
   * An error without an id is QEMU failing to parse a request. QEMU answers in-band requests
   * in order, so every request before the bad one has been answered: the bad one is the
   * oldest in-band command still waiting, which is rejected with it. One bad request can make
   * QEMU's parser emit many such errors while it resynchronises, so only the first id-less
   * error after a reply with an id is attributed; the rest are aftermath. Every one is also
   * emitted as `unmatched-error`.
   */
  #onIdlessReply(msg: QmpReplyMessage): void {
    const e = msg.error;
    if (e === undefined) {
      if (this.#log) this.#log.warn({ qmp: 'unmatched', reply: msg }, 'qmp: id-less return dropped');
      return;
    }
    const err = this.#inIdlessRun
      ? new QmpError(String(e.class), String(e.desc), undefined, true)
      : this.#pending.rejectOldestInBand(String(e.class), String(e.desc));
    this.#inIdlessRun = true;
    if (err.command === undefined && this.#log) this.#log.warn({ qmp: 'idless-error', error: e }, 'qmp: unattributed id-less error');
    this.emit('unmatched-error', err);
  }

  #onEvent(e: QmpEvent): void {
    if (e.data === undefined) e.data = {};
    if (e.event === 'SHUTDOWN') this.#shutdownSeen = true;
    if (this.#log) this.#log.debug({ qmp: 'event', ...e }, 'qmp <<');
    try {
      this.emit('event', e);
      this.emit(e.event, e);
    } catch (err) {
      // A throwing listener must not cost the rest of the chunk; rethrow outside the parser.
      process.nextTick(() => {
        throw err;
      });
    }
  }

  #onEnd(): void {
    const partial = this.#splitter.pendingBytes;
    this.#finish(partial > 0 ? new QmpProtocolError(`connection ended in the middle of a message (${partial} bytes buffered)`) : undefined);
  }

  /**
   * Waits for the next event called `name` (matching `predicate`). The listener is in place
   * when this returns, so call it before the command that triggers the event.
   */
  waitForEvent<N extends string>(name: N, options: QmpWaitOptions<QmpEventOf<N>> = {}): Promise<QmpEventOf<N>> {
    return waitForEvent(this, this.#state === 'closed', name, options);
  }

  /**
   * An async iterator over events (all, or `names`), subscribed from this call on. It ends
   * when the connection closes or `signal` aborts; `break` unsubscribes.
   */
  events<E extends QmpEvent = QmpEvent>(options: QmpEventsOptions = {}): AsyncIterableIterator<E> {
    return createEventStream<E>(this, this.#state === 'closed', options.names, options.signal);
  }

  /**
   * Closes gracefully: no new commands, pending ones reject with QmpDisconnectedError, the
   * write side is flushed and ended, and the transport is torn down once the peer closes
   * (or after `timeout` ms). Resolves after the `close` event.
   */
  async close(timeout = 1000): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state === 'connecting') {
      this.#finish(undefined);
      return;
    }
    if (this.#state !== 'closing') {
      this.#setState('closing');
      this.#pending.rejectAll('close() was called', undefined);
      this.#flush();
      this.#output?.end();
    }
    const timer = setTimeout(() => this.#destroy?.(), timeout);
    await this.#closed;
    clearTimeout(timer);
  }

  /** The single way into `closed`: rejects everything pending, tears down, emits `close`. */
  #finish(error: Error | undefined): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    this.#splitter.reset();
    this.#outBuf = '';
    const reason = error ? error.message : this.#shutdownSeen ? 'QEMU shut down' : 'connection closed by QEMU';
    this.#pending.rejectAll(reason, error);
    this.#destroy?.();
    const info: QmpCloseInfo = error ? { shutdownSeen: this.#shutdownSeen, error } : { shutdownSeen: this.#shutdownSeen };
    this.#closeInfo = info;
    if (this.#log) this.#log.debug({ qmp: 'close', shutdownSeen: info.shutdownSeen, error: error?.message }, 'qmp closed');
    this.emit('close', info);
    this.#resolveClosed(info);
  }

  #setState(next: QmpState): void {
    if (!ALLOWED[this.#state].includes(next)) throw new QmpProtocolError(`bad QMP state transition ${this.#state} -> ${next}`);
    this.#state = next;
    this.emit('state', next);
  }
}
