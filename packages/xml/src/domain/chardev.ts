/**
 * Character devices: `<serial>`, `<parallel>`, `<console>`, `<channel>`.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { checkSupported, xmlError } from '../util/codes.js';
import { parseUInt } from '../util/units.js';
import { formatAddress, formatAlias, keepExtra, readDeviceCommon } from './device-common.js';
import type { ChardevDef, ChardevSource } from './device-types.js';

const CHR_TYPES = ['null', 'vc', 'pty', 'dev', 'file', 'pipe', 'stdio', 'udp', 'tcp', 'unix', 'spicevmc', 'spiceport', 'nmdm', 'qemu-vdagent', 'dbus'];
const SOURCE_ATTRS = ['mode', 'path', 'host', 'service'] as const;

/** Parses a character device element (any of the four names). */
export function parseChardev(el: XmlElement): ChardevDef {
  const r = new ElementReader(el);
  const c: ChardevDef = { sources: [] };
  const type = r.attr('type');
  checkSupported(type, CHR_TYPES, (v) => `unknown type presented to host for character device: ${v}`);
  if (type !== undefined) c.type = type;
  for (const s of r.children('source')) {
    const sr = new ElementReader(s);
    const src: ChardevSource = {};
    for (const a of SOURCE_ATTRS) {
      const v = sr.attr(a);
      if (v !== undefined) src[a] = v;
    }
    keepExtra(sr, src);
    c.sources.push(src);
  }
  const t = r.child('target');
  if (t) {
    const tr = new ElementReader(t);
    const target: NonNullable<ChardevDef['target']> = {};
    const tt = tr.attr('type');
    if (tt !== undefined) target.type = tt;
    const port = tr.attr('port');
    if (port !== undefined) {
      const p = parseUInt(port, 2147483647);
      if (p === undefined) throw xmlError(`Invalid port number: ${port}`);
      target.port = p;
    }
    const name = tr.attr('name');
    if (name !== undefined) target.name = name;
    keepExtra(tr, target);
    c.target = target;
  }
  readDeviceCommon(r, c);
  keepExtra(r, c);
  return c;
}

/** Formats a character device as element `name` (serial, parallel, console, channel). */
export function formatChardev(name: string, c: ChardevDef): XmlElement {
  const t = c.target;
  return buildElement(
    name,
    [['type', c.type]],
    [
      ...c.sources.map((s) => buildElement('source', [['mode', s.mode], ['path', s.path], ['host', s.host], ['service', s.service]], [], s.extra)),
      t && buildElement('target', [['type', t.type], ['name', t.name], ['port', t.port]], [], t.extra),
      formatAlias(c),
      formatAddress(c),
    ],
    c.extra,
  );
}
