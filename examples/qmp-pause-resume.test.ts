/**
 * Runs examples/qmp-pause-resume.ts as a user would and checks what it prints.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireHost } from '../test/support/host.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('examples/qmp-pause-resume.ts', function () {
  this.timeout(30_000);
  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64'] });
  });

  it('starts QEMU, resumes, pauses, resumes, prints the events and quits', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@virtkit/source', '--import', 'tsx', join(here, 'qmp-pause-resume.ts')],
      { timeout: 25_000 },
    );
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^connected to QEMU 7\.2\.\d+ \(oob on\)$/);
    assert.deepEqual(
      lines.filter((l) => l.startsWith('event ') || l.startsWith('status ')).map((l) => l.replace(/ \{.*$/, '')),
      ['status prelaunch', 'event RESUME', 'status running', 'event STOP', 'status paused', 'event RESUME', 'status running', 'event SHUTDOWN'],
    );
    assert.equal(lines.at(-1), 'closed (shutdownSeen=true)');
  });
});
