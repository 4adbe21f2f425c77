/**
 * Probing block devices and image files for existing file systems or partition tables
 * (libvirt's virStorageBackendDeviceIsEmpty, with blkid(8) in low-level probe mode).
 */
import { execa } from 'execa';
import { VIR_ERR_STORAGE_POOL_BUILT } from '../constants.js';
import { storageError } from '../util.js';

/** What blkid finds on a device: a file system type and/or a partition table type. */
export interface DeviceSignature {
  fsType?: string;
  ptType?: string;
}

/** Runs `blkid -p -o export device`; empty result when nothing is recognised. */
export async function probeSignature(device: string): Promise<DeviceSignature> {
  const res = await execa('blkid', ['-p', '-o', 'export', device], { reject: false, env: { LC_ALL: 'C' } });
  const out: DeviceSignature = {};
  for (const line of String(res.stdout).split('\n')) {
    const [k, v] = line.split('=', 2);
    if (k === 'TYPE') out.fsType = v;
    if (k === 'PTTYPE') out.ptType = v;
  }
  return out;
}

/**
 * Refuses to format `device` when it already holds a file system or partition table
 * (VIR_ERR_STORAGE_POOL_BUILT), as libvirt's no-overwrite checks do.
 */
export async function ensureDeviceEmpty(device: string, expected: string | undefined): Promise<void> {
  const sig = await probeSignature(device);
  const found = sig.fsType ?? sig.ptType;
  if (!found) return;
  if (expected && found !== expected) {
    throw storageError(VIR_ERR_STORAGE_POOL_BUILT, `Format of device '${device}' does not match the expected format '${expected}', forced overwrite is necessary`);
  }
  throw storageError(VIR_ERR_STORAGE_POOL_BUILT, `Device '${device}' already formatted using '${found}'`);
}
