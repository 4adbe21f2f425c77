/**
 * Host facts for capabilities XML.
 */
import { readFileSync } from 'node:fs';

/** The host UUID (from DMI, else machine-id formatted as a UUID). */
export function hostUuid(): string {
  try {
    return readFileSync('/sys/class/dmi/id/product_uuid', 'utf8').trim().toLowerCase();
  } catch {
    try {
      const id = readFileSync('/etc/machine-id', 'utf8').trim();
      return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
    } catch {
      return '00000000-0000-0000-0000-000000000000';
    }
  }
}
