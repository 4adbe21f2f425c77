/**
 * The canonical form of xmlcanon.py, on our own tree: comments and PIs dropped, text trimmed,
 * attributes as a set, children sorted by name (stable) — for in-process comparisons.
 */
import type { XmlElement } from '@virtkit/xml';

/** A canonical, comparable string for `el`. */
export function canon(el: XmlElement): string {
  let text = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') text += c.text;
  const kids = el.children.filter((c): c is XmlElement => c.type === 'element');
  const sorted = kids.map((k, i) => ({ k, i })).sort((a, b) => (a.k.name < b.k.name ? -1 : a.k.name > b.k.name ? 1 : a.i - b.i));
  const attrs = el.attributes.map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort();
  return `<${el.name} ${attrs.join(' ')}>${JSON.stringify(text.trim())}[${sorted.map((s) => canon(s.k)).join(',')}]`;
}
