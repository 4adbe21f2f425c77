/**
 * Fields most documents share: name, uuid, simple text children, byte sizes.
 */
import { virtError } from '@virtkit/core';
import { ElementReader, elementText, keepTextExtra } from './element-reader.js';
import type { HasExtra, XmlExtra } from './extra.js';
import { buildElement } from './extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { parseULongLong, scaleIntegerBig, ULLONG_MAX } from '../util/units.js';
import { parseUUID } from '../util/uuid.js';

/** A byte size with the unit libvirt writes back (`bytes`). */
export interface ByteSize {
  bytes: number;
  extra?: XmlExtra;
}

/** Reads `<uuid>` if present; a malformed one throws `err()`. */
export function readUUID(r: ElementReader, err: () => Error, owner?: HasExtra): string | undefined {
  const el = r.child('uuid');
  if (!el) return undefined;
  if (owner) keepTextExtra(el, owner);
  const u = parseUUID(elementText(el));
  if (!u) throw err();
  return u;
}

/**
 * Reads a size element like virStorageSize: value scaled by `unit` (default bytes), at most
 * ULLONG_MAX; a malformed number throws `malformed()`.
 */
export function readByteSize(r: ElementReader, name: string, malformed: () => Error): ByteSize | undefined {
  const el = r.child(name);
  if (!el) return undefined;
  const er = new ElementReader(el);
  const raw = er.text();
  const unit = er.attr('unit');
  const v = parseULongLong(raw);
  if (v === undefined) throw malformed();
  const bytes = Number(scaleIntegerBig(v, unit, 1, ULLONG_MAX));
  const extra = er.extra();
  return extra ? { bytes, extra } : { bytes };
}

/** `<name unit='bytes'>N</name>`. */
export function formatByteSize(name: string, s: ByteSize | undefined): XmlElement | undefined {
  return s ? buildElement(name, [['unit', 'bytes']], [], s.extra, bigString(s.bytes)) : undefined;
}

/** A non-negative integer as decimal digits (no exponent form for large values). */
export function bigString(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.round(n)).toString();
}

/** Simple `<name>text</name>` element (with `owner.textExtras[name]` merged), or undefined. */
export function textElement(name: string, v: string | undefined, owner?: HasExtra): XmlElement | undefined {
  return v === undefined ? undefined : buildElement(name, [], [], owner?.textExtras?.[name], v);
}

/** Throws `virtError(code, detail, domain)` lazily. */
export function lazyError(code: number, detail: string | undefined, domain: number): () => Error {
  return () => virtError(code, detail, domain);
}
