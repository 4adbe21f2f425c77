/*
 * Bundle step 2: runs the bundled vksh once (`list --all` on test:///default) with
 * VKSH_WRITE_CODE_CACHE=1, so bin/vksh.js stores V8's code cache for the functions a
 * typical start compiles. Without the cache vksh still works, only slower to start.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const bin = path.join(__dirname, '..', 'bin', 'vksh.js');
const res = spawnSync(process.execPath, [bin, '-c', 'test:///default', 'list', '--all'], {
  env: { ...process.env, VKSH_WRITE_CODE_CACHE: '1' },
  encoding: 'utf8',
});
if (res.status !== 0) {
  process.stderr.write(`warning: vksh code cache not written: ${res.stderr}`);
}
