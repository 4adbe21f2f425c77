/**
 * Acceptance 4: property tests for units, UUIDs and MACs.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VirtError } from '@virtkit/core';
import * as x from '@virtkit/xml';

const SCALES: Record<string, bigint> = {
  b: 1n, byte: 1n, bytes: 1n,
  k: 1024n, KiB: 1024n, KB: 1000n, m: 1024n ** 2n, MiB: 1024n ** 2n, MB: 1000n ** 2n, g: 1024n ** 3n, GiB: 1024n ** 3n, GB: 1000n ** 3n,
  t: 1024n ** 4n, TiB: 1024n ** 4n, TB: 1000n ** 4n, p: 1024n ** 5n, PiB: 1024n ** 5n, PB: 1000n ** 5n, e: 1024n ** 6n, EiB: 1024n ** 6n, EB: 1000n ** 6n,
};
const unitArb = fc.constantFrom(...Object.keys(SCALES));
const caseArb = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const code = (f: () => unknown): number | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof VirtError);
    return e.code;
  }
};

describe('properties: units', () => {
  it('scales by the unit (any case) or overflows with VIR_ERR_OVERFLOW', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), unitArb.chain((u) => caseArb(u).map((c) => [u, c] as const)), fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), (v, [unit, spelled], max) => {
        const scale = SCALES[unit]!;
        const c = code(() => x.scaleIntegerBig(v, spelled, 1, max));
        if (v !== 0n && v > max / scale) assert.equal(c, 82);
        else assert.equal(x.scaleIntegerBig(v, spelled, 1, max), v * scale);
      }),
    );
  });

  it('no unit means the default scale', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.constantFrom(1, 1024, 1000), (v, scale) => {
      assert.equal(x.parseScaledInteger(String(v), undefined, scale, Number.MAX_SAFE_INTEGER), v * scale);
      assert.equal(x.parseScaledInteger(String(v), '', scale, Number.MAX_SAFE_INTEGER), v * scale);
    }));
  });

  it('any other suffix is VIR_ERR_INVALID_ARG "unknown suffix"', () => {
    const valid = new Set(Object.keys(SCALES).map((k) => k.toLowerCase()).concat(['k', 'm', 'g', 't', 'p', 'e']));
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 5 }).filter((s) => !valid.has(s.toLowerCase())), (unit) => {
      try {
        x.unitScale(unit, 1);
        assert.fail(`accepted '${unit}'`);
      } catch (e) {
        assert.ok(e instanceof VirtError);
        assert.equal(e.code, 8);
        assert.equal(e.detail, `unknown suffix '${unit}'`);
      }
    }));
  });

  it('domain memory is normalised to KiB, rounded up', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 40 }), unitArb, (v, unit) => {
      const bytes = BigInt(v) * SCALES[unit]!;
      const xml = `<domain type='kvm'><name>p</name><memory unit='${unit}'>${v}</memory><os><type>hvm</type></os></domain>`;
      if (bytes > 2n ** 63n - 1n) return assert.equal(code(() => x.parseDomainXML(xml)), 82);
      const kib = Number((bytes + 1023n) / 1024n);
      const def = x.parseDomainXML(xml);
      assert.equal(def.memory, kib);
      assert.match(x.formatDomainXML(def), new RegExp(`<memory unit='KiB'>${kib}</memory>`));
    }));
  });

  it('volume capacity is normalised to bytes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 20 }), unitArb, (v, unit) => {
      const xml = `<volume><name>v</name><capacity unit='${unit}'>${v}</capacity></volume>`;
      const bytes = BigInt(v) * SCALES[unit]!;
      if (bytes > 2n ** 64n - 1n) return assert.equal(code(() => x.parseStorageVolXML(xml)), 82);
      if (bytes > 2n ** 53n) return; // numbers are exact up to 2^53 bytes (8 PiB)
      const def = x.parseStorageVolXML(xml);
      assert.equal(BigInt(def.capacity.bytes), bytes);
      assert.match(x.formatStorageVolXML(def), new RegExp(`<capacity unit='bytes'>${bytes}</capacity>`));
    }));
  });
});

describe('properties: UUID', () => {
  it('generated UUIDs are canonical version-4 UUIDs that parse to themselves', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(fc.constant(null), () => {
      const u = x.generateUUID();
      assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(x.parseUUID(u), u);
      assert.ok(!seen.has(u));
      seen.add(u);
    }), { numRuns: 2000 });
  });

  it('parses 32 hex digits with any dashes/spaces between pairs and outer white space', () => {
    const pair = fc.tuple(fc.constantFrom(...'0123456789abcdefABCDEF'), fc.constantFrom(...'0123456789abcdefABCDEF')).map(([a, b]) => a + b);
    fc.assert(fc.property(fc.array(fc.tuple(pair, fc.constantFrom('', '', '-', ' ', '--')), { minLength: 16, maxLength: 16 }), fc.constantFrom('', ' ', '\n\t'), (parts, ws) => {
      const hex = parts.map((p) => p[0]).join('').toLowerCase();
      const text = ws + parts.map(([p, sep], i) => (i < 15 ? p + sep : p)).join('') + ws;
      const canon = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      assert.equal(x.parseUUID(text), canon);
      assert.ok(x.isValidUUID(text));
    }));
  });

  it('rejects wrong digit counts and non-hex characters', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-f]{1,40}$/).filter((s) => s.length !== 32), (s) => assert.equal(x.parseUUID(s), undefined)));
    fc.assert(fc.property(fc.integer({ min: 0, max: 31 }), fc.constantFrom('g', 'z', 'x', '_', '.'), (at, bad) => {
      const s = 'c7a5fdbdedaf9455926ad65c16db1809';
      assert.equal(x.parseUUID(s.slice(0, at) + bad + s.slice(at + 1)), undefined);
    }));
  });
});

describe('properties: MAC', () => {
  const bytesArb = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 });
  it('normalises any spelling of six octets to lowercase two-digit groups', () => {
    fc.assert(fc.property(bytesArb, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.boolean(), (bytes, short, upper) => {
      const spelled = bytes.map((b, i) => (short[i] ? b.toString(16) : b.toString(16).padStart(2, '0'))).join(':');
      const canon = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
      const s = upper ? spelled.toUpperCase() : spelled;
      assert.equal(x.normalizeMAC(s), canon);
      assert.equal(x.normalizeMAC(canon), canon);
      assert.ok(x.isValidMAC(s));
    }));
  });

  it('rejects other separators, counts and digits', () => {
    fc.assert(fc.property(bytesArb, fc.constantFrom('-', '.', '::', ' :'), (bytes, sep) => {
      assert.equal(x.normalizeMAC(bytes.map((b) => b.toString(16)).join(sep)), undefined);
    }));
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9 }).filter((a) => a.length !== 6), (bytes) => {
      assert.equal(x.normalizeMAC(bytes.map((b) => b.toString(16)).join(':')), undefined);
    }));
    assert.equal(x.normalizeMAC('100:54:00:00:00:01'), undefined);
    assert.equal(x.normalizeMAC('52:54:00:00:00:0g'), undefined);
  });

  it('generated MACs carry the prefix, are unicast and valid', () => {
    fc.assert(fc.property(fc.constantFrom('52:54:00', '00:16:3e', '02:00', ''), (prefix) => {
      const mac = x.generateMAC(prefix || '');
      assert.ok(x.isValidMAC(mac));
      assert.equal(x.normalizeMAC(mac), mac);
      assert.ok(mac.startsWith(prefix));
      assert.equal(x.isMulticastMAC(mac), false);
    }), { numRuns: 500 });
    assert.ok(x.generateMAC().startsWith('52:54:00:'));
  });
});
