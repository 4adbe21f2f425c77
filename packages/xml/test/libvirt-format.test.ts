/**
 * "Format the way libvirt does": documents libvirt 9.0 formats itself (test:///default) come
 * out of parse -> format byte for byte the same.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeXML, type DocumentKind } from '@virtkit/xml';
import { requireHost } from '../../../test/support/host.js';

const here = dirname(fileURLToPath(import.meta.url));
const KIND: Record<string, DocumentKind> = {
  capabilities: 'capabilities', domain: 'domain', 'domain-inactive': 'domain', network: 'network', pool: 'pool', volume: 'volume', snapshot: 'snapshot',
};

describe("libvirt's own output is a fixed point, byte for byte", function () {
  this.timeout(30_000);
  let docs: Record<string, string>;
  before(function () {
    requireHost(this, { paths: ['/usr/bin/python3'] });
    const res = spawnSync('/usr/bin/python3', [join(here, 'support', 'libvirt-docs.py')], { encoding: 'utf8' });
    if (res.status !== 0 && /No module named 'libvirt'/.test(res.stderr) && process.env.VIRTKIT_REQUIRE_HOST !== '1') {
      console.log('    skipped: python3-libvirt not importable (run bash .ci/install-packages)');
      this.skip();
    }
    assert.equal(res.status, 0, res.stderr);
    docs = JSON.parse(res.stdout) as Record<string, string>;
  });

  for (const name of Object.keys(KIND)) {
    it(name, () => {
      assert.equal(normalizeXML(KIND[name]!, docs[name]!), docs[name]);
    });
  }
});
