/**
 * The generic, lossless XML element tree used for everything without a typed model
 * (and as the carrier of parts a typed model does not know).
 */

/** One attribute, kept in document order. `name` is the qualified name (`xmlns:foo`, `foo:bar`). */
export interface XmlAttribute {
  name: string;
  value: string;
}

/** An element: name, ordered attributes and children (elements, text, CDATA, comments, PIs). */
export interface XmlElement {
  readonly type: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

/** Character data (already unescaped). */
export interface XmlText {
  readonly type: 'text';
  text: string;
}

/** A CDATA section (content verbatim). */
export interface XmlCData {
  readonly type: 'cdata';
  text: string;
}

/** A comment (content between `<!--` and `-->`). */
export interface XmlComment {
  readonly type: 'comment';
  text: string;
}

/** A processing instruction inside the document element. */
export interface XmlProcessingInstruction {
  readonly type: 'pi';
  target: string;
  text: string;
}

/** Any child of an element. */
export type XmlNode = XmlElement | XmlText | XmlCData | XmlComment | XmlProcessingInstruction;

/** Builds an element; `attrs` entries whose value is undefined are left out. */
export function xmlElement(
  name: string,
  attrs: ReadonlyArray<readonly [string, string | number | boolean | undefined]> = [],
  children: XmlNode[] = [],
): XmlElement {
  const attributes: XmlAttribute[] = [];
  for (const [n, v] of attrs) if (v !== undefined) attributes.push({ name: n, value: String(v) });
  return { type: 'element', name, attributes, children };
}

/** Builds a text node. */
export function xmlText(text: string): XmlText {
  return { type: 'text', text };
}

/** The value of attribute `name`, or undefined. */
export function getAttribute(el: XmlElement, name: string): string | undefined {
  for (const a of el.attributes) if (a.name === name) return a.value;
  return undefined;
}

/** Sets (or, with undefined, removes) attribute `name`, keeping its position when present. */
export function setAttribute(el: XmlElement, name: string, value: string | undefined): void {
  const i = el.attributes.findIndex((a) => a.name === name);
  if (value === undefined) {
    if (i >= 0) el.attributes.splice(i, 1);
  } else if (i >= 0) el.attributes[i]!.value = value;
  else el.attributes.push({ name, value });
}

/** The child elements of `el`, optionally only those called `name`. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.type === 'element' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** The first child element called `name`, or undefined. */
export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.type === 'element' && c.name === name) return c;
  return undefined;
}

/** The concatenated text and CDATA content directly inside `el`. */
export function textContent(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') s += c.text;
  return s;
}

/** A deep copy of a node. */
export function cloneNode<T extends XmlNode>(node: T): T {
  if (node.type !== 'element') return { ...node };
  return {
    type: 'element',
    name: node.name,
    attributes: node.attributes.map((a) => ({ name: a.name, value: a.value })),
    children: node.children.map((c) => cloneNode(c)),
  } as XmlElement as T;
}
