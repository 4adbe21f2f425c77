/**
 * Progress bars of long jobs: drawn on stderr only when stderr is a terminal, never on
 * stdout; checked on the storage driver's dir pool (real files) and the test driver's save.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVksh } from '../src/vksh.js';
import { renderProgress } from '../src/progress.js';
import { captureIO } from './support/capture-io.js';

describe('vksh progress bars', function () {
  this.timeout(30000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vksh-progress-'));
    writeFileSync(join(root, 'data.bin'), Buffer.alloc(200000, 7));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const script = (): string =>
    'pool-define-as p dir --target pool; pool-build p; pool-start p; vol-create-as p v 256K; ' +
    'vol-upload v data.bin --pool p; vol-download v out.bin --pool p --length 200000; vol-clone v v2 --pool p';

  async function run(tty: boolean): Promise<{ out: string; err: string; status: number }> {
    const io = captureIO({ stderrTTY: tty });
    // the pool target is relative to cwd only through vksh's argument; make it absolute
    const line = script().replace('--target pool', `--target ${join(root, 'pool')}`);
    const status = await runVksh(['-c', `storage:///embed?root=${join(root, 'state')}`, line], { ...io, cwd: root, env: {} });
    return { out: io.out(), err: io.err(), status };
  }

  it('draws upload, download and clone bars on a terminal, ending at 100 %', async () => {
    const r = await run(true);
    assert.equal(r.status, 0, r.err);
    for (const label of ['Upload', 'Download', 'Clone']) {
      assert.match(r.err, new RegExp(`\\r${label}: \\[=+\\] 100 %\\n`));
    }
    assert.ok(!r.out.includes('\r'));
    assert.ok(readFileSync(join(root, 'out.bin')).equals(readFileSync(join(root, 'data.bin'))));
  });

  it('draws nothing when stderr is not a terminal, and prints the same stdout', async () => {
    const tty = await run(true);
    rmSync(join(root, 'state'), { recursive: true, force: true });
    rmSync(join(root, 'pool'), { recursive: true, force: true });
    const plain = await run(false);
    assert.equal(plain.err, '');
    assert.equal(plain.out, tty.out);
  });

  it('shows save and restore progress on the test driver', async () => {
    const io = captureIO({ stderrTTY: true });
    const status = await runVksh(['-c', 'test:///default', 'save test t.save; restore t.save'], { ...io, cwd: root, env: {} });
    assert.equal(status, 0);
    assert.equal(io.out(), "\nDomain 'test' saved to t.save\n\nDomain restored from t.save\n\n");
    assert.match(io.err(), /\rSave: \[=+\] 100 %\n\rRestore: \[=+\] 100 %\n/);
  });

  it('renders partial frames', () => {
    assert.equal(renderProgress('Upload', 1, 4), '\rUpload: [=======>                      ]  25 %');
    assert.equal(renderProgress('Upload', 0, 0), '\rUpload: [                              ]   0 %');
  });
});
