/**
 * `dir` pools: a directory on the host holding volume files (libvirt's storage_backend_fs.c,
 * VIR_STORAGE_POOL_DIR). Build creates the directory; start needs it; delete removes it.
 */
import { promises as fsp } from 'node:fs';
import { isAbsolute } from 'node:path';
import {
  VIR_ERR_INVALID_ARG,
  VIR_ERR_XML_ERROR,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
} from '../constants.js';
import type { PoolDef } from '../types.js';
import { checkFlags, storageError, systemError } from '../util.js';
import type { PoolBackend } from './backend.js';
import { deleteTargetDirectory, fileVolumeOps, refreshDirectory } from './file-pool.js';

/** Default mode of a pool directory libvirt creates (VIR_STORAGE_DEFAULT_POOL_PERM_MODE). */
export const DEFAULT_POOL_DIR_MODE = 0o711;

/** Checks the NO_OVERWRITE/OVERWRITE pair of build flags (mutually exclusive). */
export function checkBuildFlags(flags: number, fn: string): void {
  checkFlags(flags, VIR_STORAGE_POOL_BUILD_NO_OVERWRITE | VIR_STORAGE_POOL_BUILD_OVERWRITE, fn);
  if (flags & VIR_STORAGE_POOL_BUILD_NO_OVERWRITE && flags & VIR_STORAGE_POOL_BUILD_OVERWRITE) {
    throw storageError(VIR_ERR_INVALID_ARG, "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive");
  }
}

/** Creates the pool's target directory (mkdir -p) with the requested permissions. */
export async function buildTargetDir(def: PoolDef): Promise<void> {
  const p = def.targetPerms;
  try {
    await fsp.mkdir(def.targetPath, { recursive: true, mode: p.mode ?? DEFAULT_POOL_DIR_MODE });
    if (p.owner !== undefined || p.group !== undefined) await fsp.chown(def.targetPath, p.owner ?? -1, p.group ?? -1);
    if (p.mode !== undefined) await fsp.chmod(def.targetPath, p.mode);
  } catch (e) {
    throw systemError(`cannot create path '${def.targetPath}'`, e);
  }
}

/** Whether `path` is an existing directory. */
export async function isDirectory(path: string): Promise<boolean> {
  return fsp.stat(path).then((s) => s.isDirectory(), () => false);
}

/** The dir backend. */
export const dirBackend: PoolBackend = {
  type: 'dir',
  supports: {
    build: true,
    delete: true,
    createVol: true,
    cloneVol: true,
    deleteVol: true,
    resizeVol: true,
    wipeVol: true,
    upload: true,
    download: true,
    volFormats: ['raw', 'qcow2', 'dir', 'iso', 'qcow', 'qed', 'vmdk', 'vpc', 'vdi', 'vhdx'],
    buildFlags: VIR_STORAGE_POOL_BUILD_NO_OVERWRITE | VIR_STORAGE_POOL_BUILD_OVERWRITE,
  },
  validate(def: PoolDef): void {
    if (!def.targetPath || !isAbsolute(def.targetPath)) {
      throw storageError(VIR_ERR_XML_ERROR, `missing or relative storage pool target path for pool '${def.name}'`);
    }
  },
  isActive: (def) => isDirectory(def.targetPath),
  async build(def: PoolDef, flags: number): Promise<void> {
    checkBuildFlags(flags, 'virStorageBackendFileSystemBuild');
    await buildTargetDir(def);
  },
  async start(def: PoolDef): Promise<void> {
    if (!(await isDirectory(def.targetPath))) {
      throw systemError(`cannot open directory '${def.targetPath}'`, Object.assign(new Error(), { code: 'ENOENT' }));
    }
  },
  async stop(): Promise<void> {},
  delete: deleteTargetDirectory,
  refresh: (def, signal) => refreshDirectory(def, signal),
  ...fileVolumeOps,
};
