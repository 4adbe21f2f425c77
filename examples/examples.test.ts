/**
 * Every example script runs and prints what it promises.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function run(script: string, ...args: string[]): string {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const res = spawnSync(process.execPath, ['--conditions=@virtkit/source', '--import', 'tsx', file, ...args], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return res.stdout;
}

describe('examples', () => {
  it('domain-control.ts prints the states around suspend and resume', () => {
    assert.equal(run('./domain-control.ts'), 'Dom test  State 1\nDom test  State 3 (after suspend)\nDom test  State 1 (after resume)\n');
  });

  it('domain-control.ts takes the URI from argv', () => {
    assert.equal(run('./domain-control.ts', 'test:///default'), 'Dom test  State 1\nDom test  State 3 (after suspend)\nDom test  State 1 (after resume)\n');
  });

  it('event-listener.ts prints the lifecycle events of its scenario', () => {
    assert.equal(
      run('./event-listener.ts'),
      [
        'domain demo: Defined (0/0)',
        'domain demo: Started (2/0)',
        'domain demo: Suspended (3/0)',
        'domain demo: Resumed (4/0)',
        'domain demo: Stopped (5/0)',
        'domain demo: Undefined (1/0)',
        'network default: 3/0',
        'network default: 2/0',
        '',
      ].join('\n'),
    );
  });

  it('custom-driver.ts registers a driver at run time and uses it', () => {
    assert.equal(
      run('./custom-driver.ts'),
      'type: Hello\nhello state 1\nhello state 3\nreboot: this function is not supported by the connection driver: virDomainReboot\n',
    );
  });

  it('storage-volumes.ts creates, uploads, clones, downloads and removes volumes in a dir pool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-example-storage-'));
    try {
      assert.equal(
        run('./storage-volumes.ts', dir),
        [
          'created disk.img: capacity 8388608, allocation 0',
          'uploaded 4194304 bytes (100%)',
          'cloned to copy.qcow2: format qcow2, capacity 8388608',
          'download equals upload: true',
          'volumes left: 0, refresh events: 1',
          '',
        ].join('\n'),
      );
      assert.deepEqual(readdirSync(join(dir, 'pool')), [], 'no volume file left in the pool');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
