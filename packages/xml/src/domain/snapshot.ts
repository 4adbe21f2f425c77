/**
 * Domain snapshot documents (`<domainsnapshot>`).
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { textElement } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { checkEnum, VIR_FROM_DOMAIN_SNAPSHOT, xmlError } from '../util/codes.js';
import { keepExtra } from './device-common.js';
import { expectRoot } from './domain-parse.js';
import { parseUInt } from '../util/units.js';

/** A domain snapshot definition. */
export interface DomainSnapshotDef extends HasExtra {
  /** Undefined until the driver names it (libvirt uses the creation time). */
  name?: string;
  description?: string;
  /** running, shutoff, paused, disk-snapshot, ... */
  state?: string;
  /** Parent snapshot name. */
  parent?: string;
  /** Seconds since the epoch. */
  creationTime?: number;
  /** `<memory snapshot='no|internal|external' file='...'/>`. */
  memory?: { snapshot?: string; file?: string } & HasExtra;
  /** The `<domain>` the snapshot captured, verbatim (parse it with parseDomainElement). */
  domain?: XmlElement;
}

/** Parses a `<domainsnapshot>` document. */
export function parseDomainSnapshotXML(xml: string): DomainSnapshotDef {
  return parseDomainSnapshotElement(parseXmlDocument(xml, { url: 'domain_snapshot', errorDomain: VIR_FROM_DOMAIN_SNAPSHOT }));
}

/** Parses a `<domainsnapshot>` element. */
export function parseDomainSnapshotElement(root: XmlElement): DomainSnapshotDef {
  expectRoot(root, 'domainsnapshot');
  const r = new ElementReader(root);
  const def: DomainSnapshotDef = {};
  const name = r.simpleText('name', def);
  if (name !== undefined) def.name = name;
  const desc = r.simpleText('description', def);
  if (desc !== undefined) def.description = desc;
  const state = r.simpleText('state', def);
  if (state !== undefined) def.state = state;
  const parent = r.peek('parent');
  if (parent) {
    const pr = new ElementReader(parent);
    const pn = pr.simpleText('name', def);
    if (pn !== undefined && !pr.extra()) {
      r.use(parent);
      def.parent = pn;
    }
  }
  const ct = r.simpleText('creationTime', def);
  if (ct !== undefined) {
    const n = parseUInt(ct, Number.MAX_SAFE_INTEGER);
    if (n === undefined) throw xmlError(`missing creationTime from existing snapshot`, VIR_FROM_DOMAIN_SNAPSHOT);
    def.creationTime = n;
  }
  const mem = r.child('memory');
  if (mem) {
    const mr = new ElementReader(mem);
    def.memory = {};
    const s = checkEnum(mr.attr('snapshot'), ['no', 'internal', 'external', 'manual'], 'snapshot', 'memory');
    if (s !== undefined) def.memory.snapshot = s;
    const f = mr.attr('file');
    if (f !== undefined) def.memory.file = f;
    keepExtra(mr, def.memory);
  }
  const dom = r.child('domain');
  if (dom) def.domain = dom;
  keepExtra(r, def);
  return def;
}

/** Builds the `<domainsnapshot>` element. */
export function formatDomainSnapshotElement(def: DomainSnapshotDef): XmlElement {
  return buildElement(
    'domainsnapshot',
    [],
    [
      textElement('name', def.name, def),
      textElement('description', def.description, def),
      textElement('state', def.state, def),
      def.parent !== undefined && buildElement('parent', [], [buildElement('name', [], [], undefined, def.parent)]),
      def.creationTime !== undefined && buildElement('creationTime', [], [], def.textExtras?.creationTime, String(def.creationTime)),
      def.memory && buildElement('memory', [['snapshot', def.memory.snapshot], ['file', def.memory.file]], [], def.memory.extra),
      def.domain,
    ],
    def.extra,
  );
}

/** Formats a snapshot as libvirt does. */
export function formatDomainSnapshotXML(def: DomainSnapshotDef): string {
  return formatXmlElement(formatDomainSnapshotElement(def));
}
