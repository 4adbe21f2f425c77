/**
 * Snapshot XML as libvirt's test driver reads and writes it (`<domainsnapshot>`), on the
 * generic element tree of @virtkit/xml; the embedded `<domain>` goes through domain-def.
 */
import { formatXmlElement, parseXmlDocument } from '@virtkit/xml';
import type { XmlElement, XmlNode } from '@virtkit/xml';
import { Err, From } from './consts.js';
import { formatDomainDef, parseDomainDef } from './domain-def.js';
import type { DomainDef } from './domain-def.js';
import { asVirtError, testError } from './errors.js';
import type { SnapshotNode, SnapshotState } from './snapshot-tree.js';

/** What a `<domainsnapshot>` document says. */
export interface ParsedSnapshot {
  name?: string;
  description?: string;
  state?: SnapshotState;
  parent?: string;
  creationTime?: number;
  memory?: string;
  dom?: DomainDef;
  /** `<active>1</active>`: the current snapshot (node files and redefinitions). */
  active?: boolean;
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.type === 'element' && c.name === name) return c;
  return undefined;
}

function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  let s = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') s += c.text;
  return s.trim();
}

function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attributes.find((a) => a.name === name)?.value;
}

/** Parses a snapshot document (string) or element (from a node file). */
export function parseSnapshotXML(src: string | XmlElement): ParsedSnapshot {
  let root: XmlElement;
  if (typeof src === 'string') {
    try {
      root = parseXmlDocument(src, { url: 'domainsnapshot.xml', errorDomain: From.DOMAIN_SNAPSHOT });
    } catch (e) {
      throw asVirtError(e, From.DOMAIN_SNAPSHOT);
    }
  } else root = src;
  const local = root.name.includes(':') ? root.name.slice(root.name.indexOf(':') + 1) : root.name;
  if (local !== 'domainsnapshot') {
    throw testError(Err.XML_ERROR, `expecting root element of 'domainsnapshot', not '${root.name}'`, From.XML);
  }
  const out: ParsedSnapshot = {};
  const name = text(child(root, 'name'));
  if (name) out.name = name;
  const desc = child(root, 'description');
  if (desc) out.description = text(desc) ?? '';
  const state = text(child(root, 'state'));
  if (state) out.state = state as SnapshotState;
  const parentEl = child(root, 'parent');
  if (parentEl) out.parent = text(child(parentEl, 'name'));
  const ct = text(child(root, 'creationTime'));
  if (ct !== undefined) {
    if (!/^\d+$/.test(ct)) throw testError(Err.XML_ERROR, 'invalid creationTime', From.DOMAIN_SNAPSHOT);
    out.creationTime = Number(ct);
  }
  const mem = attr(child(root, 'memory'), 'snapshot');
  if (mem) out.memory = mem;
  if (text(child(root, 'active')) === '1') out.active = true;
  const dom = child(root, 'domain');
  if (dom) out.dom = parseDomainDef(formatXmlElement(dom));
  return out;
}

/** Formats a snapshot as virDomainSnapshotDefFormat. */
export function formatSnapshotXML(snap: SnapshotNode): string {
  const kids: XmlNode[] = [el('name', snap.name)];
  if (snap.description !== undefined) kids.push(el('description', snap.description));
  kids.push(el('state', snap.state));
  if (snap.parent) kids.push({ type: 'element', name: 'parent', attributes: [], children: [el('name', snap.parent.name)] });
  kids.push(el('creationTime', String(snap.creationTime)));
  kids.push({ type: 'element', name: 'memory', attributes: [{ name: 'snapshot', value: snap.memory }], children: [] });
  if (snap.disks.length) {
    kids.push({
      type: 'element',
      name: 'disks',
      attributes: [],
      children: snap.disks.map((d) => ({
        type: 'element' as const,
        name: 'disk',
        attributes: [
          { name: 'name', value: d.name },
          { name: 'snapshot', value: d.snapshot },
        ],
        children: [],
      })),
    });
  }
  if (snap.dom) kids.push(parseXmlDocument(formatDomainDef(snap.dom, -1, 2)));
  return formatXmlElement({ type: 'element', name: 'domainsnapshot', attributes: [], children: kids });
}

function el(name: string, value: string): XmlElement {
  return { type: 'element', name, attributes: [], children: [{ type: 'text', text: value }] };
}
