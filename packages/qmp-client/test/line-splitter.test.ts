/**
 * The line splitter alone: any chunking of a message stream yields the same messages, and the
 * size limit is exact.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, QmpProtocolError } from '@virtkit/qmp-client';

describe('LineSplitter', () => {
  it('yields the same lines however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (values, cuts) => {
          const text = values.map((v) => JSON.stringify({ return: v, id: 1 }) + '\r\n').join('');
          const bytes = Buffer.from(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const lines: string[] = [];
          const splitter = new LineSplitter((l) => lines.push(l));
          let at = 0;
          for (const p of [...points, bytes.length]) {
            splitter.push(bytes.subarray(at, p));
            at = p;
          }
          assert.deepEqual(
            lines.map((l) => (JSON.parse(l) as { return: unknown }).return),
            values.map((v) => JSON.parse(JSON.stringify(v)) as unknown),
          );
          assert.equal(splitter.pendingBytes, 0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts a line of exactly the limit and refuses one byte more, even before its newline', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l), 16);
    splitter.push(Buffer.from('x'.repeat(16) + '\n'));
    assert.deepEqual(lines, ['x'.repeat(16)]);
    splitter.push(Buffer.from('y'.repeat(10)));
    assert.throws(() => splitter.push(Buffer.from('y'.repeat(7))), QmpProtocolError);
    assert.equal(splitter.pendingBytes, 0);
  });

  it('keeps multi-byte UTF-8 characters split across chunks intact', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('{"return":"żółw €"}\r\n');
    for (const b of bytes) splitter.push(Buffer.of(b));
    assert.deepEqual(JSON.parse(lines[0]!), { return: 'żółw €' });
  });
});
