/*
 * Bundle step 2: runs the bundled vksh with VKSH_WRITE_CODE_CACHE naming the script whose V8
 * code cache a run stores, so each cache holds the functions a typical use compiles:
 * `list --all` on test:///default for the bundle, XML documents dumped for the XML chunk,
 * `help` for the help chunk, domain and pool lists on an empty qemu:///embed root for the
 * drivers chunk. Without the caches vksh still works, only slower to start.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const bin = path.join(__dirname, '..', 'bin', 'vksh.js');
// an empty embed root: the drivers chunk's run needs no QEMU and leaves nothing behind
const root = mkdtempSync(path.join(tmpdir(), 'vksh-cache-'));
const RUNS = [
  ['vksh-drivers', ['-c', `qemu:///embed?root=${root}`, 'list --all; pool-list --all']],
  // the XML and help chunks first: the bundle's own cache comes from the last, typical run
  ['vksh-xml', ['-c', 'test:///default', 'dumpxml test; net-dumpxml default; pool-dumpxml default-pool; dumpxml --inactive test']],
  ['vksh-help', ['-c', 'test:///default', 'help list']],
  ['vksh', ['-c', 'test:///default', 'list', '--all']],
];
// a cache a run accepts is stored again with what that run added: start from none
for (const [name] of RUNS) rmSync(path.join(__dirname, '..', 'dist', `${name}.cjs.cache`), { force: true });
let failed = false;
for (const [name, args] of RUNS) {
  const res = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, VKSH_WRITE_CODE_CACHE: name },
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    process.stderr.write(`warning: vksh code cache of ${name} not written: ${res.stderr}`);
    failed = true;
  }
}
rmSync(root, { recursive: true, force: true });
if (failed) process.exitCode = 0; // the bin works without its caches
