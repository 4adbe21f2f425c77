/**
 * The `vksh` program: runs vksh on the process's arguments and streams, then exits with its
 * status (once stdout has drained, so piped output is never cut short).
 */
import { runVksh } from './vksh.js';

/** Runs vksh as a program. */
export async function main(): Promise<void> {
  const code = await runVksh(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
  process.exitCode = code;
  // Leftover handles (a driver's timers, stdin) must not keep a finished command alive.
  process.stdout.write('', () => process.exit(code));
}
