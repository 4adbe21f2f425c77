/**
 * A scriptable, fault-injecting fake QMP server over in-memory streams. Each `raw()` write
 * reaches the client as its own 'data' chunk, so tests control exactly where messages split.
 */
import { PassThrough } from 'node:stream';
import { QmpClient, type QmpConnectionOptions } from '@virtkit/qmp-client';

/** A command as the fake server received it. */
export interface FakeCommand {
  execute?: string;
  'exec-oob'?: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

/** The default greeting (QEMU 7.2, oob offered). */
export const GREETING = {
  QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: 'fake' }, capabilities: ['oob'] },
};

/** An in-memory QMP peer; set `onCommand` to script replies (default: `{"return": {}}`). */
export class FakeQmp {
  /** Bytes the server sends (the client reads them). */
  readonly toClient = new PassThrough();
  /** Bytes the client sends. */
  readonly fromClient = new PassThrough();
  /** Every command received, in order (including qmp_capabilities). */
  readonly commands: FakeCommand[] = [];
  /** Scripted behaviour for commands after negotiation. */
  onCommand: (cmd: FakeCommand) => void = (cmd) => this.reply(cmd, {});
  #buf = '';

  constructor() {
    this.fromClient.setEncoding('utf8');
    // Like QEMU: when the client ends its side, hang up too.
    this.fromClient.on('end', () => this.toClient.end());
    this.fromClient.on('data', (s: string) => {
      this.#buf += s;
      let nl: number;
      while ((nl = this.#buf.indexOf('\n')) !== -1) {
        const line = this.#buf.slice(0, nl);
        this.#buf = this.#buf.slice(nl + 1);
        const cmd = JSON.parse(line) as FakeCommand;
        this.commands.push(cmd);
        if (cmd.execute === 'qmp_capabilities') this.reply(cmd, {});
        else this.onCommand(cmd);
      }
    });
  }

  /** Sends the greeting and returns a negotiated client. */
  async start(options: QmpConnectionOptions = {}, greeting: unknown = GREETING): Promise<QmpClient> {
    this.send(greeting);
    return QmpClient.fromStreams(this.toClient, this.fromClient, options);
  }

  /** Sends one message (JSON + CRLF) in one chunk. */
  send(message: unknown): void {
    this.raw(JSON.stringify(message) + '\r\n');
  }

  /** Sends raw bytes as one chunk. */
  raw(data: string | Buffer): void {
    this.toClient.write(data);
  }

  /** The wire text of a reply to `cmd`. */
  replyText(cmd: FakeCommand, value: unknown): string {
    return JSON.stringify({ return: value, id: cmd.id }) + '\r\n';
  }

  /** Replies `{"return": value}` to `cmd`. */
  reply(cmd: FakeCommand, value: unknown): void {
    this.raw(this.replyText(cmd, value));
  }

  /** Sends an event. */
  event(name: string, data?: unknown): void {
    this.send({ event: name, data, timestamp: { seconds: 1, microseconds: 2 } });
  }

  /** EOF from the server side. */
  end(): void {
    this.toClient.end();
  }
}

/** Resolves after pending I/O callbacks have run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
