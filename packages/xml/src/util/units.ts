/**
 * Scaled integers and units, exactly as libvirt's virScaleInteger: `b`/`bytes` = 1,
 * `k`/`KiB` = 1024, `KB` = 1000, ... up to `E`/`EiB`; anything else is VIR_ERR_INVALID_ARG
 * "unknown suffix", and a result above the limit is VIR_ERR_OVERFLOW "value too large".
 */
import { virtError } from '@virtkit/core';
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_INVALID_ARG, VIR_ERR_OVERFLOW } from './codes.js';

/** ULLONG_MAX. */
export const ULLONG_MAX = 18446744073709551615n;
/** LLONG_MAX. */
export const LLONG_MAX = 9223372036854775807n;

const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** The multiplier `unit` stands for (defaultScale when unit is empty). Throws on an unknown unit. */
export function unitScale(unit: string | undefined, defaultScale: bigint | number): bigint {
  if (unit === undefined || unit === '') {
    if (!defaultScale) throw virtError(VIR_ERR_INTERNAL_ERROR, `invalid scale ${defaultScale}`);
    return BigInt(defaultScale);
  }
  const lower = unit.toLowerCase();
  if (lower === 'b' || lower === 'byte' || lower === 'bytes') return 1n;
  let base: bigint;
  if (unit.length === 1 || lower.slice(1) === 'ib') base = 1024n;
  else if (lower[1] === 'b' && unit.length === 2) base = 1000n;
  else throw virtError(VIR_ERR_INVALID_ARG, `unknown suffix '${unit}'`);
  const p = POWERS[lower[0]!];
  if (p === undefined) throw virtError(VIR_ERR_INVALID_ARG, `unknown suffix '${unit}'`);
  return base ** BigInt(p);
}

/** virScaleInteger on bigints: value * scale(unit), at most `max`. */
export function scaleIntegerBig(value: bigint, unit: string | undefined, defaultScale: bigint | number, max: bigint): bigint {
  const scale = unitScale(unit, defaultScale);
  if (value && value > max / scale) {
    throw virtError(VIR_ERR_OVERFLOW, `value too large: ${value}${unit ?? ''}`);
  }
  return value * scale;
}

/**
 * libvirt's virScaleInteger: parses the decimal `value`, scales it by `unit` (or
 * `defaultScale` when no unit), and checks it against `max`. Returns a number (exact up to
 * 2^53; use {@link scaleIntegerBig} beyond).
 */
export function parseScaledInteger(value: string, unit: string | undefined, defaultScale: number, max: number | bigint): number {
  const v = parseULongLong(value);
  if (v === undefined) throw virtError(VIR_ERR_INVALID_ARG, `malformed value '${value}'`);
  const lim = typeof max === 'bigint' ? max : Number.isSafeInteger(max) ? BigInt(max) : ULLONG_MAX;
  return Number(scaleIntegerBig(v, unit, defaultScale, lim));
}

const ULL_RE = /^[ \t\n\v\f\r]*\+?[0-9]+$/;

/** virStrToLong_ullp: a non-negative decimal that fits 64 bits, else undefined. */
export function parseULongLong(s: string): bigint | undefined {
  if (!ULL_RE.test(s)) return undefined;
  const v = BigInt(s.trim());
  return v > ULLONG_MAX ? undefined : v;
}

/** virStrToLong_ui-style: a non-negative decimal integer up to `max`, else undefined. */
export function parseUInt(s: string | undefined, max = 4294967295): number | undefined {
  if (s === undefined || !/^[ \t\n\v\f\r]*\+?[0-9]+$/.test(s)) return undefined;
  const v = Number(s.trim());
  return v > max ? undefined : v;
}

/** A signed decimal integer (virStrToLong_i), else undefined. */
export function parseInt32(s: string | undefined): number | undefined {
  if (s === undefined || !/^[ \t\n\v\f\r]*[-+]?[0-9]+$/.test(s)) return undefined;
  const v = Number(s.trim());
  return v > 2147483647 || v < -2147483648 ? undefined : v;
}
