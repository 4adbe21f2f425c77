/**
 * UUID strings as libvirt's virUUIDParse reads them: 32 hex digits, hyphens allowed between
 * digit pairs, surrounding spaces ignored. Core normalises to the canonical 8-4-4-4-12 lowercase
 * form before handing a UUID to a driver.
 */
import { VIR_ERR_INVALID_ARG } from './constants/error-codes.js';
import { VirtError } from './errors.js';

/** The canonical form of `uuid`, or undefined when it is not a UUID. */
export function normalizeUUID(uuid: string): string | undefined {
  const hex = uuid.trim().replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Like normalizeUUID, but throws VIR_ERR_INVALID_ARG "Invalid UUID" (as libvirt) when invalid. */
export function parseUUID(uuid: string, domain: number): string {
  const canonical = normalizeUUID(uuid);
  if (canonical === undefined) throw new VirtError(VIR_ERR_INVALID_ARG, 'Invalid UUID', { domain, detail: 'Invalid UUID' });
  return canonical;
}
