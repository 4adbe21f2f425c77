/**
 * docs/support-matrix.md must match what the built-in drivers implement now. A driver that
 * cannot be probed on this host is skipped with its reason; run `npm run support-matrix`
 * after changing a driver's method set.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMatrix, probeBuiltinDrivers, type DriverColumn } from '../../scripts/support-matrix-lib.js';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'support-matrix.md');

describe('docs/support-matrix.md', function () {
  this.timeout(60000);
  let cols: DriverColumn[];

  before(async () => {
    cols = await probeBuiltinDrivers();
  });

  it('lists exactly the SPI methods each available built-in driver implements', function () {
    let md: string;
    try {
      md = readFileSync(FILE, 'utf8');
    } catch {
      assert.fail(`${FILE} is missing: run npm run support-matrix`);
    }
    const recorded = parseMatrix(md);
    let compared = 0;
    for (const col of cols) {
      if (!col.methods) {
        console.log(`      (${col.scheme} not compared: ${col.unavailable})`);
        continue;
      }
      const inFile = recorded.get(col.scheme);
      assert.ok(inFile, `${col.scheme} is not probed in the file: run npm run support-matrix`);
      const added = [...col.methods].filter((m) => !inFile.has(m));
      const removed = [...inFile].filter((m) => !col.methods!.has(m));
      assert.ok(
        added.length === 0 && removed.length === 0,
        `${col.scheme} now implements [${added.join(', ')}] and no longer [${removed.join(', ')}]: run npm run support-matrix`,
      );
      compared++;
    }
    if (compared === 0) this.skip();
  });
});
