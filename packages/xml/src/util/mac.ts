/**
 * MAC addresses as libvirt parses them (virMacAddrParse): six hex groups of one or two
 * digits separated by ':' (or '-'), normalised to lowercase two-digit groups.
 */
import { randomBytes } from 'node:crypto';

/** The normalised form of `mac` ('52:54:00:0a:0b:0c'), or undefined when it is not a MAC. */
export function normalizeMAC(mac: string): string | undefined {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6) return undefined;
  const sep = mac.includes(':') ? ':' : '-';
  if (mac.includes(':') && mac.includes('-')) return undefined;
  void sep;
  const out: string[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    out.push(p.toLowerCase().padStart(2, '0'));
  }
  return out.join(':');
}

/** Whether `mac` is a MAC address libvirt accepts. */
export function isValidMAC(mac: string): boolean {
  return normalizeMAC(mac) !== undefined;
}

/** Whether the (normalised or not) MAC is multicast (low bit of the first octet set). */
export function isMulticastMAC(mac: string): boolean {
  const n = normalizeMAC(mac);
  return n !== undefined && (parseInt(n.slice(0, 2), 16) & 1) === 1;
}

/** A random MAC with the given prefix (QEMU/KVM's 52:54:00 by default), as virMacAddrGenerate. */
export function generateMAC(prefix = '52:54:00'): string {
  const pre = prefix.split(':').filter(Boolean).map((p) => p.toLowerCase().padStart(2, '0'));
  const rnd = randomBytes(6 - pre.length);
  const bytes = [...pre, ...Array.from(rnd, (b) => b.toString(16).padStart(2, '0'))];
  return bytes.join(':');
}
