/**
 * libvirt's checks on `<ip>`, `<dhcp>` and `<forward>` of a network definition (messages and
 * codes of libvirt 9.0's virNetworkDefParseXML).
 */
import { isIP } from 'node:net';
import { virtError } from '@virtkit/core';
import type { XmlElement } from '../tree/xml-node.js';
import { unsupported, VIR_ERR_INTERNAL_ERROR, VIR_FROM_NETWORK, xmlError } from '../util/codes.js';
import { isMulticastMAC, normalizeMAC } from '../util/mac.js';
import type { NetworkDef, NetworkIp } from './network.js';

/** VIR_ERR_SYSTEM_ERROR. */
const VIR_ERR_SYSTEM_ERROR = 38;

/**
 * IPv4 as glibc's inet_aton reads it (what libvirt's getaddrinfo with AI_NUMERICHOST accepts):
 * 1 to 4 parts, each decimal, 0x-hex or 0-octal, the last filling the remaining bytes.
 */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = Number(p);
    else return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return undefined;
  return nums.reduce((a, n, i) => a + n * 256 ** (3 - i), 0) + last;
}

/** 4 for an IPv4 address as libvirt accepts it, 6 for IPv6, 0 otherwise. */
export function ipFamily(s: string): 0 | 4 | 6 {
  if (parseIPv4(s) !== undefined) return 4;
  return isIP(s) === 6 ? 6 : 0;
}

function ipv4(s: string): number {
  return parseIPv4(s) ?? 0;
}

function prefixOf(ip: NetworkIp): number | undefined {
  if (ip.prefix !== undefined) return ip.prefix;
  if (ip.netmask !== undefined && ipFamily(ip.netmask) === 4) {
    const m = ipv4(ip.netmask) >>> 0;
    let n = 0;
    while (n < 32 && ((m >>> (31 - n)) & 1) === 1) n++;
    return n;
  }
  if (ip.address !== undefined && ipFamily(ip.address) === 4) {
    // classful default, as libvirt's virSocketAddrPrefix
    const first = ipv4(ip.address) >>> 24;
    return first < 128 ? 8 : first < 192 ? 16 : 24;
  }
  return undefined;
}

/** Checks one parsed `<ip>`. */
export function validateNetworkIp(ip: NetworkIp, name: string): void {
  if (ip.address === undefined) throw xmlError(`Missing required address attribute in network '${name}'`, VIR_FROM_NETWORK);
  if (ip.netmask !== undefined && ipFamily(ip.netmask) !== 4) throw xmlError(`Invalid netmask '${ip.netmask}' in network '${name}'`, VIR_FROM_NETWORK);
  if (ip.family !== undefined && ip.family !== 'ipv4' && ip.family !== 'ipv6') {
    throw xmlError(`Unrecognized family '${ip.family}' in network '${name}'`, VIR_FROM_NETWORK);
  }
  const fam = ipFamily(ip.address);
  if (ip.family === 'ipv6' && fam !== 6) throw unsupported(`Family 'ipv6' specified for non-IPv6 address '${ip.address}' in network '${name}'`, VIR_FROM_NETWORK);
  if (ip.family === 'ipv4' && fam !== 4) throw unsupported(`Family 'ipv4' specified for non-IPv4 address '${ip.address}' in network '${name}'`, VIR_FROM_NETWORK);
  if (ip.family === undefined && fam !== 4) throw unsupported(`no family specified for non-IPv4 address '${ip.address}' in network '${name}'`, VIR_FROM_NETWORK);
  if (ip.prefix !== undefined && ip.prefix > (fam === 4 ? 32 : 128)) {
    throw unsupported(`Invalid IPv${fam} prefix '${ip.prefix}' in network '${name}'`, VIR_FROM_NETWORK);
  }
  for (const h of ip.dhcp?.hosts ?? []) {
    if (h.mac !== undefined) {
      if (!normalizeMAC(h.mac)) throw xmlError(`Cannot parse MAC address '${h.mac}' in network '${name}'`, VIR_FROM_NETWORK);
      if (isMulticastMAC(h.mac)) throw xmlError(`expected unicast mac address, found multicast '${h.mac}' in network '${name}'`, VIR_FROM_NETWORK);
    }
    if (h.ip !== undefined && !ipFamily(h.ip)) throw xmlError(`Invalid IP address in static host definition for network '${name}'`, VIR_FROM_NETWORK);
  }
  const prefix = prefixOf(ip);
  for (const r of ip.dhcp?.ranges ?? []) {
    if (r.start === undefined) throw xmlError(`Missing 'start' attribute in dhcp range for network '${name}'`, VIR_FROM_NETWORK);
    if (r.end === undefined) throw xmlError(`Missing 'end' attribute in dhcp range for network '${name}'`, VIR_FROM_NETWORK);
    for (const a of [r.start, r.end]) {
      if (a !== undefined && !ipFamily(a)) throw virtError(VIR_ERR_SYSTEM_ERROR, `Cannot parse socket address '${a}': Name or service not known`, 0);
    }
    if (fam === 4 && prefix !== undefined && r.start && r.end && ipFamily(r.start) === 4 && ipFamily(r.end) === 4) {
      const net = Math.floor(ipv4(ip.address) / 2 ** (32 - prefix));
      const inside = (a: string) => Math.floor(ipv4(a) / 2 ** (32 - prefix)) === net;
      if (!inside(r.start) || !inside(r.end)) {
        throw virtError(VIR_ERR_INTERNAL_ERROR, `range ${r.start} - ${r.end} is not entirely within network ${ip.address}/${prefix}`, 0);
      }
    }
  }
}

/** Checks the forward mode against the addresses and interfaces. */
export function validateNetworkForward(def: NetworkDef, fwd: XmlElement | undefined): void {
  const mode = def.forward?.mode ?? (fwd ? 'nat' : undefined);
  if ((mode === 'nat' || mode === 'route' || mode === 'open') && def.ips.length === 0) {
    throw xmlError(`${mode} forwarding requested, but no IP address provided for network '${def.name}'`, VIR_FROM_NETWORK);
  }
  const first = fwd?.children.find((c): c is XmlElement => c.type === 'element' && c.name === 'interface');
  const firstDev = first?.attributes.find((a) => a.name === 'dev')?.value;
  if (def.forward?.dev !== undefined && firstDev !== undefined && firstDev !== def.forward.dev) {
    throw xmlError(`<forward dev='${def.forward.dev}'> must match first <interface dev='${firstDev}'/> in network ${def.name}`, VIR_FROM_NETWORK);
  }
}
