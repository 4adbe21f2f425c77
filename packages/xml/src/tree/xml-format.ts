/**
 * Formats an element tree the way libvirt writes XML: two-space indent, single-quoted
 * attributes, `<empty/>` elements, text inline, mixed content written verbatim.
 */
import type { XmlElement, XmlNode } from './xml-node.js';

const ESC_RE = /[<>&'"]/g;
const NEEDS_ESC = /[<>&'"]/;
const ESC: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** Escapes text or an attribute value as libvirt's virBufferEscapeString does. */
export function escapeXml(s: string): string {
  return NEEDS_ESC.test(s) ? s.replace(ESC_RE, (m) => ESC[m]!) : s;
}

const DUMPED = new WeakSet<XmlElement>();

/**
 * Marks `el` as written the way libxml2's xmlNodeDump writes (double-quoted attributes), as
 * libvirt does for the foreign-namespace children of `<metadata>`.
 */
export function markLibxmlDump(el: XmlElement): void {
  DUMPED.add(el);
}

const EXPANDED = new WeakSet<XmlElement>();

/** Marks `el` to be written as `<x>` + newline + `</x>` even when empty, as libvirt does for some. */
export function markExpanded(el: XmlElement): XmlElement {
  EXPANDED.add(el);
  return el;
}

const SPACED = new WeakSet<XmlElement>();

/** Marks `el` to have a blank line after its start tag and after each child (libvirt's capabilities). */
export function markSpaced(el: XmlElement): XmlElement {
  SPACED.add(el);
  return el;
}

const DQ_RE = /[<>&"\n\r\t]/g;
const DQ: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/** Formats `el` (and its subtree) at nesting `depth`; the result ends with a newline. */
export function formatXmlElement(el: XmlElement, depth = 0): string {
  return formatInto(el, '  '.repeat(depth), false);
}

function openTag(el: XmlElement, dq: boolean): string {
  let s = '<' + el.name;
  const attrs = el.attributes;
  if (dq) {
    for (let i = 0; i < attrs.length; i++) s += ' ' + attrs[i]!.name + '="' + attrs[i]!.value.replace(DQ_RE, (c) => DQ[c]!) + '"';
    return s;
  }
  for (let i = 0; i < attrs.length; i++) s += ' ' + attrs[i]!.name + "='" + escapeXml(attrs[i]!.value) + "'";
  return s;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function formatInto(el: XmlElement, indent: string, dq: boolean): string {
  if (!dq && DUMPED.has(el)) dq = true;
  const kids = el.children;
  if (kids.length === 0) {
    return indent + openTag(el, dq) + (EXPANDED.has(el) ? '>\n' + indent + '</' + el.name + '>\n' : '/>\n');
  }
  let hasMarkup = false;
  let hasText = false;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.type === 'text') {
      if (!isBlank(k.text)) hasText = true;
    } else if (k.type === 'cdata') hasText = true;
    else hasMarkup = true;
  }
  if (!hasMarkup) {
    let t = '';
    for (let i = 0; i < kids.length; i++) t += inline(kids[i]!, dq);
    return indent + openTag(el, dq) + '>' + t + '</' + el.name + '>\n';
  }
  if (hasText) {
    // mixed content: white space is significant, write it back untouched
    let t = '';
    for (let i = 0; i < kids.length; i++) t += inline(kids[i]!, dq);
    return indent + openTag(el, dq) + '>' + t + '</' + el.name + '>\n';
  }
  const spaced = SPACED.has(el) ? '\n' : '';
  let s = indent + openTag(el, dq) + '>\n' + spaced;
  const inner = indent + '  ';
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.type === 'element') s += formatInto(k, inner, dq) + spaced;
    else if (k.type === 'comment') s += inner + '<!--' + k.text + '-->\n';
    else if (k.type === 'pi') s += inner + '<?' + k.target + (k.text ? ' ' + k.text : '') + '?>\n';
  }
  return s + indent + '</' + el.name + '>\n';
}

/** A node written without any added white space. */
function inline(k: XmlNode, dq: boolean): string {
  switch (k.type) {
    case 'text':
      return dq ? k.text.replace(/[<>&\r]/g, (c) => (c === '\r' ? '&#13;' : ESC[c]!)) : escapeXml(k.text);
    case 'cdata':
      return '<![CDATA[' + k.text + ']]>';
    case 'comment':
      return '<!--' + k.text + '-->';
    case 'pi':
      return '<?' + k.target + (k.text ? ' ' + k.text : '') + '?>';
    case 'element': {
      if (k.children.length === 0) return openTag(k, dq) + '/>';
      let t = '';
      for (const c of k.children) t += inline(c, dq);
      return openTag(k, dq) + '>' + t + '</' + k.name + '>';
    }
  }
}
