/**
 * Acceptance 1 and 2: every corpus document survives parse -> format as the same configuration
 * (xmlcanon.py), the output validates against libvirt's RelaxNG schema, formatting is a
 * fixed point, and the typed model itself survives format -> parse unchanged.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireHost } from '../../../test/support/host.js';
import { CORPUS, corpusFiles, KINDS, TOOLS } from './support/corpus.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('corpus round trip (libvirt 9.0 test documents)', function () {
  this.timeout(120_000);
  let tmp: string;

  before(function () {
    requireHost(this, { binaries: ['python3', 'xmllint'], paths: [CORPUS, join(TOOLS, 'xmlcanon.py')] });
    tmp = mkdtempSync(join(tmpdir(), 'vkxml-corpus-'));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('parse -> format gives the same configuration, schema-valid, as a fixed point', () => {
    const failures: string[] = [];
    const pairs: string[] = [];
    const outputs = new Map<string, string[]>();
    let total = 0;
    let bytesSame = 0;
    for (const kind of KINDS) {
      const outDir = join(tmp, kind.dir);
      mkdirSync(outDir);
      const outs: string[] = [];
      for (const file of corpusFiles(kind)) {
        total++;
        const input = readFileSync(file, 'utf8');
        let out: string;
        try {
          out = kind.roundTrip(input);
        } catch (e) {
          failures.push(`${basename(file)}: ${(e as Error).message}`);
          continue;
        }
        if (out === input) bytesSame++;
        if (kind.roundTrip(out) !== out) failures.push(`${basename(file)}: not a fixed point`);
        if (!kind.modelStable(input)) failures.push(`${basename(file)}: typed model changes through format`);
        const outFile = join(outDir, basename(file));
        writeFileSync(outFile, out);
        outs.push(outFile);
        pairs.push(`${file}\t${outFile}`);
      }
      outputs.set(kind.schema, outs);
    }
    // one python process for every comparison: the same canon()/first_diff() as xmlcanon.py
    const canon = spawnSync('python3', [join(here, 'support', 'canon-batch.py'), TOOLS], { input: pairs.join('\n'), encoding: 'utf8' });
    assert.equal(canon.status, 0, canon.stderr);
    const diffLines = canon.stdout.split('\n').filter((l) => l.includes('\t'));
    assert.match(canon.stdout, new RegExp(`compared ${pairs.length}\\n`));
    const identical = pairs.length - diffLines.length;
    let valid = 0;
    for (const [schema, files] of outputs) {
      if (!files.length) continue;
      const lint = spawnSync('xmllint', ['--noout', '--relaxng', join(CORPUS, 'schemas', schema), ...files], { encoding: 'utf8' });
      const lines = lint.stderr.split('\n');
      valid += lines.filter((l) => l.endsWith(' validates')).length;
      for (const l of lines) if (l.endsWith(' fails to validate')) failures.push(`schema: ${l}`);
    }
    console.log(`    corpus: ${identical}/${total} identical, ${valid}/${total} schema-valid (${bytesSame}/${total} byte-identical to libvirt's file)`);
    for (const l of diffLines) failures.push(`differs: ${l}`);
    assert.deepEqual(failures.slice(0, 20), []);
    assert.equal(identical, total);
    assert.equal(valid, total);
  });
});
