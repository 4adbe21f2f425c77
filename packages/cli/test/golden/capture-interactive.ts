/**
 * Captures virsh 9.0's interactive shell on piped input (banner, prompt echo, blank lines):
 * `npx tsx packages/cli/test/golden/capture-interactive.ts` rewrites interactive.json.
 * vksh's shell must print the same with "virsh" read as "vksh".
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTERACTIVE_CASES } from './cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = INTERACTIVE_CASES.map(({ args, input }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'vksh-golden-'));
  cpSync(join(here, 'fixtures'), cwd, { recursive: true });
  const res = spawnSync('virsh', args, { cwd, input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 20000 });
  rmSync(cwd, { recursive: true, force: true });
  if (res.error) throw res.error;
  return { args, input, stdout: res.stdout, stderr: res.stderr, status: res.status ?? -1 };
});
writeFileSync(join(here, 'interactive.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`captured ${out.length} interactive sessions from virsh`);
