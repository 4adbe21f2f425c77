/**
 * The libvirt 9.0 corpus: where it is and how each kind is parsed and formatted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
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
}

/** The four corpus directories with their schema and parse+format. */
export const KINDS: CorpusKind[] = [
  { dir: 'domain', schema: 'domain.rng', roundTrip: (s) => x.formatDomainXML(x.parseDomainXML(s)) },
  { dir: 'network', schema: 'network.rng', roundTrip: (s) => x.formatNetworkXML(x.parseNetworkXML(s)) },
  { dir: 'storagepool', schema: 'storagepool.rng', roundTrip: (s) => x.formatStoragePoolXML(x.parseStoragePoolXML(s)) },
  { dir: 'storagevol', schema: 'storagevol.rng', roundTrip: (s) => x.formatStorageVolXML(x.parseStorageVolXML(s)) },
];

/** Absolute paths of a kind's corpus files, sorted. */
export function corpusFiles(kind: CorpusKind): string[] {
  const dir = join(CORPUS, kind.dir);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(dir, f));
}
