/**
 * In-memory stdout/stderr for running vksh in-process.
 */
import type { OutStream } from '../../src/context.js';

/** Two capturing streams and accessors for what was written. */
export function captureIO(opts: { stderrTTY?: boolean } = {}): {
  stdout: OutStream;
  stderr: OutStream;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: opts.stderrTTY ?? false },
    out: () => out,
    err: () => err,
  };
}
