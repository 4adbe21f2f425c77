/**
 * Long-lived `xfs_io` co-processes: Node has no fallocate(2) and its thread-pool reads and
 * writes cost a round trip each, so preallocation and file-to-file copies are xfs_io commands
 * (xfs_io works on any file system). A process costs 5-7 ms to start, so it is kept and reused.
 * stdout is made line-buffered with stdbuf; every request ends with `help close`, whose fixed
 * output marks its completion. Idle co-processes are unref'd: they never keep the process alive,
 * and exit on stdin EOF (when the last storage connection closes, or with the process).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const SENTINEL = 'close -- close the current open file';

/** What xfs_io printed for one request. */
export interface XfsIoReply {
  out: string;
  err: string;
}

interface Pending {
  resolve: (r: XfsIoReply) => void;
  reject: (e: Error) => void;
}

/**
 * The life of a co-process handle:
 * - `stopped`: no process (not started yet, ended, or exited on its own); the next request
 *   starts one;
 * - `running`: a process answers requests in order;
 * - `unavailable`: xfs_io (or stdbuf) could not be run; every request fails at once, and the
 *   callers use their fallbacks;
 * - `killed`: stopped on purpose (an abort or a failed copy); a leased handle in this state is
 *   dropped, not reused.
 */
export type XfsIoState = 'stopped' | 'running' | 'unavailable' | 'killed';

/** One xfs_io co-process, answering requests in order. */
export class XfsIo {
  #proc: ChildProcessWithoutNullStreams | undefined;
  #state: XfsIoState = 'stopped';
  #out = '';
  #err = '';
  #queue: Pending[] = [];

  /** Where this handle is in its life (see XfsIoState). */
  get state(): XfsIoState {
    return this.#state;
  }

  /** Whether the handle can take requests (running, or stopped and able to start again). */
  get usable(): boolean {
    return this.#state === 'running' || this.#state === 'stopped';
  }

  /** Whether requests are waiting for their answer. */
  get busy(): boolean {
    return this.#queue.length > 0;
  }

  #start(): ChildProcessWithoutNullStreams {
    const p = spawn('stdbuf', ['-oL', '-eL', 'xfs_io'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    // stdbuf missing: 'error'; xfs_io missing: stdbuf exits with 127
    p.on('error', () => this.#stop(p, 'unavailable', new Error('xfs_io unavailable')));
    p.on('exit', (code) => this.#stop(p, code === 127 ? 'unavailable' : 'stopped', new Error(code === 127 ? 'xfs_io unavailable' : 'xfs_io exited')));
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.#out += d;
      let i: number;
      while ((i = this.#out.indexOf(SENTINEL + '\n')) >= 0) {
        const out = this.#out.slice(0, i);
        this.#out = this.#out.slice(i + SENTINEL.length + 1);
        const err = this.#err;
        this.#err = '';
        this.#queue.shift()?.resolve({ out, err });
      }
      if (this.#queue.length === 0) this.#ref(false);
    });
    p.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.#err += d;
    });
    p.stdin.on('error', () => {});
    this.#proc = p;
    this.#state = 'running';
    this.#ref(false);
    return p;
  }

  /** Keeps the event loop alive only while requests are pending. */
  #ref(on: boolean): void {
    const p = this.#proc;
    if (!p) return;
    if (on) p.ref();
    else p.unref();
    for (const s of [p.stdin, p.stdout, p.stderr] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (on) s.ref?.();
      else s.unref?.();
    }
  }

  /** The process `p` has gone (or is to go): pending requests fail with `e`. */
  #stop(p: ChildProcessWithoutNullStreams | undefined, state: XfsIoState, e: Error): void {
    if (p !== this.#proc) return; // a process of the past
    if (this.#state !== 'killed' && this.#state !== 'unavailable') this.#state = state;
    this.#proc = undefined;
    this.#out = '';
    this.#err = '';
    for (const q of this.#queue.splice(0)) q.reject(e);
  }

  /**
   * Wakes an idle co-process with an empty line (xfs_io ignores it). A process asleep for a
   * while takes 0.1-0.2 ms to wake on a VM; done while the caller still parses and validates,
   * that delay is off the path of the request that follows.
   */
  wake(): void {
    if (this.#proc && this.#queue.length === 0) this.#proc.stdin.write('\n');
  }

  /**
   * Runs one batch of xfs_io commands; resolves with what it printed. The batch is written at
   * once (xfs_io answers batches in order), so the kernel starts on it while the caller goes on.
   * stderr and stdout are separate pipes: an error text may arrive after the answer, so callers
   * check the effect (a stat, or the "wrote N/N bytes" line of pwrite) rather than stderr alone.
   */
  exec(lines: string[]): Promise<XfsIoReply> {
    return new Promise<XfsIoReply>((resolve, reject) => {
      if (this.#state === 'unavailable') return reject(new Error('xfs_io unavailable'));
      if (this.#state === 'killed') return reject(new Error('xfs_io killed'));
      const p = this.#proc ?? this.#start();
      this.#queue.push({ resolve, reject });
      this.#ref(true);
      p.stdin.write(lines.join('\n') + '\nhelp close\n');
    });
  }

  /** Text that arrived on stderr since the last answer (error texts may trail the answer). */
  takeStderr(): string {
    const e = this.#err;
    this.#err = '';
    return e;
  }

  /** Stops the co-process at once for good (pending requests reject): aborts a request. */
  kill(): void {
    const p = this.#proc;
    this.#state = 'killed';
    this.#stop(p, 'killed', new Error('xfs_io killed'));
    p?.kill('SIGKILL');
  }

  /** Ends an idle co-process (stdin EOF); a later request starts a new one. */
  end(): void {
    const p = this.#proc;
    if (!p || this.#queue.length > 0) return;
    this.#stop(p, 'stopped', new Error('xfs_io ended'));
    p.stdin.end();
  }
}

/** Idle co-processes for copies (one job holds one at a time; at most two are kept). */
const idle: XfsIo[] = [];
const IDLE_MAX = 2;

/**
 * A co-process of its own for a copy job; hand it back with {@link releaseXfsIo}. Only usable
 * idle handles are kept, and an idle one stays usable (nothing kills a handle nobody holds).
 */
export function leaseXfsIo(): XfsIo {
  return idle.pop() ?? new XfsIo();
}

/** Returns a leased co-process to the pool (a killed, unavailable or busy one is dropped). */
export function releaseXfsIo(io: XfsIo): void {
  if (io.busy || !io.usable) io.kill();
  else if (idle.length < IDLE_MAX) idle.push(io);
  else io.end();
}

/** The co-process for preallocation (short requests, shared by every caller). */
export const fallocateIo = new XfsIo();

/** Ends every idle co-process (the storage driver's last connection has closed). */
export function endIdleXfsIo(): void {
  for (const io of idle.splice(0)) io.end();
  fallocateIo.end();
}
