/**
 * Virtual network documents (`<network>`): typed model, parse and format.
 */
import { virtError } from '@virtkit/core';
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { readUUID, textElement } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement, markExpanded, markLibxmlDump } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { checkSupported, propUInt, VIR_ERR_INTERNAL_ERROR, VIR_ERR_NO_NAME, VIR_FROM_NETWORK, VIR_FROM_XML, xmlError } from '../util/codes.js';
import { isMulticastMAC, normalizeMAC } from '../util/mac.js';
import { expectRoot } from '../domain/domain-parse.js';
import { keepExtra } from '../domain/device-common.js';
import { ipFamily, validateNetworkForward, validateNetworkIp } from './network-validate.js';

const FORWARD_MODES = ['nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'];

/** `<ip address='192.168.122.1' netmask='255.255.255.0'>` with dhcp etc. kept as extra. */
export interface NetworkIp extends HasExtra {
  address?: string;
  netmask?: string;
  prefix?: number;
  family?: string;
  /** `<dhcp>`: address ranges and static hosts (bootp etc. as extra). */
  dhcp?: NetworkDhcp;
}

/** `<range start='...' end='...'/>` (a `<lease>` child is kept as extra). */
export interface NetworkDhcpRange extends HasExtra {
  start?: string;
  end?: string;
}

/** `<host mac='...' name='...' ip='...'/>`. */
export interface NetworkDhcpHost extends HasExtra {
  mac?: string;
  id?: string;
  name?: string;
  ip?: string;
}

/** An `<ip>`'s DHCP service. */
export interface NetworkDhcp extends HasExtra {
  ranges: NetworkDhcpRange[];
  hosts: NetworkDhcpHost[];
}

function parseDhcp(el: XmlElement): NetworkDhcp {
  const r = new ElementReader(el);
  const d: NetworkDhcp = { ranges: [], hosts: [] };
  for (const x of r.children('range')) {
    const rr = new ElementReader(x);
    const range: NetworkDhcpRange = {};
    for (const k of ['start', 'end'] as const) {
      const v = rr.attr(k);
      if (v !== undefined) range[k] = v;
    }
    keepExtra(rr, range);
    d.ranges.push(range);
  }
  for (const x of r.children('host')) {
    const hr = new ElementReader(x);
    const host: NetworkDhcpHost = {};
    for (const k of ['mac', 'id', 'name', 'ip'] as const) {
      const v = hr.attr(k);
      if (v !== undefined) host[k] = v;
    }
    keepExtra(hr, host);
    d.hosts.push(host);
  }
  keepExtra(r, d);
  return d;
}

function formatDhcp(d: NetworkDhcp): XmlElement {
  return buildElement(
    'dhcp',
    [],
    [
      ...d.ranges.map((x) => buildElement('range', [['start', x.start], ['end', x.end]], [], x.extra)),
      ...d.hosts.map((h) => buildElement('host', [['mac', h.mac], ['id', h.id], ['name', h.name], ['ip', h.ip]], [], h.extra)),
    ],
    d.extra,
  );
}

/** A virtual network definition. */
export interface NetworkDef extends HasExtra {
  name: string;
  uuid?: string;
  title?: string;
  description?: string;
  metadata?: XmlElement;
  /** `<forward mode='nat' dev='eth0'>` (interfaces, nat ranges... as extra). */
  forward?: { mode?: string; dev?: string } & HasExtra;
  /** `<bridge name='virbr0' stp='on' delay='0'/>`. */
  bridge?: { name?: string; stp?: string; delay?: string } & HasExtra;
  /** `<mac address='...'/>`, normalised. */
  mac?: string;
  /** `<domain name='example.com'/>`. */
  domain?: { name?: string } & HasExtra;
  ips: NetworkIp[];
}

/** Parses a `<network>` document. */
export function parseNetworkXML(xml: string): NetworkDef {
  return parseNetworkElement(parseXmlDocument(xml, { url: 'network_definition', errorDomain: VIR_FROM_NETWORK }));
}

/** Parses a `<network>` element. */
export function parseNetworkElement(root: XmlElement): NetworkDef {
  expectRoot(root, 'network');
  const r = new ElementReader(root);
  const te: HasExtra = {};
  const name = r.simpleText('name', te)?.trim();
  if (!name) throw virtError(VIR_ERR_NO_NAME, undefined, VIR_FROM_NETWORK);
  // libvirt's network parser reports this one as an XML_DETAIL from the XML domain
  if (name.includes('/')) throw virtError(35, 'invalid char in name: /', VIR_FROM_XML);
  const def: NetworkDef = { name, ips: [] };
  if (te.textExtras) def.textExtras = te.textExtras;
  const uuid = readUUID(r, () => virtError(VIR_ERR_INTERNAL_ERROR, `malformed uuid element`, VIR_FROM_NETWORK), def);
  if (uuid) def.uuid = uuid;
  const title = r.simpleText('title', def);
  if (title !== undefined) def.title = title;
  const desc = r.simpleText('description', def);
  if (desc !== undefined) def.description = desc;
  const md = r.child('metadata');
  if (md) def.metadata = md;
  const fwd = r.child('forward');
  if (fwd) {
    const fr = new ElementReader(fwd);
    def.forward = {};
    const mode = fr.attr('mode');
    checkSupported(mode, FORWARD_MODES, (v) => `unknown forwarding type '${v}'`, VIR_FROM_NETWORK);
    if (mode !== undefined) def.forward.mode = mode;
    const dev = fr.attr('dev');
    if (dev !== undefined) def.forward.dev = dev;
    keepExtra(fr, def.forward);
  }
  const br = r.child('bridge');
  if (br) {
    const brr = new ElementReader(br);
    def.bridge = {};
    for (const k of ['name', 'stp', 'delay'] as const) {
      const v = brr.attr(k);
      if (v !== undefined) def.bridge[k] = v;
    }
    keepExtra(brr, def.bridge);
  }
  const macEl = r.peek('mac');
  if (macEl && macEl.attributes.length === 1 && macEl.attributes[0]!.name === 'address' && !macEl.children.length) {
    r.use(macEl);
    const raw = macEl.attributes[0]!.value;
    const mac = normalizeMAC(raw);
    if (!mac) throw xmlError(`Invalid bridge mac address '${raw}' in network '${name}'`, VIR_FROM_NETWORK);
    if (isMulticastMAC(mac)) throw xmlError(`Invalid multicast bridge mac address '${raw}' in network '${name}'`, VIR_FROM_NETWORK);
    def.mac = mac;
  }
  const dom = r.child('domain');
  if (dom) {
    const dr = new ElementReader(dom);
    def.domain = {};
    const n = dr.attr('name');
    if (n !== undefined) def.domain.name = n;
    keepExtra(dr, def.domain);
  }
  for (const ipEl of r.children('ip')) {
    const ir = new ElementReader(ipEl);
    const ip: NetworkIp = {};
    const family = ir.attr('family');
    if (family !== undefined) ip.family = family;
    const address = ir.attr('address');
    if (address === undefined) throw xmlError(`Missing required address attribute in network '${name}'`, VIR_FROM_NETWORK);
    if (!ipFamily(address)) throw xmlError(`Invalid address '${address}' in network '${name}'`, VIR_FROM_NETWORK);
    if (address !== undefined) ip.address = address;
    const netmask = ir.attr('netmask');
    if (netmask !== undefined) ip.netmask = netmask;
    const prefix = propUInt(ir.attr('prefix'), 'prefix', 'ip');
    if (prefix !== undefined) ip.prefix = prefix;
    const dhcp = ir.child('dhcp');
    if (dhcp) ip.dhcp = parseDhcp(dhcp);
    validateNetworkIp(ip, name);
    keepExtra(ir, ip);
    def.ips.push(ip);
  }
  keepExtra(r, def);
  validateNetworkForward(def, fwd);
  return def;
}

/** Builds the `<network>` element. */
export function formatNetworkElement(def: NetworkDef): XmlElement {
  const f = def.forward;
  const b = def.bridge;
  if (def.metadata) for (const c of def.metadata.children) if (c.type === 'element') markLibxmlDump(c);
  return buildElement(
    'network',
    [],
    [
      textElement('name', def.name, def),
      textElement('uuid', def.uuid, def),
      textElement('title', def.title, def),
      textElement('description', def.description, def),
      def.metadata,
      f && buildElement('forward', [['dev', f.dev], ['mode', f.mode]], [], f.extra),
      b && buildElement('bridge', [['name', b.name], ['stp', b.stp], ['delay', b.delay]], [], b.extra),
      def.mac !== undefined && buildElement('mac', [['address', def.mac]], []),
      def.domain && buildElement('domain', [['name', def.domain.name]], [], def.domain.extra),
      ...def.ips.map((ip) =>
        markExpanded(buildElement('ip', [['family', ip.family], ['address', ip.address], ['netmask', ip.netmask], ['prefix', ip.prefix]], [ip.dhcp && formatDhcp(ip.dhcp)], ip.extra)),
      ),
    ],
    def.extra,
  );
}

/** Formats a network as libvirt does. */
export function formatNetworkXML(def: NetworkDef): string {
  return formatXmlElement(formatNetworkElement(def));
}
