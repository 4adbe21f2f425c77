/**
 * A small, dependency-free reader for the libvirt XML vksh inspects (disks, interfaces,
 * titles, pool targets): enough of XML to walk elements and read attributes and text.
 * It reads libvirt's own well-formed output; it is not a validating parser.
 */

/** An element: name, attributes, children and concatenated text. */
export interface XmlNode {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** Parses a document and returns its root element (undefined when there is none). */
export function parseXml(doc: string): XmlNode | undefined {
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(doc))) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) {
      top.text += m[1];
    } else if (m[2] !== undefined) {
      if (stack.length > 1) stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of m[4].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decode(a[2] ?? a[3]);
      const node: XmlNode = { name: m[3], attrs, children: [], text: '' };
      top.children.push(node);
      if (m[5] !== '/') stack.push(node);
    } else if (m[6] !== undefined) {
      top.text += decode(m[6]);
    }
  }
  return root.children[0];
}

/** The first child element at a `/`-separated path below `node`. */
export function child(node: XmlNode | undefined, path: string): XmlNode | undefined {
  let cur = node;
  for (const part of path.split('/')) {
    cur = cur?.children.find((c) => c.name === part);
    if (!cur) return undefined;
  }
  return cur;
}

/** All child elements named `name` at a path (`devices/disk`). */
export function children(node: XmlNode | undefined, path: string): XmlNode[] {
  const parts = path.split('/');
  const last = parts.pop()!;
  const parent = parts.length ? child(node, parts.join('/')) : node;
  return parent?.children.filter((c) => c.name === last) ?? [];
}

/** The first of the attributes `names` present on the element at `path`. */
export function attr(node: XmlNode | undefined, path: string, ...names: string[]): string | undefined {
  const el = path ? child(node, path) : node;
  for (const n of names) if (el?.attrs[n] !== undefined) return el.attrs[n];
  return undefined;
}
