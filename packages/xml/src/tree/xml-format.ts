/**
 * Formats an element tree the way libvirt writes XML: two-space indent, single-quoted
 * attributes, `<empty/>` elements, text inline, mixed content written verbatim.
 */
import type { XmlElement, XmlNode } from './xml-node.js';

const ESC_RE = /[<>&'"]/g;
const ESC: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** Escapes text or an attribute value as libvirt's virBufferEscapeString does. */
export function escapeXml(s: string): string {
  ESC_RE.lastIndex = 0;
  return ESC_RE.test(s) ? s.replace(ESC_RE, (c) => ESC[c]!) : s;
}

/** Formats `el` (and its subtree) at nesting `depth`; the result ends with a newline. */
export function formatXmlElement(el: XmlElement, depth = 0): string {
  return formatInto(el, '  '.repeat(depth));
}

function openTag(el: XmlElement): string {
  let s = '<' + el.name;
  const attrs = el.attributes;
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

function formatInto(el: XmlElement, indent: string): string {
  const kids = el.children;
  if (kids.length === 0) return indent + openTag(el) + '/>\n';
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
    for (let i = 0; i < kids.length; i++) t += inline(kids[i]!);
    return indent + openTag(el) + '>' + t + '</' + el.name + '>\n';
  }
  if (hasText) {
    // mixed content: white space is significant, write it back untouched
    let t = '';
    for (let i = 0; i < kids.length; i++) t += inline(kids[i]!);
    return indent + openTag(el) + '>' + t + '</' + el.name + '>\n';
  }
  let s = indent + openTag(el) + '>\n';
  const inner = indent + '  ';
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.type === 'element') s += formatInto(k, inner);
    else if (k.type === 'comment') s += inner + '<!--' + k.text + '-->\n';
    else if (k.type === 'pi') s += inner + '<?' + k.target + (k.text ? ' ' + k.text : '') + '?>\n';
  }
  return s + indent + '</' + el.name + '>\n';
}

/** A node written without any added white space. */
function inline(k: XmlNode): string {
  switch (k.type) {
    case 'text':
      return escapeXml(k.text);
    case 'cdata':
      return '<![CDATA[' + k.text + ']]>';
    case 'comment':
      return '<!--' + k.text + '-->';
    case 'pi':
      return '<?' + k.target + (k.text ? ' ' + k.text : '') + '?>';
    case 'element': {
      if (k.children.length === 0) return openTag(k) + '/>';
      let t = '';
      for (const c of k.children) t += inline(c);
      return openTag(k) + '>' + t + '</' + k.name + '>';
    }
  }
}
