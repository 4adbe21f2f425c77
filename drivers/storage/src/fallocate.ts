/**
 * Preallocation (libvirt's safezero / posix_fallocate) without a native addon: Node has no
 * fallocate(2), so a long-lived `xfs_io` co-process (works on any file system; stdout made
 * line-buffered with stdbuf, stderr joined to it with `sh -c 'exec "$@" 2>&1'`) runs `falloc`
 * commands; each request ends with `help close`, whose fixed output marks completion. On
 * success open/falloc/close print nothing, and errors (perror) reach the same pipe before the
 * marker, so whatever precedes the marker is the request's error: no stat(2) to verify. When
 * xfs_io, stdbuf or sh is missing, or the path cannot be quoted for xfs_io, `fallocate(1)` is
 * spawned.
 * The co-process is unref'd: it never keeps the process alive and exits on stdin EOF.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { run } from './util.js';

const SENTINEL = 'close -- close the current open file';

interface Pending {
  resolve: (stderr: string) => void;
  reject: (e: Error) => void;
}

class XfsIo {
  #proc: ChildProcessByStdio<Writable, Readable, null> | undefined;
  #out = '';
  #queue: Pending[] = [];
  #broken = false;
  #chain: Promise<unknown> = Promise.resolve();

  get broken(): boolean {
    return this.#broken;
  }

  #start(): ChildProcessByStdio<Writable, Readable, null> {
    // stderr on the stdout pipe: an error is ordered before the completion marker it belongs to
    const p = spawn('sh', ['-c', 'exec "$@" 2>&1', 'sh', 'stdbuf', '-oL', '-eL', 'xfs_io'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    p.on('error', () => this.#fail(new Error('xfs_io unavailable')));
    p.on('exit', () => this.#fail(new Error('xfs_io exited')));
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.#out += d;
      let i: number;
      while ((i = this.#out.indexOf(SENTINEL + '\n')) >= 0) {
        const err = this.#out.slice(0, i);
        this.#out = this.#out.slice(i + SENTINEL.length + 1);
        this.#queue.shift()?.resolve(err);
      }
      if (this.#queue.length === 0) this.#ref(false);
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
    for (const s of [p.stdin, p.stdout] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (on) s.ref?.();
      else s.unref?.();
    }
  }

  #fail(e: Error): void {
    this.#broken = true;
    this.#proc = undefined;
    for (const q of this.#queue.splice(0)) q.reject(e);
  }

  /** Runs one batch of xfs_io commands; resolves with what it printed (its errors; nothing on success). */
  exec(lines: string[]): Promise<string> {
    const job = this.#chain.then(
      () =>
        new Promise<string>((resolve, reject) => {
          if (this.#broken) return reject(new Error('xfs_io unavailable'));
          this.#proc ??= this.#start();
          this.#queue.push({ resolve, reject });
          this.#ref(true);
          this.#proc.stdin.write(lines.join('\n') + '\nhelp close\n');
        }),
    );
    this.#chain = job.catch(() => {});
    return job;
  }
}

const xfsIo = new XfsIo();

/**
 * Allocates [offset, offset+length) of the regular file at `path` (extending it when needed),
 * as posix_fallocate. Throws VirtError on failure.
 */
export async function fallocate(path: string, offset: number, length: number, signal?: AbortSignal): Promise<void> {
  if (length <= 0) return;
  if (!xfsIo.broken && !/[\s"'\\]/.test(path)) {
    try {
      const err = await xfsIo.exec([`open ${path}`, `falloc ${offset} ${length}`, 'close']);
      if (!err.trim()) return;
    } catch {
      // fall back to fallocate(1), which reports the error in libvirt's style
    }
  }
  await run('fallocate', ['-o', String(offset), '-l', String(length), path], { signal });
}
