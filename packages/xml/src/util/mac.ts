/**
 * MAC addresses as libvirt parses them (virMacAddrParse): six groups of one or two hex
 * digits separated by ':', anything at or below ' ' may follow; normalised to lowercase
 * two-digit groups.
 */
import { randomBytes } from 'node:crypto';

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The six bytes of `mac`, or undefined when libvirt would reject it. */
export function parseMAC(mac: string): number[] | undefined {
  const out: number[] = [];
  let i = 0;
  for (let g = 0; g < 6; g++) {
    const d1 = hexVal(mac.charCodeAt(i));
    if (d1 < 0) return undefined;
    const d2 = hexVal(mac.charCodeAt(i + 1));
    if (d2 >= 0 && hexVal(mac.charCodeAt(i + 2)) >= 0) return undefined;
    out.push(d2 >= 0 ? d1 * 16 + d2 : d1);
    i += d2 >= 0 ? 2 : 1;
    if (g === 5) return i >= mac.length || mac.charCodeAt(i) <= 32 ? out : undefined;
    if (mac[i] !== ':') return undefined;
    i++;
  }
  return undefined;
}

/** The normalised form of `mac` ('52:54:00:0a:0b:0c'), or undefined when it is not a MAC. */
export function normalizeMAC(mac: string): string | undefined {
  const b = parseMAC(mac);
  return b && b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Whether `mac` is a MAC address libvirt accepts. */
export function isValidMAC(mac: string): boolean {
  return parseMAC(mac) !== undefined;
}

/** Whether the MAC is multicast (low bit of the first octet set). */
export function isMulticastMAC(mac: string): boolean {
  const b = parseMAC(mac);
  return b !== undefined && (b[0]! & 1) === 1;
}

/**
 * A random MAC with the given prefix (QEMU/KVM's 52:54:00 by default), as
 * virMacAddrGenerate; without a prefix the address is locally administered and unicast.
 */
export function generateMAC(prefix = '52:54:00'): string {
  const pre = prefix.split(':').filter(Boolean).map((p) => parseInt(p, 16));
  if (pre.length > 6 || pre.some((p) => !(p >= 0 && p <= 255))) throw new RangeError(`bad MAC prefix '${prefix}'`);
  const bytes = [...pre, ...randomBytes(6 - pre.length)];
  if (pre.length === 0) bytes[0] = (bytes[0]! & 0xfe) | 0x02;
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
