/**
 * The libvirt 9.0 corpus: where it is and how each kind is parsed and formatted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as x from '@virtkit/xml';

/** Root of libvirt's test documents and schemas. */
export const CORPUS = process.env.VIRTKIT_CORPUS ?? '/work/shared/corpus/libvirt-9.0.0';
/** Directory of xmlcanon.py. */
export const TOOLS = process.env.VIRTKIT_TOOLS ?? '/work/shared/tools';

/** One document kind of the corpus. */
export interface CorpusKind {
  dir: string;
  schema: string;
  roundTrip(xml: string): string;
  /** Whether parse(format(parse(xml))) deep-equals parse(xml): the typed model is stable too. */
  modelStable(xml: string): boolean;
}

function kind<T>(dir: string, schema: string, parse: (s: string) => T, format: (d: T) => string): CorpusKind {
  return {
    dir,
    schema,
    roundTrip: (s) => format(parse(s)),
    modelStable: (s) => {
      const d = parse(s);
      return isDeepStrictEqual(parse(format(d)), d);
    },
  };
}

/** The four corpus directories with their schema and parse+format. */
export const KINDS: CorpusKind[] = [
  kind('domain', 'domain.rng', x.parseDomainXML, (d) => x.formatDomainXML(d)),
  kind('network', 'network.rng', x.parseNetworkXML, x.formatNetworkXML),
  kind('storagepool', 'storagepool.rng', x.parseStoragePoolXML, x.formatStoragePoolXML),
  kind('storagevol', 'storagevol.rng', (s) => x.parseStorageVolXML(s), x.formatStorageVolXML),
];

/** Absolute paths of a kind's corpus files, sorted. */
export function corpusFiles(kind: CorpusKind): string[] {
  const dir = join(CORPUS, kind.dir);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(dir, f));
}
