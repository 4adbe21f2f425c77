/**
 * Captures the golden outputs of the real virsh 9.0 (Debian libvirt-clients) on
 * test:///default: `npx tsx packages/cli/test/golden/capture.ts` rewrites cases.json.
 *
 * Every case is one fresh virsh process (test:///default's state lives per process), run in a
 * scratch copy of fixtures/ so relative file names (guest.xml, t.save) resolve the same way
 * when the golden test replays the case through vksh.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_CASES } from './cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const out: { args: string[]; stdout: string; stderr: string; status: number }[] = [];
for (const args of GOLDEN_CASES) {
  const cwd = mkdtempSync(join(tmpdir(), 'vksh-golden-'));
  cpSync(join(here, 'fixtures'), cwd, { recursive: true });
  // LC_ALL=C: virsh's messages untranslated, as vksh prints them.
  // virsh's job watcher (save, managedsave) now and then hangs on a closed stdin: retry
  let res = spawnSync('virsh', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, input: '', timeout: 15000 });
  for (let i = 0; i < 3 && res.signal; i++) {
    res = spawnSync('virsh', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, input: '', timeout: 15000 });
  }
  rmSync(cwd, { recursive: true, force: true });
  if (res.error) throw res.error;
  // libvirt reports some paths made absolute: the scratch directory is stored as <cwd>
  const scrub = (s: string): string => s.replaceAll(cwd, '<cwd>');
  out.push({ args, stdout: scrub(res.stdout), stderr: scrub(res.stderr), status: res.status ?? -1 });
}
writeFileSync(join(here, 'cases.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`captured ${out.length} cases from virsh`);
