/**
 * Preallocation (libvirt's safezero / posix_fallocate) without a native addon: Node has no
 * fallocate(2), so a long-lived `xfs_io` co-process (works on any file system; stdout made
 * line-buffered with stdbuf) runs `falloc` commands; each request ends with `help close`,
 * whose fixed output marks completion, and the result is verified with stat(2). When xfs_io
 * or stdbuf is missing, or the path cannot be quoted for xfs_io, `fallocate(1)` is spawned.
 * The co-process is unref'd: it never keeps the process alive and exits on stdin EOF.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { statSync } from 'node:fs';
import { run } from './util.js';

const SENTINEL = 'close -- close the current open file';

interface Pending {
  resolve: (stderr: string) => void;
  reject: (e: Error) => void;
}

class XfsIo {
  #proc: ChildProcessWithoutNullStreams | undefined;
  #out = '';
  #err = '';
  #queue: Pending[] = [];
  #broken = false;

  get broken(): boolean {
    return this.#broken;
  }

  #start(): ChildProcessWithoutNullStreams {
    const p = spawn('stdbuf', ['-oL', '-eL', 'xfs_io'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    p.on('error', () => this.#fail(new Error('xfs_io unavailable')));
    p.on('exit', () => this.#fail(new Error('xfs_io exited')));
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.#out += d;
      let i: number;
      while ((i = this.#out.indexOf(SENTINEL + '\n')) >= 0) {
        this.#out = this.#out.slice(i + SENTINEL.length + 1);
        const err = this.#err;
        this.#err = '';
        this.#queue.shift()?.resolve(err);
      }
      if (this.#queue.length === 0) this.#ref(false);
    });
    p.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.#err += d;
    });
    p.stdin.on('error', () => {});
    this.#proc = p;
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

  #fail(e: Error): void {
    this.#broken = true;
    this.#proc = undefined;
    for (const q of this.#queue.splice(0)) q.reject(e);
  }

  /**
   * Wakes an idle co-process with an empty line (xfs_io ignores it). A process asleep for a
   * while takes 0.1-0.2 ms to wake on a VM; done while the caller still parses and validates,
   * that delay is off the path of the fallocate that follows.
   */
  wake(): void {
    if (this.#proc && !this.#broken && this.#queue.length === 0) this.#proc.stdin.write('\n');
  }

  /**
   * Runs one batch of xfs_io commands; resolves with what it printed on stderr. The batch is
   * written at once (xfs_io answers batches in order), so the kernel starts on it while the
   * caller goes on.
   */
  exec(lines: string[]): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.#broken) return reject(new Error('xfs_io unavailable'));
      this.#proc ??= this.#start();
      this.#queue.push({ resolve, reject });
      this.#ref(true);
      this.#proc.stdin.write(lines.join('\n') + '\nhelp close\n');
    });
  }
}

const xfsIo = new XfsIo();

/** Wakes the preallocation co-process ahead of a likely fallocate (see XfsIo.wake). */
export function wakeFallocate(): void {
  xfsIo.wake();
}

/**
 * Allocates [offset, offset+length) of the regular file at `path` (extending it when needed),
 * as posix_fallocate. Throws VirtError on failure.
 */
export async function fallocate(path: string, offset: number, length: number, signal?: AbortSignal): Promise<void> {
  if (length <= 0) return;
  if (!xfsIo.broken && !/[\s"'\\]/.test(path)) {
    try {
      const err = await xfsIo.exec([`open ${path}`, `falloc ${offset} ${length}`, 'close']);
      // a stat is microseconds; a thread-pool round trip would cost more than the syscall
      const after = statSync(path);
      if (!err.trim() && after.size >= offset + length) return;
    } catch {
      // fall back to fallocate(1), which reports the error in libvirt's style
    }
  }
  await run('fallocate', ['-o', String(offset), '-l', String(length), path], { signal });
}
