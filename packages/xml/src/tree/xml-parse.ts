/**
 * A small, order-preserving XML parser. Entity-safe: internal entities declared in a DOCTYPE
 * are expanded with a size budget (no billion laughs), external entities are never resolved
 * (they expand to nothing, as libvirt's libxml2 set-up does), and nothing touches the network
 * or the file system. Errors are VIR_ERR_XML_DETAIL in libxml2's words, with the line.
 */
import type { XmlElement, XmlNode } from './xml-node.js';
import { isDigit, isHexDigit, isNameChar, isNameStart, isSpace } from './xml-chars.js';
import { lineOf, xmlDetailError } from './xml-parse-error.js';

/** Options of {@link parseXmlDocument}. */
export interface ParseXmlOptions {
  /** The name libvirt shows in parse errors, e.g. `domain_definition`. */
  url?: string;
  /** virErrorDomain reported with parse errors. */
  errorDomain?: number;
}

const MAX_DEPTH = 256;
const MAX_EXPANSION = 1_000_000;

interface Entity {
  value?: string;
  external: boolean;
  expanded?: string;
  busy?: boolean;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Parses a whole XML document and returns its root element. Throws VirtError (code 35). */
export function parseXmlDocument(xml: string, options: ParseXmlOptions = {}): XmlElement {
  return new Parser(xml, options).parseDocument();
}

class Parser {
  readonly #s: string;
  readonly #opts: ParseXmlOptions;
  #i = 0;
  readonly #entities = new Map<string, Entity>();
  #expanded = 0;

  constructor(s: string, opts: ParseXmlOptions) {
    this.#s = s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
    this.#opts = opts;
  }

  #fail(message: string, at = this.#i): never {
    throw xmlDetailError(this.#s, at, message, this.#opts.url, this.#opts.errorDomain);
  }

  #skipSpace(): void {
    const s = this.#s;
    while (this.#i < s.length && isSpace(s.charCodeAt(this.#i))) this.#i++;
  }

  #name(what: string): string {
    const s = this.#s;
    const start = this.#i;
    if (start >= s.length || !isNameStart(s.charCodeAt(start))) this.#fail(what);
    let j = start + 1;
    while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
    this.#i = j;
    return s.slice(start, j);
  }

  parseDocument(): XmlElement {
    const s = this.#s;
    if (s.startsWith('<?xml', 0) && isSpace(s.charCodeAt(5))) {
      const end = s.indexOf('?>', 5);
      if (end < 0) this.#fail('parsing XML declaration: \'?>\' expected', s.length);
      this.#i = end + 2;
    }
    for (;;) {
      this.#skipSpace();
      if (this.#i >= s.length) this.#fail(s.length ? "Start tag expected, '<' not found" : 'Document is empty');
      if (s.startsWith('<!--', this.#i)) this.#comment();
      else if (s.startsWith('<?', this.#i)) this.#pi();
      else if (s.startsWith('<!DOCTYPE', this.#i)) this.#doctype();
      else break;
    }
    if (s.charCodeAt(this.#i) !== 60) this.#fail("Start tag expected, '<' not found");
    const root = this.#element();
    for (;;) {
      this.#skipSpace();
      if (this.#i >= s.length) break;
      if (s.startsWith('<!--', this.#i)) this.#comment();
      else if (s.startsWith('<?', this.#i)) this.#pi();
      else this.#fail('Extra content at the end of the document');
    }
    return root;
  }

  #comment(): XmlNode {
    const end = this.#s.indexOf('-->', this.#i + 4);
    if (end < 0) this.#fail('Comment not terminated', this.#s.length);
    const text = this.#s.slice(this.#i + 4, end);
    this.#i = end + 3;
    return { type: 'comment', text };
  }

  #pi(): XmlNode {
    this.#i += 2;
    const target = this.#name('xmlParsePI : no target name');
    if (target.toLowerCase() === 'xml') this.#fail('XML declaration allowed only at the start of the document');
    const end = this.#s.indexOf('?>', this.#i);
    if (end < 0) this.#fail(`ParsePI: PI ${target} never end ...`, this.#s.length);
    const text = this.#s.slice(this.#i, end).replace(/^[ \t\r\n]+/, '');
    this.#i = end + 2;
    return { type: 'pi', target, text };
  }

  #quoted(what: string, unterminated = what): string {
    const s = this.#s;
    const q = s.charCodeAt(this.#i);
    if (q !== 34 && q !== 39) this.#fail(what);
    const end = s.indexOf(q === 34 ? '"' : "'", this.#i + 1);
    if (end < 0) this.#fail(unterminated.replace('%q', q === 34 ? '"' : "'"), s.length);
    const v = s.slice(this.#i + 1, end);
    this.#i = end + 1;
    return v;
  }

  #doctype(): void {
    const s = this.#s;
    this.#i += 9;
    this.#skipSpace();
    this.#name('xmlParseDocTypeDecl : no DOCTYPE name !');
    this.#skipSpace();
    if (s.startsWith('SYSTEM', this.#i) || s.startsWith('PUBLIC', this.#i)) {
      const pub = s.startsWith('PUBLIC', this.#i);
      this.#i += 6;
      this.#skipSpace();
      this.#quoted('Space required after the Public Identifier');
      this.#skipSpace();
      if (pub && s.charCodeAt(this.#i) !== 62 && s.charCodeAt(this.#i) !== 91) this.#quoted('SystemLiteral " or \' expected');
      this.#skipSpace();
    }
    if (s.charCodeAt(this.#i) === 91) {
      this.#i++;
      this.#internalSubset();
    }
    this.#skipSpace();
    if (s.charCodeAt(this.#i) !== 62) this.#fail('DOCTYPE improperly terminated');
    this.#i++;
  }

  #internalSubset(): void {
    const s = this.#s;
    for (;;) {
      this.#skipSpace();
      if (this.#i >= s.length) this.#fail('internal error: xmlParseInternalSubset: error detected in Markup declaration');
      if (s.charCodeAt(this.#i) === 93) {
        this.#i++;
        return;
      }
      if (s.startsWith('<!--', this.#i)) this.#comment();
      else if (s.startsWith('<?', this.#i)) this.#pi();
      else if (s.startsWith('<!ENTITY', this.#i)) this.#entityDecl();
      else if (s.startsWith('<!', this.#i)) this.#skipMarkupDecl();
      else if (s.charCodeAt(this.#i) === 37) {
        // parameter-entity reference: never loaded
        this.#i++;
        this.#name("PEReference: no name");
        if (s.charCodeAt(this.#i) !== 59) this.#fail('PEReference: expecting \';\'');
        this.#i++;
      } else this.#fail('internal error: xmlParseInternalSubset: error detected in Markup declaration');
    }
  }

  #skipMarkupDecl(): void {
    const s = this.#s;
    let j = this.#i + 2;
    while (j < s.length && s.charCodeAt(j) !== 62) {
      const c = s.charCodeAt(j);
      if (c === 34 || c === 39) {
        const e = s.indexOf(String.fromCharCode(c), j + 1);
        if (e < 0) break;
        j = e;
      }
      j++;
    }
    if (j >= s.length) this.#fail('internal error: xmlParseInternalSubset: error detected in Markup declaration', s.length);
    this.#i = j + 1;
  }

  #entityDecl(): void {
    const s = this.#s;
    this.#i += 8;
    if (!isSpace(s.charCodeAt(this.#i))) this.#fail("Space required after '<!ENTITY'");
    this.#skipSpace();
    let parameter = false;
    if (s.charCodeAt(this.#i) === 37) {
      parameter = true;
      this.#i++;
      this.#skipSpace();
    }
    const name = this.#name('xmlParseEntityDecl: no name');
    this.#skipSpace();
    let ent: Entity;
    if (s.startsWith('SYSTEM', this.#i) || s.startsWith('PUBLIC', this.#i)) {
      const pub = s.startsWith('PUBLIC', this.#i);
      this.#i += 6;
      this.#skipSpace();
      this.#quoted('SystemLiteral " or \' expected');
      if (pub) {
        this.#skipSpace();
        this.#quoted('SystemLiteral " or \' expected');
      }
      this.#skipSpace();
      if (s.startsWith('NDATA', this.#i)) {
        this.#i += 5;
        this.#skipSpace();
        this.#name("xmlParseEntityDecl: no name");
      }
      ent = { external: true };
    } else {
      ent = { external: false, value: this.#quoted('EntityValue: " or \' expected') };
    }
    this.#skipSpace();
    if (s.charCodeAt(this.#i) !== 62) this.#fail('xmlParseEntityDecl: entity ' + name + ' not terminated');
    this.#i++;
    // first declaration wins (XML 1.0 4.2); parameter entities are never used
    if (!parameter && !this.#entities.has(name)) this.#entities.set(name, ent);
  }

  /** Expands references in `raw` (text or attribute value). `attr` normalises white space. */
  #decode(raw: string, at: number, attr: boolean, depth = 0): string {
    if (attr && /[\t\n\r]/.test(raw)) raw = raw.replace(/\r\n|[\t\n\r]/g, ' ');
    else if (raw.includes('\r')) raw = raw.replace(/\r\n?/g, '\n');
    let amp = raw.indexOf('&');
    if (amp < 0) {
      if (attr && raw.includes('<')) this.#fail("Unescaped '<' not allowed in attributes values", at + raw.indexOf('<'));
      return raw;
    }
    let out = '';
    let last = 0;
    while (amp >= 0) {
      out += raw.slice(last, amp);
      let j = amp + 1;
      if (raw.charCodeAt(j) === 35) {
        // character reference: libxml2 names the first bad character, or the bad value
        const hex = raw.charCodeAt(++j) === 120;
        if (hex) j++;
        const start = j;
        while (j < raw.length && (hex ? isHexDigit(raw.charCodeAt(j)) : isDigit(raw.charCodeAt(j)))) j++;
        if (raw.charCodeAt(j) !== 59) this.#fail(`CharRef: invalid ${hex ? 'hexadecimal' : 'decimal'} value`, at + j);
        const code = start === j ? 0 : parseInt(raw.slice(start, j), hex ? 16 : 10);
        if (!(code === 9 || code === 10 || code === 13 || (code >= 32 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff))) {
          this.#fail(`xmlParseCharRef: invalid xmlChar value ${code}`, at + j + 1);
        }
        out += String.fromCodePoint(code);
      } else {
        const start = j;
        if (j < raw.length && isNameStart(raw.charCodeAt(j))) {
          j++;
          while (j < raw.length && isNameChar(raw.charCodeAt(j))) j++;
        }
        if (j === start) this.#fail('xmlParseEntityRef: no name', at + j);
        if (raw.charCodeAt(j) !== 59) this.#fail("EntityRef: expecting ';'", at + j);
        out += this.#entity(raw.slice(start, j), at + amp, depth);
      }
      last = j + 1;
      amp = raw.indexOf('&', last);
    }
    out += raw.slice(last);
    if (attr && out.includes('<') && !raw.includes('&')) this.#fail("Unescaped '<' not allowed in attributes values", at);
    return out;
  }

  #entity(name: string, at: number, depth: number): string {
    const pre = PREDEFINED[name];
    if (pre !== undefined) return pre;
    const ent = this.#entities.get(name);
    if (!ent) this.#fail(`Entity '${name}' not defined`, at + name.length + 2);
    if (ent.external) return '';
    if (ent.expanded === undefined) {
      if (ent.busy || depth > 40) this.#loop(ent, at);
      ent.busy = true;
      ent.expanded = this.#decode(ent.value ?? '', at, false, depth + 1);
      ent.busy = false;
    }
    this.#expanded += ent.expanded.length;
    if (this.#expanded > MAX_EXPANSION || ent.expanded.length > MAX_EXPANSION) this.#loop(ent, at);
    return ent.expanded;
  }

  // libxml2 reports entity loops/amplification inside the entity's text, "at line N"
  #loop(ent: Entity, at: number): never {
    const v = ent.value ?? '';
    const semi = v.indexOf(';');
    throw xmlDetailError(v, semi < 0 ? 0 : semi + 1, 'Detected an entity reference loop', '', this.#opts.errorDomain, lineOf(this.#s, at));
  }

  #element(): XmlElement {
    const s = this.#s;
    const stack: XmlElement[] = [];
    const lines: number[] = [];
    let root: XmlElement | undefined;
    for (;;) {
      // at '<' of a start tag
      const tagStart = this.#i;
      // libxml2 refuses an element with more than 256 open ancestors (no XML_PARSE_HUGE)
      if (stack.length > MAX_DEPTH) this.#fail(`Excessive depth in document: ${MAX_DEPTH} use XML_PARSE_HUGE option`, tagStart);
      this.#i++;
      const name = this.#name('StartTag: invalid element name');
      const el: XmlElement = { type: 'element', name, attributes: [], children: [] };
      let selfClose = false;
      for (;;) {
        const had = this.#i;
        this.#skipSpace();
        if (this.#i >= s.length) this.#fail(`Couldn't find end of Start Tag ${name} line ${lineOf(s, tagStart)}`, s.length);
        const c = s.charCodeAt(this.#i);
        if (c === 62) {
          this.#i++;
          break;
        }
        if (c === 47) {
          if (this.#i + 1 >= s.length) this.#fail(`Couldn't find end of Start Tag ${name} line ${lineOf(s, tagStart)}`, s.length);
          if (s.charCodeAt(this.#i + 1) !== 62) this.#fail(el.attributes.length ? 'attributes construct error' : 'error parsing attribute name');
          this.#i += 2;
          selfClose = true;
          break;
        }
        if (had === this.#i) this.#fail('attributes construct error');
        const an = this.#name('error parsing attribute name');
        this.#skipSpace();
        if (s.charCodeAt(this.#i) !== 61) this.#fail(`Specification mandates value for attribute ${an}`);
        this.#i++;
        this.#skipSpace();
        const vstart = this.#i + 1;
        const raw = this.#quoted('AttValue: " or \' expected', 'AttValue: %q expected');
        for (const a of el.attributes) if (a.name === an) this.#fail(`Attribute ${an} redefined`);
        el.attributes.push({ name: an, value: this.#decode(raw, vstart, true) });
      }
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else root = el;
      if (!selfClose) {
        stack.push(el);
        lines.push(tagStart);
      }
      // content until the next start tag, or until the stack empties
      for (;;) {
        if (stack.length === 0) return root!;
        const cur = stack[stack.length - 1]!;
        const lt = s.indexOf('<', this.#i);
        if (lt < 0) {
          this.#fail(`Premature end of data in tag ${cur.name} line ${lineOf(s, lines[lines.length - 1]!)}`, s.length);
        }
        if (lt > this.#i) {
          const raw = s.slice(this.#i, lt);
          if (raw.includes(']]>')) this.#fail("Sequence ']]>' not allowed in content", this.#i + raw.indexOf(']]>'));
          pushText(cur, this.#decode(raw, this.#i, false));
        }
        this.#i = lt;
        const n = s.charCodeAt(lt + 1);
        if (n === 47) {
          this.#i = lt + 2;
          const close = this.#name('StartTag: invalid element name');
          if (close !== cur.name) {
            this.#skipSpace();
            if (s.charCodeAt(this.#i) === 62) this.#i++;
            this.#fail(`Opening and ending tag mismatch: ${cur.name} line ${lineOf(s, lines[lines.length - 1]!)} and ${close}`);
          }
          this.#skipSpace();
          if (s.charCodeAt(this.#i) !== 62) this.#fail("expected '>'");
          this.#i++;
          // keep `<a></a>` distinct from `<a/>` (libvirt writes both forms)
          if (cur.children.length === 0) cur.children.push({ type: 'text', text: '' });
          stack.pop();
          lines.pop();
        } else if (n === 33) {
          if (s.startsWith('<!--', lt)) cur.children.push(this.#comment());
          else if (s.startsWith('<![CDATA[', lt)) {
            const end = s.indexOf(']]>', lt + 9);
            // libxml2 quotes the first 50 characters of the unfinished section
            if (end < 0) this.#fail(`CData section not finished\n${s.slice(lt + 9, lt + 59)}`, s.length);
            cur.children.push({ type: 'cdata', text: s.slice(lt + 9, end) });
            this.#i = end + 3;
          } else this.#fail('StartTag: invalid element name', lt + 1);
        } else if (n === 63) {
          cur.children.push(this.#pi());
        } else {
          if (!isNameStart(n)) this.#fail('StartTag: invalid element name', lt + 1);
          break;
        }
      }
    }
  }
}

function pushText(el: XmlElement, text: string): void {
  if (!text) return;
  const last = el.children[el.children.length - 1];
  if (last && last.type === 'text') last.text += text;
  else el.children.push({ type: 'text', text });
}
