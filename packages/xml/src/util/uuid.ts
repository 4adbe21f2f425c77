/**
 * UUIDs as libvirt handles them: parsing accepts 32 hex digits with '-' or ' ' anywhere
 * between byte pairs and surrounding white space (virUUIDParse); formatting is lowercase
 * 8-4-4-4-12.
 */
import { randomUUID } from 'node:crypto';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** Parses a UUID the way virUUIDParse does; returns the canonical lowercase form or undefined. */
export function parseUUID(s: string): string | undefined {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  let hex = '';
  while (hex.length < 32) {
    if (i >= s.length) return undefined;
    const c = s[i]!;
    if (c === '-' || c === ' ') {
      i++;
      continue;
    }
    if (!/[0-9a-fA-F]/.test(c) || i + 1 >= s.length || !/[0-9a-fA-F]/.test(s[i + 1]!)) return undefined;
    hex += c + s[i + 1]!;
    i += 2;
  }
  while (i < s.length) {
    const c = s[i++]!;
    if (!isSpace(c)) return undefined;
  }
  hex = hex.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether `s` is a UUID libvirt accepts. */
export function isValidUUID(s: string): boolean {
  return parseUUID(s) !== undefined;
}

/** A random (version 4) UUID, lowercase, as virUUIDGenerate. */
export function generateUUID(): string {
  // version 4, RFC 4122 variant, lower case: what virUUIDGenerate makes (Node's is drawn from
  // a cached entropy pool: no buffer per call)
  return randomUUID();
}
