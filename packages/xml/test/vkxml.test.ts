/**
 * `vkxml format|validate`: in-process through main(), and as a process (sources, and the
 * built bin when dist exists).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@virtkit/xml/cli';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOMAIN = `<domain type='kvm'><name>v</name><memory unit='MiB'>512</memory><os><type>hvm</type></os>
<devices><disk type='file' device='disk'><source file='/x.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>`;

function run(args: string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[p]!;
    },
  });
  return { code, out, err };
}

describe('vkxml', () => {
  it('format prints the normalised document, kind guessed from the root', () => {
    const r = run(['format', 'd.xml'], { 'd.xml': DOMAIN });
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    assert.match(r.out, /^<domain type='kvm'>\n {2}<name>v<\/name>\n {2}<memory unit='KiB'>524288<\/memory>\n {2}<currentMemory unit='KiB'>524288<\/currentMemory>/);
    assert.match(r.out, / {6}<target dev='vda' bus='virtio'\/>\n/);
    assert.equal(run(['format', 'o.xml'], { 'o.xml': r.out }).out, r.out);
    const mixed = "<domain type='kvm'><name>m</name><memory>1</memory><os><type>hvm</type></os><devices><interface type='user'/><disk><source file='/a'/><target dev='vda'/></disk></devices></domain>";
    assert.ok(run(['format', '--document-order', 'm'], { m: mixed }).out.indexOf('<interface') < run(['format', '--document-order', 'm'], { m: mixed }).out.indexOf('<disk'));
    assert.ok(run(['format', 'm'], { m: mixed }).out.indexOf('<interface') > run(['format', 'm'], { m: mixed }).out.indexOf('<disk'));
  });

  it('format --kind for every kind, and kind guessing past a prolog', () => {
    const docs: Record<string, string> = {
      network: '<network><name>n</name><bridge name="virbr9"/></network>',
      pool: "<pool type='dir'><name>p</name><target><path>/tmp</path></target></pool>",
      volume: "<volume><name>v</name><capacity unit='G'>1</capacity></volume>",
      snapshot: '<domainsnapshot><name>s</name></domainsnapshot>',
      capabilities: '<capabilities><host><uuid>x</uuid></host></capabilities>',
      domaincapabilities: '<domainCapabilities><path>/usr/bin/qemu</path><vcpu max="8"/></domainCapabilities>',
    };
    for (const [kind, xml] of Object.entries(docs)) {
      const explicit = run(['format', '--kind', kind, 'f'], { f: xml });
      assert.equal(explicit.code, 0, `${kind}: ${explicit.err}`);
      const guessed = run(['format', 'f'], { f: `<?xml version="1.0"?>\n<!-- c -->\n${xml}` });
      assert.equal(guessed.out, explicit.out, kind);
    }
    assert.match(run(['format', 'f'], { f: docs.volume! }).out, /<capacity unit='bytes'>1073741824<\/capacity>/);
  });

  it('validate accepts good documents and reports libvirt errors on stderr with exit 1', () => {
    assert.deepEqual(run(['validate', 'd.xml'], { 'd.xml': DOMAIN }), { code: 0, out: 'd.xml validates\n', err: '' });
    const bad = run(['validate', 'd.xml'], { 'd.xml': DOMAIN.replace('<name>v</name>', '') });
    assert.deepEqual(bad, { code: 1, out: '', err: 'error: missing name information\n' });
    const unit = run(['format', 'd.xml'], { 'd.xml': DOMAIN.replace("'MiB'", "'XB'") });
    assert.deepEqual(unit, { code: 1, out: '', err: "error: invalid argument: unknown suffix 'XB'\n" });
    const wrong = run(['validate', '--kind', 'network', 'd.xml'], { 'd.xml': DOMAIN });
    assert.equal(wrong.err, "error: XML error: expecting root element of 'network', not 'domain'\n");
    const broken = run(['validate', 'd.xml'], { 'd.xml': '<domain type="kvm"><name>x</name>' });
    assert.equal(broken.code, 1);
    assert.match(broken.err, /^error: \(domain_definition\):1: Premature end of data in tag domain line 1\n/);
  });

  it('usage and file errors', () => {
    assert.equal(run(['frobnicate', 'x']).code, 1);
    assert.match(run(['frobnicate']).err, /^error: unknown command 'frobnicate'\nusage: vkxml/);
    assert.match(run(['format']).err, /^error: missing FILE/);
    assert.match(run(['format', '--kind', 'nope', 'f']).err, /^error: unknown kind 'nope'/);
    assert.deepEqual(run(['format', 'missing.xml']), { code: 1, out: '', err: "error: Failed to open file 'missing.xml': No such file or directory\n" });
    assert.match(run(['format', 'f'], { f: '<foo/>' }).err, /^error: XML error: unknown document root element 'foo'\n$/);
    assert.equal(run(['--help']).code, 0);
  });

  describe('as a process', function () {
    this.timeout(30_000);
    let tmp: string;
    before(() => {
      tmp = mkdtempSync(join(tmpdir(), 'vkxml-'));
      writeFileSync(join(tmp, 'd.xml'), DOMAIN);
      writeFileSync(join(tmp, 'bad.xml'), DOMAIN.replace('/x.qcow2', '/a').replace('</devices>', "<disk type='file'><source file='/b'/><target dev='vda'/></disk></devices>"));
    });
    after(() => rmSync(tmp, { recursive: true, force: true }));

    const variants: [string, string[]][] = [['sources', ['--conditions=@virtkit/source', '--import', 'tsx', join(pkg, 'src', 'cli', 'vkxml-run.ts')]]];
    if (existsSync(join(pkg, 'dist', 'cli', 'vkxml.js'))) variants.push(['bin (dist)', [join(pkg, 'bin', 'vkxml.js')]]);
    for (const [label, prefix] of variants) {
      it(`${label}: exit codes, stdout and stderr`, () => {
        const ok = spawnSync(process.execPath, [...prefix, 'format', join(tmp, 'd.xml')], { encoding: 'utf8' });
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /<memory unit='KiB'>524288<\/memory>/);
        const stdin = spawnSync(process.execPath, [...prefix, 'validate', '-'], { encoding: 'utf8', input: DOMAIN });
        assert.equal(stdin.stdout, '- validates\n');
        const bad = spawnSync(process.execPath, [...prefix, 'validate', join(tmp, 'bad.xml')], { encoding: 'utf8' });
        assert.equal(bad.status, 1);
        assert.equal(bad.stdout, '');
        assert.equal(bad.stderr, "error: XML error: target 'vda' duplicated for disk sources '/a' and '/b'\n");
      });
    }
  });
});
