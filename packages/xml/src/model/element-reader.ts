/**
 * Reads a typed model out of an element while tracking which attributes and children were
 * used; what is left over becomes the element's {@link XmlExtra}.
 */
import type { XmlElement } from '../tree/xml-node.js';
import type { HasExtra, XmlExtra, XmlExtraChild } from './extra.js';

/** Tracks consumption of one element's attributes and children. */
export class ElementReader {
  /** The element being read. */
  readonly el: XmlElement;
  #usedAttrs = 0;
  #usedAttrMask: boolean[] | undefined;
  /** Children used so far; created on first use (most readers are of leaf elements). */
  #used: Set<XmlElement> | undefined = undefined;
  #usedText = false;

  constructor(el: XmlElement) {
    this.el = el;
  }

  /** The value of attribute `name` (marked as known). */
  attr(name: string): string | undefined {
    const attrs = this.el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      if (attrs[i]!.name === name) {
        const mask = (this.#usedAttrMask ??= new Array<boolean>(attrs.length).fill(false));
        if (!mask[i]) {
          mask[i] = true;
          this.#usedAttrs++;
        }
        return attrs[i]!.value;
      }
    }
    return undefined;
  }

  /** The first child called `name` (marked as known). */
  child(name: string): XmlElement | undefined {
    for (const c of this.el.children) {
      if (c.type === 'element' && c.name === name && !this.#isUsed(c)) {
        this.use(c);
        return c;
      }
    }
    return undefined;
  }

  /** The first unused child called `name`, without marking it. */
  peek(name: string): XmlElement | undefined {
    for (const c of this.el.children) if (c.type === 'element' && c.name === name && !this.#isUsed(c)) return c;
    return undefined;
  }

  /**
   * The text of child `name` when its content is plain text; else the element is left
   * unknown. Attributes are only accepted with an `owner`, which keeps them in `textExtras`.
   */
  simpleText(name: string, owner?: HasExtra): string | undefined {
    const c = this.peek(name);
    if (!c || (c.attributes.length && !owner)) return undefined;
    for (const k of c.children) if (k.type !== 'text' && k.type !== 'cdata') return undefined;
    this.use(c);
    if (owner && c.attributes.length) keepTextExtra(c, owner);
    return elementText(c);
  }

  /** Whether an empty child `name` (no attributes/children) is present; consumes it. */
  bareFlag(name: string): boolean {
    const c = this.peek(name);
    if (!c || c.attributes.length || c.children.length) return false;
    this.use(c);
    return true;
  }

  /** A reader over the first child called `name`, or undefined. */
  sub(name: string): ElementReader | undefined {
    const c = this.child(name);
    return c ? new ElementReader(c) : undefined;
  }

  /** All children called `name` (marked as known). */
  children(name: string): XmlElement[] {
    const out: XmlElement[] = [];
    for (const c of this.el.children) {
      if (c.type === 'element' && c.name === name) {
        this.use(c);
        out.push(c);
      }
    }
    return out;
  }

  /** Marks `el` (a child) as known. */
  use(el: XmlElement): void {
    (this.#used ??= new Set()).add(el);
  }

  #isUsed(el: XmlElement): boolean {
    return this.#used !== undefined && this.#used.has(el);
  }

  /** The text of child `name` (marked as known), or undefined when absent. */
  childText(name: string): string | undefined {
    const c = this.child(name);
    return c ? elementText(c) : undefined;
  }

  /** The element's own text (marked as known). */
  text(): string {
    this.#usedText = true;
    return elementText(this.el);
  }

  /** Whether child `name` exists (marked as known). */
  flag(name: string): boolean {
    return this.child(name) !== undefined;
  }

  /** Everything not consumed, or undefined when the model knew it all. */
  extra(): XmlExtra | undefined {
    const attrs = this.el.attributes;
    const attributes = this.#usedAttrs === attrs.length ? [] : attrs.filter((_, i) => !this.#usedAttrMask?.[i]);
    const children: XmlExtraChild[] = [];
    let after: string | null = null;
    let text = '';
    for (const c of this.el.children) {
      if (c.type === 'element') {
        if (this.#isUsed(c)) after = c.name;
        else children.push({ after, node: c });
      } else if (!this.#usedText && (c.type === 'text' || c.type === 'cdata')) text += c.text;
    }
    const t = text.trim() ? text : undefined;
    if (!attributes.length && !children.length && !t) return undefined;
    const out: XmlExtra = { attributes, children };
    if (attributes.length) out.attrOrder = attrs.map((a) => a.name);
    if (t) out.text = t;
    return out;
  }
}

/** Records the attributes of text-valued element `el` in `owner.textExtras[el.name]`. */
export function keepTextExtra(el: XmlElement, owner: HasExtra): void {
  if (!el.attributes.length) return;
  (owner.textExtras ??= {})[el.name] = { attributes: el.attributes.slice(), children: [] };
}

/** The text (and CDATA) directly inside `el`. */
export function elementText(el: XmlElement): string {
  const k = el.children;
  if (k.length === 1 && (k[0]!.type === 'text' || k[0]!.type === 'cdata')) return k[0]!.text;
  let s = '';
  for (const c of k) if (c.type === 'text' || c.type === 'cdata') s += c.text;
  return s;
}
