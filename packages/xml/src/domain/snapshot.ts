/**
 * Domain snapshot documents (`<domainsnapshot>`).
 */
import { ElementReader, elementText } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { textElement } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { virtError } from '@virtkit/core';
import { checkEnum, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN_SNAPSHOT, xmlError } from '../util/codes.js';
import { keepExtra } from './device-common.js';
import { expectRoot } from './domain-parse.js';

/** A signed 64-bit decimal (seconds since the epoch), else undefined. */
function parseInt64(s: string): number | undefined {
  return /^\s*-?[0-9]{1,18}$/.test(s) ? Number(s) : undefined;
}

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

/** Options of snapshot parsing. */
export interface ParseSnapshotOptions {
  /**
   * VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE: the document describes an existing snapshot, so its
   * creationTime and state are required and checked (otherwise libvirt ignores bad ones).
   */
  redefine?: boolean;
}

const STATES = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended', 'disk-snapshot'];
const SNAPSHOT_KINDS = ['no', 'internal', 'external', 'manual'];

/** Parses a `<domainsnapshot>` document. */
export function parseDomainSnapshotXML(xml: string, opts: ParseSnapshotOptions = {}): DomainSnapshotDef {
  return parseDomainSnapshotElement(parseXmlDocument(xml, { url: 'domain_snapshot', errorDomain: VIR_FROM_DOMAIN_SNAPSHOT }), opts);
}

/** Parses a `<domainsnapshot>` element with libvirt's checks. */
export function parseDomainSnapshotElement(root: XmlElement, opts: ParseSnapshotOptions = {}): DomainSnapshotDef {
  expectRoot(root, 'domainsnapshot');
  const r = new ElementReader(root);
  const def: DomainSnapshotDef = {};
  const name = r.simpleText('name', def);
  if (name !== undefined) def.name = name;
  const desc = r.simpleText('description', def);
  if (desc !== undefined) def.description = desc;
  const state = r.simpleText('state', def);
  if (state !== undefined) def.state = state;
  if (opts.redefine && state !== undefined && !STATES.includes(state)) {
    throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `Invalid state '${state}' in domain snapshot XML`, VIR_FROM_DOMAIN_SNAPSHOT);
  }
  const parent = r.peek('parent');
  if (parent) {
    const pr = new ElementReader(parent);
    const pn = pr.simpleText('name', def);
    if (pn !== undefined && !pr.extra()) {
      r.use(parent);
      def.parent = pn;
    }
  }
  const ctEl = r.peek('creationTime');
  const n = ctEl ? parseInt64(elementText(ctEl)) : undefined;
  if (ctEl && n !== undefined) {
    r.simpleText('creationTime', def);
    def.creationTime = n;
  }
  if (opts.redefine && n === undefined) {
    throw virtError(VIR_ERR_INTERNAL_ERROR, 'missing creationTime from existing snapshot', VIR_FROM_DOMAIN_SNAPSHOT);
  }
  const mem = r.child('memory');
  if (mem) {
    const mr = new ElementReader(mem);
    def.memory = {};
    const s = checkEnum(mr.attr('snapshot'), SNAPSHOT_KINDS, 'snapshot', 'memory');
    if (s !== undefined) def.memory.snapshot = s;
    const f = mr.attr('file');
    if (f !== undefined) def.memory.file = f;
    if (s === 'external' && !f) throw xmlError('external memory snapshots require a filename', VIR_FROM_DOMAIN_SNAPSHOT);
    if (f && s !== undefined && s !== 'external') throw xmlError(`memory filename '${f}' requires external snapshot`, VIR_FROM_DOMAIN_SNAPSHOT);
    keepExtra(mr, def.memory);
  }
  const disks = r.peek('disks');
  for (const d of disks?.children ?? []) {
    if (d.type !== 'element' || d.name !== 'disk') continue;
    if (!d.attributes.some((a) => a.name === 'name')) {
      throw virtError(VIR_ERR_INTERNAL_ERROR, 'missing name from disk snapshot element', VIR_FROM_DOMAIN_SNAPSHOT);
    }
    checkEnum(d.attributes.find((a) => a.name === 'snapshot')?.value, SNAPSHOT_KINDS, 'snapshot', 'disk');
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
