/**
 * Document kinds by name and root element: one parse+format pair per kind, used by
 * `vkxml` and by callers that hold XML of an unknown kind.
 */
import { virtError } from '@virtkit/core';
import { formatCapabilitiesXML, parseCapabilitiesXML } from './caps/capabilities.js';
import { formatDomainCapabilitiesXML, parseDomainCapabilitiesXML } from './caps/domain-capabilities.js';
import { formatDomainXML, type FormatDomainOptions } from './domain/domain-format.js';
import { parseDomainXML } from './domain/domain-parse.js';
import { formatDomainSnapshotXML, parseDomainSnapshotXML } from './domain/snapshot.js';
import { formatNetworkXML, parseNetworkXML } from './network/network.js';
import { formatStoragePoolXML, parseStoragePoolXML } from './storage/storage-pool.js';
import { formatStorageVolXML, parseStorageVolXML } from './storage/storage-vol.js';
import { VIR_ERR_XML_ERROR, VIR_FROM_XML } from './util/codes.js';

/** The document kinds @virtkit/xml models. */
export type DocumentKind = 'domain' | 'network' | 'pool' | 'volume' | 'capabilities' | 'domaincapabilities' | 'snapshot';

/** Root element name of each kind. */
export const KIND_ROOTS: Readonly<Record<DocumentKind, string>> = {
  domain: 'domain',
  network: 'network',
  pool: 'pool',
  volume: 'volume',
  capabilities: 'capabilities',
  domaincapabilities: 'domainCapabilities',
  snapshot: 'domainsnapshot',
};

/** Parses then formats `xml` as `kind` (libvirt's normalised form). Throws VirtError. */
export function normalizeXML(kind: DocumentKind, xml: string, opts: FormatDomainOptions = {}): string {
  switch (kind) {
    case 'domain': return formatDomainXML(parseDomainXML(xml), opts);
    case 'network': return formatNetworkXML(parseNetworkXML(xml));
    case 'pool': return formatStoragePoolXML(parseStoragePoolXML(xml));
    case 'volume': return formatStorageVolXML(parseStorageVolXML(xml));
    case 'capabilities': return formatCapabilitiesXML(parseCapabilitiesXML(xml));
    case 'domaincapabilities': return formatDomainCapabilitiesXML(parseDomainCapabilitiesXML(xml));
    case 'snapshot': return formatDomainSnapshotXML(parseDomainSnapshotXML(xml));
  }
}

/**
 * Guesses the kind from the root element name (the first start tag after the prolog),
 * without parsing the whole document. Throws VIR_ERR_XML_ERROR for an unknown root.
 */
export function guessDocumentKind(xml: string): DocumentKind {
  let rest = xml.replace(/^\uFEFF/, '');
  // skip the prolog: white space, XML declaration, PIs, comments, the DOCTYPE (internal subset too)
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)/;
  for (let m = prolog.exec(rest); m && m[0].length; m = prolog.exec(rest)) rest = rest.slice(m[0].length);
  const root = /^<([A-Za-z_][-\w.:]*)/.exec(rest)?.[1];
  for (const [kind, name] of Object.entries(KIND_ROOTS)) if (name === root) return kind as DocumentKind;
  throw virtError(VIR_ERR_XML_ERROR, root === undefined ? 'no root element found' : `unknown document root element '${root}'`, VIR_FROM_XML);
}
