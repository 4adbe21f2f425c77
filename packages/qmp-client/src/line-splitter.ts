/**
 * Framing: QMP messages are JSON texts terminated by a newline (QEMU writes `\r\n`). QEMU
 * splits large replies over many socket reads, so partial lines are buffered until their
 * newline arrives. Messages over `maxMessageSize` bytes are refused before they are buffered
 * whole, so a runaway peer cannot exhaust memory.
 */
import { QmpProtocolError } from './errors.js';

/** Default limit on one message: 10 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Splits a byte stream into lines; calls `onLine` with each line's text (no newline). */
export class LineSplitter {
  readonly #maxSize: number;
  readonly #onLine: (line: string) => void;
  /** Chunks of the current incomplete line, and their total length. */
  #pending: Buffer[] = [];
  #pendingSize = 0;

  /** `onLine` receives each complete line, `\r` stripped by the JSON parser's whitespace rule. */
  constructor(onLine: (line: string) => void, maxSize = DEFAULT_MAX_MESSAGE_SIZE) {
    this.#onLine = onLine;
    this.#maxSize = maxSize;
  }

  /** Bytes buffered for an incomplete line. */
  get pendingBytes(): number {
    return this.#pendingSize;
  }

  /**
   * Feeds one chunk. Throws {@link QmpProtocolError} when a line exceeds the limit; lines
   * before it in the same chunk have been delivered. Errors thrown by `onLine` propagate.
   */
  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl !== -1 && this.#pendingSize > 0) {
      // Complete the buffered line with the head of this chunk.
      const size = this.#pendingSize + nl;
      this.#checkSize(size);
      this.#pending.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.#pending, size).toString('utf8');
      this.#pending = [];
      this.#pendingSize = 0;
      this.#onLine(line);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl !== -1) {
      this.#checkSize(nl - start);
      if (nl > start) this.#onLine(chunk.toString('utf8', start, nl));
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      const size = this.#pendingSize + chunk.length - start;
      this.#checkSize(size);
      this.#pending.push(chunk.subarray(start));
      this.#pendingSize = size;
    }
  }

  /** Drops any buffered partial line. */
  reset(): void {
    this.#pending = [];
    this.#pendingSize = 0;
  }

  #checkSize(size: number): void {
    if (size > this.#maxSize) {
      this.reset();
      throw new QmpProtocolError(`QMP message exceeds the ${this.#maxSize}-byte limit (at least ${size} bytes without a newline)`);
    }
  }
}
