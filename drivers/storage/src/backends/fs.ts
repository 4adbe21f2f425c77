/**
 * `fs` pools: a block device or image file holding a file system, mounted on the target
 * directory (libvirt's VIR_STORAGE_POOL_FS). Start mounts (image files through a loop
 * device, set up and auto-cleared by mount(8)), stop unmounts; build creates the target and,
 * with NO_OVERWRITE (only on an empty device) or OVERWRITE, runs mkfs; plain build never
 * formats anything.
 */
import { promises as fsp } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  VIR_ERR_OPERATION_INVALID,
  VIR_ERR_XML_ERROR,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
} from '../constants.js';
import type { PoolDef } from '../types.js';
import { run, storageError, systemError } from '../util.js';
import type { PoolBackend } from './backend.js';
import { buildTargetDir, checkBuildFlags, dirBackend } from './dir.js';
import { deleteTargetDirectory, fileVolumeOps, refreshDirectory } from './file-pool.js';
import { ensureDeviceEmpty } from './probe-device.js';

/** File system types `build` can make (mkfs -t TYPE). */
export const MKFS_TYPES = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'vfat']);

/** Decodes /proc/mounts octal escapes (\040 for a space). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Whether something is mounted on `target` (libvirt's virStorageBackendFileSystemIsMounted). */
export async function isMounted(target: string): Promise<boolean> {
  const want = resolve(target);
  const text = await fsp.readFile('/proc/self/mounts', 'utf8');
  return text.split('\n').some((l) => {
    const f = l.split(' ');
    return f.length > 2 && unescapeMount(f[1]) === want;
  });
}

function source(def: PoolDef): string {
  return def.devices[0].path;
}

/** The fs backend. */
export const fsBackend: PoolBackend = {
  type: 'fs',
  supports: { ...dirBackend.supports },
  validate(def: PoolDef): void {
    dirBackend.validate(def);
    if (def.devices.length !== 1 || !def.devices[0].path) {
      throw storageError(VIR_ERR_XML_ERROR, 'missing storage pool source device path');
    }
    if (!isAbsolute(def.devices[0].path)) throw storageError(VIR_ERR_XML_ERROR, `source device path '${def.devices[0].path}' must be absolute`);
  },
  isActive: (def) => isMounted(def.targetPath),
  async build(def: PoolDef, flags: number): Promise<void> {
    checkBuildFlags(flags, 'virStorageBackendFileSystemBuild');
    await buildTargetDir(def);
    if (!(flags & (VIR_STORAGE_POOL_BUILD_NO_OVERWRITE | VIR_STORAGE_POOL_BUILD_OVERWRITE))) return;
    const fmt = def.sourceFormat;
    if (!fmt || fmt === 'auto' || !MKFS_TYPES.has(fmt)) {
      throw storageError(VIR_ERR_OPERATION_INVALID, `cannot build a file system of format '${fmt ?? 'auto'}' on '${source(def)}'`);
    }
    if (await isMounted(def.targetPath)) {
      throw storageError(VIR_ERR_OPERATION_INVALID, `Target '${def.targetPath}' is mounted: stop the pool before building it`);
    }
    if (!(flags & VIR_STORAGE_POOL_BUILD_OVERWRITE)) await ensureDeviceEmpty(source(def), fmt);
    const args = ['-t', fmt];
    if (fmt === 'xfs' || fmt === 'btrfs') args.push('-f');
    else if (fmt.startsWith('ext')) args.push('-F');
    args.push(source(def));
    await run('mkfs', args);
  },
  async start(def: PoolDef): Promise<void> {
    if (await isMounted(def.targetPath)) return;
    try {
      await fsp.access(source(def));
    } catch (e) {
      throw systemError(`cannot find source device '${source(def)}'`, e);
    }
    const fmt = def.sourceFormat && def.sourceFormat !== 'auto' ? ['-t', def.sourceFormat] : [];
    await run('mount', [...fmt, source(def), def.targetPath]);
  },
  async stop(def: PoolDef): Promise<void> {
    if (!(await isMounted(def.targetPath))) return;
    await run('umount', [def.targetPath]);
  },
  delete: deleteTargetDirectory,
  refresh: (def, signal) => refreshDirectory(def, signal),
  ...fileVolumeOps,
};
