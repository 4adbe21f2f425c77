/**
 * Disks with `<source pool='P' volume='V'/>`: resolved through the storage driver serving the
 * same URI (opened read-only through core, so this driver never depends on the storage
 * package), before the command line is built. The resolution is kept beside the live disk
 * (the XML keeps pool/volume, as libvirt's does).
 */
import { virtError, connect } from '@virtkit/core';
import type { DiskDef, DomainDef } from '@virtkit/xml';
import * as C from './constants.js';

/** What a volume resolved to. */
export interface ResolvedVolume {
  path: string;
  block: boolean;
  format?: string;
}

const resolved = new WeakMap<DiskDef, ResolvedVolume>();

/** The resolution of a volume disk, if done. */
export function resolvedVolume(d: DiskDef): ResolvedVolume | undefined {
  return resolved.get(d);
}

/** Resolves every `type='volume'` disk of `def` through the storage driver of `uri`. */
export async function resolveVolumes(def: DomainDef, uri: string): Promise<void> {
  const disks = def.devices.disks.filter((d) => d.type === 'volume');
  if (disks.length === 0) return;
  let conn: Awaited<ReturnType<typeof connect>>;
  try {
    conn = await connect(uri, { readOnly: true });
  } catch (e) {
    throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `disk source type 'volume' needs the storage driver: ${(e as Error).message}`);
  }
  try {
    for (const d of disks) {
      const poolName = d.source?.pool;
      const volName = d.source?.volume;
      if (!poolName || !volName) throw virtError(C.VIR_ERR_XML_ERROR, `missing pool or volume name for disk '${d.target.dev}'`);
      const pool = await conn.lookupStoragePoolByName(poolName);
      const vol = await pool.lookupStorageVolByName(volName);
      const info = await vol.getInfo();
      const path = await vol.getPath();
      const xml = await vol.getXMLDesc();
      const format = /<format type='([^']+)'/.exec(xml)?.[1];
      // VIR_STORAGE_VOL_FILE = 0, VIR_STORAGE_VOL_BLOCK = 1
      if (info.type !== 0 && info.type !== 1) {
        throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `volume '${poolName}/${volName}' of type ${info.type} cannot be a disk source`);
      }
      resolved.set(d, { path, block: info.type === 1, format });
    }
  } finally {
    await conn.close();
  }
}
