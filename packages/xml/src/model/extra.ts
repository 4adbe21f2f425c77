/**
 * The carrier of everything a typed model does not know, so that nothing is lost: unknown
 * attributes, unknown child elements (each anchored after the known sibling it followed) and
 * unknown text. Formatting merges them back in place.
 */
import type { XmlAttribute, XmlElement, XmlNode } from '../tree/xml-node.js';

/** An unknown child element and the name of the known sibling it followed (null: first). */
export interface XmlExtraChild {
  after: string | null;
  node: XmlElement;
}

/** Unknown parts of an element, kept for writing back. */
export interface XmlExtra {
  attributes: XmlAttribute[];
  children: XmlExtraChild[];
  /** The document's attribute order (kept when unknown attributes exist, so they stay in place). */
  attrOrder?: string[];
  /** Non-blank text the model did not consume. */
  text?: string;
}

/** Anything typed that may carry unknown parts. */
export interface HasExtra {
  /** Unknown attributes/children of the element, written back as they were. */
  extra?: XmlExtra;
  /** Unknown parts of simple child elements (`<name foo='x'>`, `<dir path='/' foo='x'/>`), by element name. */
  textExtras?: Record<string, XmlExtra>;
}

/**
 * Builds element `name`: known attributes (undefined ones left out), then unknown ones; known
 * children in libvirt's order with unknown children merged after their anchors.
 */
export function buildElement(
  name: string,
  attrs: ReadonlyArray<readonly [string, string | number | undefined]>,
  children: ReadonlyArray<XmlElement | undefined | false>,
  extra?: XmlExtra,
  text?: string,
): XmlElement {
  const attributes: XmlAttribute[] = [];
  for (let i = 0; i < attrs.length; i++) {
    const v = attrs[i]![1];
    if (v !== undefined) attributes.push({ name: attrs[i]![0], value: typeof v === 'string' ? v : String(v) });
  }
  const kids: XmlNode[] = [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c) kids.push(c);
  }
  if (text !== undefined && text !== '') kids.unshift({ type: 'text', text });
  if (!extra) return { type: 'element', name, attributes, children: kids };
  for (const a of extra.attributes) if (!attributes.some((b) => b.name === a.name)) attributes.push(a);
  if (extra.attrOrder && attributes.length > 1) sortAttributes(attributes, extra.attrOrder);
  if (extra.text) kids.unshift({ type: 'text', text: extra.text });
  if (extra.children.length) mergeChildren(kids, extra.children);
  return { type: 'element', name, attributes, children: kids };
}

// document order for attributes that were there, new ones right after their predecessor
function sortAttributes(attributes: XmlAttribute[], order: string[]): void {
  let prev = -1;
  const keyed = attributes.map((a, i) => {
    const k = order.indexOf(a.name);
    prev = k >= 0 ? k : prev + 0.001;
    return { a, k: prev, i };
  });
  keyed.sort((x, y) => x.k - y.k || x.i - y.i);
  for (let i = 0; i < keyed.length; i++) attributes[i] = keyed[i]!.a;
}

function mergeChildren(kids: XmlNode[], extras: XmlExtraChild[]): void {
  const known = kids.length;
  const known0 = kids.slice();
  let head = 0;
  const tail: XmlNode[] = [];
  const after = new Map<XmlNode, XmlNode[]>();
  for (const x of extras) {
    if (x.after === null) {
      kids.splice(head++, 0, x.node);
      continue;
    }
    let anchor: XmlNode | undefined;
    for (let i = known - 1; i >= 0; i--) {
      const k = known0[i]!;
      if (k.type === 'element' && k.name === x.after) {
        anchor = k;
        break;
      }
    }
    if (!anchor) tail.push(x.node);
    else {
      const list = after.get(anchor);
      if (list) list.push(x.node);
      else after.set(anchor, [x.node]);
    }
  }
  if (after.size) {
    const out: XmlNode[] = [];
    for (const k of kids) {
      out.push(k);
      const list = after.get(k);
      if (list) out.push(...list);
    }
    kids.length = 0;
    kids.push(...out);
  }
  kids.push(...tail);
}
