/**
 * Character devices: `<serial>`, `<parallel>`, `<console>`, `<channel>`.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { virtError } from '@virtkit/core';
import { checkSupported, VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, xmlError } from '../util/codes.js';
import { parseUInt } from '../util/units.js';
import { formatAddress, formatAlias, keepExtra, readDeviceCommon } from './device-common.js';
import type { ChardevDef, ChardevSource } from './device-types.js';

const CHR_TYPES = ['null', 'vc', 'pty', 'dev', 'file', 'pipe', 'stdio', 'udp', 'tcp', 'unix', 'spicevmc', 'spiceport', 'nmdm', 'qemu-vdagent', 'dbus'];
const SOURCE_ATTRS = ['mode', 'path', 'host', 'service'] as const;

const TARGET_TYPES: Record<string, readonly string[]> = {
  serial: ['isa-serial', 'usb-serial', 'pci-serial', 'spapr-vio-serial', 'system-serial', 'sclp-serial', 'isa-debug'],
  console: ['serial', 'xen', 'uml', 'virtio', 'lxc', 'openvz', 'sclp', 'sclplm'],
  channel: ['guestfwd', 'virtio', 'xen'],
};
const TARGET_MODELS = ['isa-serial', 'usb-serial', 'pci-serial', 'spapr-vty', 'pl011', 'sclpconsole', 'sclplmconsole', '16550a', 'isa-debugcon'];

// what libvirt requires of the host side: a path, or a host and service
function checkChardevSource(element: string, c: ChardevDef): void {
  const s = c.sources[0];
  const missing = (what: string) => virtError(VIR_ERR_INTERNAL_ERROR, `Missing source ${what} attribute for char device`, VIR_FROM_DOMAIN);
  switch (c.type) {
    case 'file': case 'pipe': case 'dev':
      if (!s?.path) throw missing('path');
      break;
    case 'unix':
      if (!s?.path && element !== 'channel') throw missing('path');
      break;
    case 'tcp':
      if (!s?.host) throw missing('host');
      if (!s.service) throw missing('service');
      break;
    case 'udp':
      if (!c.sources.some((x) => x.service)) throw missing('service');
      break;
  }
}

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
  checkChardevSource(el.name, c);
  const t = r.child('target');
  if (el.name === 'channel' && !t?.attributes.some((a) => a.name === 'type')) throw xmlError('target type must be specified for channel device');
  if (t) {
    const tr = new ElementReader(t);
    const target: NonNullable<ChardevDef['target']> = {};
    const tt = tr.attr('type');
    checkSupported(tt, TARGET_TYPES[el.name] ?? [], (v) => `unknown target type '${v}' specified for character device`);
    const model = t.children.find((k): k is XmlElement => k.type === 'element' && k.name === 'model');
    const mname = model?.attributes.find((a) => a.name === 'name')?.value;
    checkSupported(mname, TARGET_MODELS, (v) => `unknown target model '${v}' specified for character device`);
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
