/**
 * The interactive shell: virsh's banner, the prompt `vksh # ` (`vksh > ` when read-only),
 * line editing and history on a terminal (kept in $XDG_CACHE_HOME/vksh/history), and the
 * echo of each line when input is piped, as virsh's readline does.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Ctl } from './context.js';
import { runLine } from './vksh.js';

const BANNER =
  "Welcome to vksh, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n";

const HISTORY_SIZE = 500;

/** Where history lives: $XDG_CACHE_HOME/vksh/history, as virsh keeps ~/.cache/virsh/history. */
export function historyFile(env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'vksh', 'history');
}

function loadHistory(file: string): string[] {
  try {
    // readline wants the newest entry first
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string, history: readonly string[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, [...history].reverse().join('\n') + '\n');
  } catch {
    // history is a convenience: an unwritable cache must not fail the shell
  }
}

/** Runs the read-eval-print loop until quit/exit or end of input; resolves to the exit status. */
export async function runShell(ctl: Ctl, input: Readable & { isTTY?: boolean }, env: Record<string, string | undefined>): Promise<number> {
  const prompt = ctl.readOnly ? 'vksh > ' : 'vksh # ';
  const tty = Boolean(input.isTTY && ctl.stdout.isTTY);
  const histFile = historyFile(env);
  const rl = createInterface({
    input,
    output: tty ? process.stdout : undefined,
    terminal: tty,
    historySize: HISTORY_SIZE,
    history: tty ? loadHistory(histFile) : [],
    removeHistoryDuplicates: true,
  } as Parameters<typeof createInterface>[0]);
  ctl.extra(BANNER);
  if (tty) {
    // Ctrl-C drops the line being typed and shows a fresh prompt, as virsh's readline does
    rl.on('SIGINT', () => {
      // readline keeps the pending text in `line`/`cursor`; empty them without redrawing
      const state = rl as unknown as { line: string; cursor: number };
      state.line = '';
      state.cursor = 0;
      process.stdout.write('\n');
      rl.prompt();
    });
  }

  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (tty) rl.setPrompt(prompt), rl.prompt();
      else ctl.print(prompt);
      const next = await lines.next();
      if (next.done) break;
      const line = next.value;
      // readline echoes what it reads when input is not a terminal; so does vksh
      if (!tty) ctl.print(line + '\n');
      if (!line.trim()) continue;
      const res = await runLine(ctl, line);
      if (res.quit) break;
    }
  } finally {
    if (tty) saveHistory(histFile, (rl as unknown as { history: string[] }).history ?? []);
    rl.close();
  }
  ctl.print('\n');
  return 0;
}
