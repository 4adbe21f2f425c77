/**
 * Deterministic document mutations for the fuzz test, one function per class of damage.
 */

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mutated document and the error codes libvirt gives that class (undefined: success allowed). */
export interface Mutation {
  kind: string;
  xml: string;
  /** Codes allowed when parsing fails. */
  codes: number[];
  /** Whether parsing must fail. */
  mustFail: boolean;
}

/** The codes libvirt's XML validation answers with (internal, invalid arg, no source/target/name, XML error/detail, operation invalid, unsupported, overflow). */
const ALL = [1, 8, 19, 20, 21, 27, 35, 55, 67, 82];
const NOISE = ['<', '>', '&', "'", '"', '/', '=', 'x', '0', ' ', '\n', ']', '-', ';', '#'];

/** The canary an external entity would reveal if it were ever loaded. */
export const CANARY = 'VIRTKIT-EXTERNAL-ENTITY-CANARY';

/** Builds the `i`th mutation of `doc`; `canaryFile` holds CANARY. */
export function mutate(doc: string, i: number, rand: () => number, canaryFile: string): Mutation {
  const pick = (n: number) => Math.floor(rand() * n);
  const end = doc.lastIndexOf('</');
  switch (i % 8) {
    case 0:
      return { kind: 'truncate', xml: doc.slice(0, pick(Math.max(end, 1))), codes: [35], mustFail: true };
    case 1: {
      const p = pick(doc.length);
      return { kind: 'delete', xml: doc.slice(0, p) + doc.slice(p + 1 + pick(3)), codes: ALL, mustFail: false };
    }
    case 2: {
      const p = pick(doc.length - 1);
      return { kind: 'swap', xml: doc.slice(0, p) + doc[p + 1] + doc[p] + doc.slice(p + 2), codes: ALL, mustFail: false };
    }
    case 3: {
      const p = pick(doc.length);
      return { kind: 'replace', xml: doc.slice(0, p) + NOISE[pick(NOISE.length)] + doc.slice(p + 1), codes: ALL, mustFail: false };
    }
    case 4: {
      const digits = String(1 + pick(9)) + Array.from({ length: 20 + pick(30) }, () => pick(10)).join('');
      const re = /(<(memory|capacity|currentMemory|allocation)( unit='[A-Za-z]+')?>)\d+</;
      if (!re.test(doc)) return { kind: 'huge', xml: doc.replace(/>(\d+)</, `>${digits}<`), codes: ALL, mustFail: false };
      // libvirt ignores the sizes in a pool definition, so only domains and volumes must fail
      return { kind: 'huge', xml: doc.replace(re, `$1${digits}<`), codes: [27, 82], mustFail: !/^\s*<pool[\s>]/.test(doc) };
    }
    case 5: {
      const open = doc.indexOf('>', doc.indexOf('<' + rootName(doc))) + 1;
      const n = 257 + pick(2000);
      return { kind: 'deep', xml: doc.slice(0, open) + '<x>'.repeat(n) + '</x>'.repeat(n) + doc.slice(open), codes: [35], mustFail: true };
    }
    case 6: {
      const levels = 8 + pick(4);
      let dtd = "<!DOCTYPE r [<!ENTITY l0 'lol'>";
      for (let k = 1; k <= levels; k++) dtd += `<!ENTITY l${k} '${`&l${k - 1};`.repeat(10)}'>`;
      dtd += ']>';
      return { kind: 'laughs', xml: dtd + doc.replace(/<name>[^<]*<\/name>/, `<name>&l${levels};</name>`), codes: [35], mustFail: true };
    }
    default: {
      const dtd = `<!DOCTYPE r [<!ENTITY ext SYSTEM 'file://${canaryFile}'><!ENTITY % pe SYSTEM 'file://${canaryFile}'> %pe;]>`;
      return { kind: 'external', xml: dtd + doc.replace(/<name>[^<]*<\/name>/, '<name>n&ext;</name>'), codes: ALL, mustFail: false };
    }
  }
}

function rootName(doc: string): string {
  return /<([A-Za-z]+)[\s>]/.exec(doc)?.[1] ?? '';
}
