/**
 * virDomainGetMetadata / virDomainSetMetadata: `<title>`, `<description>` and namespaced
 * elements under `<metadata>`, stored as libvirt stores them (`<key:elem xmlns:key='uri'>`).
 */
import type { DomainRef } from '@virtkit/core';
import { parseXmlDocument } from '@virtkit/xml';
import type { XmlElement, XmlNode } from '@virtkit/xml';
import { Affect, Err, From } from './consts.js';
import type { DomainDef } from './domain-def.js';
import { affectedDefs, readDef } from './domain-defs.js';
import { domObj } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { asVirtError, checkFlags, testError } from './errors.js';

const DESCRIPTION = 0;
const TITLE = 1;
const ELEMENT = 2;

function notPresent(): Error {
  return testError(Err.NO_DOMAIN_METADATA, 'Requested metadata element is not present', From.DOMAIN);
}

function checkArgs(type: number, uri: string | undefined): void {
  if (type === ELEMENT) {
    if (uri === undefined) throw testError(Err.INVALID_ARG, 'uri in virDomainGetMetadata must not be NULL', From.DOMAIN);
  } else if (type === DESCRIPTION || type === TITLE) {
    if (uri !== undefined) throw testError(Err.INVALID_ARG, 'uri in virDomainGetMetadata must be NULL', From.DOMAIN);
  } else {
    throw testError(Err.INVALID_ARG, 'unknown metadata type', From.DOMAIN);
  }
}

/** The namespaced child of `<metadata>` for `uri`, with its prefix. */
function findElement(def: DomainDef, uri: string): { el: XmlElement; prefix: string } | undefined {
  const md = def.metadata;
  if (!md) return undefined;
  for (const c of md.children) {
    if (c.type !== 'element') continue;
    for (const a of c.attributes) {
      if (a.name.startsWith('xmlns:') && a.value === uri) return { el: c, prefix: a.name.slice(6) };
    }
  }
  return undefined;
}

/**
 * libxml2's xmlNodeDump with formatting, as virDomainGetMetadata returns elements: double
 * quotes, and elements holding only elements are indented by two spaces per level.
 */
function dump(node: XmlNode, strip: { prefix: string } | undefined, indent = ''): string {
  switch (node.type) {
    case 'text':
      return esc(node.text);
    case 'cdata':
      return `<![CDATA[${node.text}]]>`;
    case 'comment':
      return `<!--${node.text}-->`;
    case 'pi':
      return `<?${node.target} ${node.text}?>`;
    case 'element': {
      const pre = strip ? strip.prefix + ':' : undefined;
      const name = pre && node.name.startsWith(pre) ? node.name.slice(pre.length) : node.name;
      let s = '<' + name;
      for (const a of node.attributes) {
        if (strip && a.name === 'xmlns:' + strip.prefix) continue;
        s += ` ${a.name}="${esc(a.value).replace(/"/g, '&quot;')}"`;
      }
      const kids = node.children;
      if (kids.length === 0) return s + '/>';
      const onlyElements = kids.every((c) => c.type === 'element' || (c.type === 'text' && c.text.trim() === ''));
      if (!onlyElements) return s + '>' + kids.map((c) => dump(c, strip, indent)).join('') + `</${name}>`;
      const inner = indent + '  ';
      const body = kids.filter((c) => c.type === 'element').map((c) => '\n' + inner + dump(c, strip, inner)).join('');
      return s + '>' + body + '\n' + indent + `</${name}>`;
    }
  }
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** virDomainGetMetadata. */
export function getMetadata(st: DriverState, ref: DomainRef, type: number, uri: string | undefined, flags: number): string {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG, 'testDomainGetMetadata');
  const obj = domObj(st, ref);
  checkArgs(type, uri);
  const def = readDef(obj, flags);
  if (type === DESCRIPTION) {
    if (def.description === undefined) throw notPresent();
    return def.description;
  }
  if (type === TITLE) {
    if (def.title === undefined) throw notPresent();
    return def.title;
  }
  const found = findElement(def, uri!);
  if (!found) throw notPresent();
  return dump(found.el, { prefix: found.prefix });
}

function setOn(def: DomainDef, type: number, metadata: string | undefined, key: string | undefined, uri: string | undefined, el: XmlElement | undefined): void {
  if (type === DESCRIPTION) {
    if (metadata === undefined || metadata === '') delete def.description;
    else def.description = metadata;
    return;
  }
  if (type === TITLE) {
    if (metadata === undefined || metadata === '') delete def.title;
    else def.title = metadata;
    return;
  }
  const old = findElement(def, uri!);
  if (old) def.metadata!.children = def.metadata!.children.filter((c) => c !== old.el);
  if (el === undefined) {
    if (def.metadata && !def.metadata.children.some((c) => c.type === 'element')) delete def.metadata;
    return;
  }
  def.metadata ??= { type: 'element', name: 'metadata', attributes: [], children: [] };
  def.metadata.children.push(structuredClone(el));
  void key;
}

/** virDomainSetMetadata. */
export function setMetadata(
  st: DriverState,
  ref: DomainRef,
  type: number,
  metadata: string | undefined,
  key: string | undefined,
  uri: string | undefined,
  flags: number,
): void {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG, 'testDomainSetMetadata');
  const obj = domObj(st, ref);
  if (type === ELEMENT) {
    if (uri === undefined) throw testError(Err.INVALID_ARG, 'uri in virDomainSetMetadata must not be NULL', From.DOMAIN);
    if (metadata !== undefined && key === undefined) {
      throw testError(Err.INVALID_ARG, 'key in virDomainSetMetadata must not be NULL', From.DOMAIN);
    }
  } else if (type !== DESCRIPTION && type !== TITLE) {
    throw testError(Err.INVALID_ARG, 'unknown metadata type', From.DOMAIN);
  }
  if (type === TITLE && metadata?.includes('\n')) throw testError(Err.INVALID_ARG, "title can't contain newlines", From.DOMAIN);
  let el: XmlElement | undefined;
  if (type === ELEMENT && metadata !== undefined && metadata !== '') {
    let parsed: XmlElement;
    try {
      parsed = parseXmlDocument(metadata, { url: '(metadata_xml)', errorDomain: From.DOMAIN });
    } catch (e) {
      throw asVirtError(e);
    }
    el = qualify(parsed, key!, uri!);
  }
  const { live, config } = affectedDefs(obj, flags);
  if (live) setOn(live, type, metadata, key, uri, el);
  if (config) setOn(config, type, metadata, key, uri, el);
}

/** Puts `el` (and its unprefixed descendants) into namespace `uri` with prefix `key`. */
function qualify(el: XmlElement, key: string, uri: string): XmlElement {
  const rename = (e: XmlElement): XmlElement => ({
    type: 'element',
    name: e.name.includes(':') ? e.name : `${key}:${e.name}`,
    attributes: e.attributes.filter((a) => a.name !== 'xmlns'),
    children: e.children.map((c) => (c.type === 'element' ? rename(c) : c)),
  });
  const out = rename(el);
  out.attributes.unshift({ name: `xmlns:${key}`, value: uri });
  return out;
}
