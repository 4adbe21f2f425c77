/**
 * Losslessness beyond the corpus: unknown elements and attributes injected anywhere into
 * corpus documents come back from parse -> format (same configuration, xmlcanon's rules).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { formatXmlElement, parseXmlDocument, type XmlElement } from '@virtkit/xml';
import { requireHost } from '../../../test/support/host.js';
import { canon } from './support/canon.js';
import { CORPUS, corpusFiles, KINDS } from './support/corpus.js';

// elements whose children libvirt validates by name (an unknown child is an error there too)
const CLOSED = new Set(['features']);

function elements(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  out.push(el);
  for (const c of el.children) if (c.type === 'element') elements(c, out);
  return out;
}
const hasText = (el: XmlElement) => el.children.some((c) => (c.type === 'text' && c.text.trim()) || c.type === 'cdata');

describe('lossless: unknown parts injected into corpus documents survive', function () {
  this.timeout(60_000);
  const docs: { kind: (typeof KINDS)[number]; xml: string }[] = [];
  before(function () {
    requireHost(this, { paths: [CORPUS] });
    for (const kind of KINDS) for (const f of corpusFiles(kind)) docs.push({ kind, xml: readFileSync(f, 'utf8') });
  });

  it('unknown child elements and attributes at random places', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (d, p, q, attrToo) => {
        const doc = docs[d % docs.length]!;
        const tree = parseXmlDocument(doc.xml);
        const all = elements(tree);
        const containers = all.filter((e) => !hasText(e) && !CLOSED.has(e.name));
        const host = containers[p % containers.length]!;
        const kids = host.children.filter((c) => c.type === 'element');
        const at = kids.length ? host.children.indexOf(kids[q % kids.length]!) : 0;
        host.children.splice(at, 0, { type: 'element', name: 'vk-unknown', attributes: [{ name: 'a', value: "x'<&>" }], children: [{ type: 'element', name: 'inner', attributes: [], children: [{ type: 'text', text: 't' }] }] });
        if (attrToo) {
          const plain = all.filter((e) => e !== tree);
          plain[q % plain.length]?.attributes.push({ name: 'vk-attr', value: 'v"1' });
        }
        const input = formatXmlElement(tree);
        const out = doc.kind.roundTrip(input);
        const a = canon(parseXmlDocument(out));
        const b = canon(parseXmlDocument(input));
        if (a !== b) {
          let i = 0;
          while (a[i] === b[i]) i++;
          assert.fail(`${doc.kind.dir}, injected into <${host.name}>: output ...${a.slice(i - 80, i + 80)}\n expected ...${b.slice(i - 80, i + 80)}`);
        }
        assert.equal(doc.kind.roundTrip(out), out);
      }),
      { numRuns: 1500, seed: 42 },
    );
  });
});
