/**
 * The `vksh` program: runs vksh on the process's arguments and exits with its status.
 *
 * Output goes straight to file descriptors 1 and 2 with fs.writeSync rather than through
 * process.stdout: creating Node's stdout stream loads the stream machinery, a measurable part
 * of a short command's run time. Writes are synchronous, so nothing is lost at exit.
 */
import { fstatSync, writeSync } from 'node:fs';
import type { OutStream } from './context.js';
import { isBundled } from './driver-loader.js';
import { runVksh } from './vksh.js';

/** A synchronous writer on a file descriptor that waits out EAGAIN on non-blocking pipes. */
export function fdStream(fd: number): OutStream {
  let tty: boolean | undefined;
  return {
    // node:tty would load node:net and the streams; a character device is what matters here
    // (a progress bar drawn into /dev/null is harmless).
    get isTTY(): boolean {
      if (tty === undefined) {
        try {
          tty = fstatSync(fd).isCharacterDevice();
        } catch {
          tty = false;
        }
      }
      return tty;
    },
    write(text: string): boolean {
      let buf = Buffer.from(text, 'utf8');
      while (buf.length > 0) {
        try {
          buf = buf.subarray(writeSync(fd, buf));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue;
          if (code === 'EPIPE') process.exit(1);
          throw e;
        }
      }
      return true;
    },
  };
}

/** Runs vksh as a program. */
export async function main(): Promise<void> {
  // The bundle runs only the in-memory test driver: closing it at exit would be wasted time.
  const code = await runVksh(process.argv.slice(2), { stdout: fdStream(1), stderr: fdStream(2), skipClose: isBundled() });
  // Leftover handles (a driver's timers, stdin) must not keep a finished command alive.
  process.exit(code);
}
