/**
 * `disk` pools: a partition table on a whole block device; volumes are its partitions
 * (libvirt's storage_backend_disk.c, VIR_STORAGE_POOL_DISK), made with parted(8). Build
 * writes a GPT or msdos label and refuses to replace an existing file system or partition
 * table without VIR_STORAGE_POOL_BUILD_OVERWRITE.
 */
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import type { JobOptions } from '@virtkit/core';
import { copyData } from '../copy.js';
import {
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_FAILED,
  VIR_ERR_XML_ERROR,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
  VIR_STORAGE_VOL_DELETE_ZEROED,
  VIR_STORAGE_VOL_WIPE_ALG_ZERO,
} from '../constants.js';
import type { PoolDef, VolDef, VolRequest } from '../types.js';
import { run, storageError, systemError, throwIfAborted } from '../util.js';
import { permsOf, qemuImgProgress, timestampsOf } from '../vol-file.js';
import { wipePath } from '../wipe.js';
import type { PoolBackend, RefreshResult } from './backend.js';
import { checkBuildFlags } from './dir.js';
import { ensureDeviceEmpty, probeSignature } from './probe-device.js';

/** Partition table formats libvirt knows for disk pools, with parted's names. */
const LABELS: Record<string, string> = { dos: 'msdos', gpt: 'gpt', dvh: 'dvh', mac: 'mac', bsd: 'bsd', pc98: 'pc98', sun: 'sun' };
/** msdos partitions start on 1 MiB boundaries. */
const ALIGN = 1024 * 1024;

interface Part {
  num: number;
  start: number;
  end: number;
  size: number;
  free: boolean;
}

interface Table {
  size: number;
  label: string;
  parts: Part[];
}

function device(def: PoolDef): string {
  return def.devices[0].path;
}

function labelOf(def: PoolDef): string {
  return def.sourceFormat && def.sourceFormat !== 'unknown' ? def.sourceFormat : 'dos';
}

/** The device node of partition `num` of `dev` (sda -> sda1, loop0 -> loop0p1). */
export function partitionPath(dev: string, num: number): string {
  return /\d$/.test(dev) ? `${dev}p${num}` : `${dev}${num}`;
}

/** Reads the partition table with `parted -s -m DEV unit B print free`. */
async function readTable(dev: string): Promise<Table> {
  const { stdout } = await run('parted', ['-s', '-m', dev, 'unit', 'B', 'print', 'free']);
  const lines = stdout.split('\n').map((l) => l.trim().replace(/;$/, ''));
  const head = lines.find((l) => l.startsWith('/'))?.split(':') ?? [];
  const table: Table = { size: parseInt(head[1] ?? '0', 10), label: head[5] ?? 'unknown', parts: [] };
  for (const l of lines) {
    if (!/^\d+:/.test(l)) continue;
    const f = l.split(':');
    table.parts.push({
      num: parseInt(f[0], 10),
      start: parseInt(f[1], 10),
      end: parseInt(f[2], 10),
      size: parseInt(f[3], 10),
      free: f[4] === 'free',
    });
  }
  return table;
}

async function partVol(dev: string, p: Part): Promise<VolDef> {
  const path = partitionPath(dev, p.num);
  const vol: VolDef = {
    name: basename(path),
    key: path,
    path,
    type: 'block',
    format: 'none',
    capacity: p.size,
    allocation: p.size,
    physical: p.size,
    perms: {},
    extents: [{ start: p.start, end: p.end + 1 }],
    partType: 'primary',
  };
  const st = await fsp.stat(path, { bigint: true }).catch(() => undefined);
  if (st) {
    vol.perms = permsOf(st);
    vol.timestamps = timestampsOf(st);
  }
  return vol;
}

/** Waits for a partition's device node to appear (the kernel creates it asynchronously). */
async function waitForNode(path: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await fsp.stat(path).then((s) => s.isBlockDevice(), () => false)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

async function refresh(def: PoolDef): Promise<RefreshResult> {
  const dev = device(def);
  const t = await readTable(dev);
  const used = t.parts.filter((p) => !p.free);
  const volumes = await Promise.all(used.map((p) => partVol(dev, p)));
  const allocation = used.reduce((a, p) => a + p.size, 0);
  const available = t.parts.filter((p) => p.free).reduce((a, p) => a + p.size, 0);
  return { capacity: t.size, allocation, available, volumes };
}

/** Creates a partition of `capacity` bytes named as the next partition; returns its volume. */
async function createPartition(def: PoolDef, req: VolRequest): Promise<VolDef> {
  const dev = device(def);
  const t = await readTable(dev);
  if (t.label === 'unknown') throw storageError(VIR_ERR_OPERATION_FAILED, `Unrecognized disk label found on '${dev}', requires build`);
  const nums = new Set(t.parts.filter((p) => !p.free).map((p) => p.num));
  let num = 1;
  while (nums.has(num)) num++;
  const expected = basename(partitionPath(dev, num));
  if (req.name !== expected) throw storageError(VIR_ERR_INVALID_ARG, `invalid partition name '${req.name}', expected '${expected}'`);
  if (t.label === 'msdos' && num > 4) throw storageError(VIR_ERR_NO_SUPPORT, 'extended and logical partitions are not supported');
  const size = Math.ceil(req.capacity / 512) * 512;
  // As libvirt: GPT partitions start at the first free sector; msdos ones on 1 MiB boundaries
  // (libvirt aligns those to cylinders). The GPT backup table is never reported free by parted.
  const align = t.label === 'msdos' ? ALIGN : 512;
  const slot = t.parts
    .filter((p) => p.free)
    .map((p) => ({ start: Math.max(Math.ceil(p.start / align) * align, align === ALIGN ? ALIGN : 0), end: p.end }))
    .find((p) => p.end + 1 - p.start >= size);
  if (!slot) throw storageError(VIR_ERR_OPERATION_FAILED, `no large enough free extent on '${dev}' for ${size} bytes`);
  const start = slot.start;
  const end = start + size - 1;
  await run('parted', ['-s', dev, 'unit', 'B', 'mkpart', 'primary', `${start}B`, `${end}B`]);
  const path = partitionPath(dev, num);
  if (!(await waitForNode(path))) {
    await run('parted', ['-s', dev, 'rm', String(num)]).catch(() => {});
    throw storageError(VIR_ERR_OPERATION_FAILED, `partition device '${path}' did not appear`);
  }
  const p = (await readTable(dev)).parts.find((x) => !x.free && x.num === num);
  if (!p) throw storageError(VIR_ERR_OPERATION_FAILED, `partition ${num} missing on '${dev}' after creation`);
  return partVol(dev, p);
}

async function deletePartition(def: PoolDef, vol: VolDef): Promise<void> {
  const dev = device(def);
  const num = /(\d+)$/.exec(vol.path)?.[1];
  if (!num || partitionPath(dev, Number(num)) !== vol.path) {
    throw storageError(VIR_ERR_INVALID_ARG, `volume path '${vol.path}' is not a partition of '${dev}'`);
  }
  await run('parted', ['-s', dev, 'rm', num]);
}

/** The disk backend. */
export const diskBackend: PoolBackend = {
  type: 'disk',
  supports: {
    build: true,
    delete: false,
    createVol: true,
    cloneVol: true,
    deleteVol: true,
    resizeVol: false,
    wipeVol: true,
    upload: true,
    download: true,
    volFormats: ['none'],
    buildFlags: VIR_STORAGE_POOL_BUILD_NO_OVERWRITE | VIR_STORAGE_POOL_BUILD_OVERWRITE,
  },
  validate(def: PoolDef): void {
    if (def.devices.length !== 1 || !def.devices[0].path) throw storageError(VIR_ERR_XML_ERROR, 'missing storage pool source device path');
    if (!LABELS[labelOf(def)]) throw storageError(VIR_ERR_XML_ERROR, `unknown pool format type ${def.sourceFormat}`);
  },
  async isActive(def: PoolDef): Promise<boolean> {
    return fsp.stat(device(def)).then(() => true, () => false);
  },
  async build(def: PoolDef, flags: number): Promise<void> {
    checkBuildFlags(flags, 'virStorageBackendDiskBuildPool');
    const dev = device(def);
    await fsp.access(dev).catch((e) => Promise.reject(systemError(`cannot access device '${dev}'`, e)));
    if (!(flags & VIR_STORAGE_POOL_BUILD_OVERWRITE)) await ensureDeviceEmpty(dev, labelOf(def));
    await run('parted', ['-s', dev, 'mklabel', LABELS[labelOf(def)]]);
  },
  async start(def: PoolDef): Promise<void> {
    const dev = device(def);
    await fsp.access(dev).catch((e) => Promise.reject(systemError(`cannot access device '${dev}'`, e)));
    const sig = await probeSignature(dev);
    if (!sig.ptType) throw storageError(VIR_ERR_OPERATION_FAILED, `Unrecognized disk label found on '${dev}', requires build`);
    if (sig.ptType !== labelOf(def)) {
      throw storageError(VIR_ERR_OPERATION_FAILED, `Known, but different label format present on '${dev}', requires build`);
    }
  },
  async stop(): Promise<void> {},
  refresh: (def) => refresh(def),
  volPath: () => undefined,
  async refreshVol(def: PoolDef, vol: VolDef): Promise<VolDef> {
    const r = await refresh(def);
    const v = r.volumes.find((x) => x.path === vol.path);
    if (!v) throw storageError(VIR_ERR_OPERATION_FAILED, `partition '${vol.path}' vanished`);
    return v;
  },
  async createVol(def: PoolDef, req: VolRequest, _flags: number, opts: JobOptions): Promise<VolDef> {
    throwIfAborted(opts.signal, 'volume creation');
    if (req.backingStore) throw storageError(VIR_ERR_NO_SUPPORT, 'backing storage not supported for disk volumes');
    return createPartition(def, req);
  },
  async cloneVol(def: PoolDef, req: VolRequest, src: VolDef, _flags: number, opts: JobOptions): Promise<VolDef> {
    const vol = await createPartition(def, { ...req, capacity: Math.max(req.capacity, src.capacity) });
    try {
      if (src.format === 'raw' || src.format === 'none' || src.format === 'iso') {
        const s = await fsp.open(src.path, 'r');
        const d = await fsp.open(vol.path, 'r+');
        try {
          await copyData(s, d, src.capacity, { ...opts, what: 'volume clone' });
          await d.datasync();
        } finally {
          await s.close();
          await d.close();
        }
      } else {
        opts.onProgress?.(0, src.capacity);
        await run('qemu-img', ['convert', '-p', '-n', '-f', src.format, '-O', 'raw', src.path, vol.path], {
          signal: opts.signal,
          onStdout: qemuImgProgress(src.capacity, opts),
        });
        opts.onProgress?.(src.capacity, src.capacity);
      }
    } catch (e) {
      await deletePartition(def, vol).catch(() => {});
      throw systemError(`failed to clone volume '${src.path}' to '${vol.path}'`, e);
    }
    return vol;
  },
  async deleteVol(def: PoolDef, vol: VolDef, flags: number): Promise<void> {
    if (flags & VIR_STORAGE_VOL_DELETE_ZEROED) await wipePath(vol.path, VIR_STORAGE_VOL_WIPE_ALG_ZERO, { length: vol.capacity });
    await deletePartition(def, vol);
  },
  async wipeVol(_def: PoolDef, vol: VolDef, algorithm: number, opts: JobOptions): Promise<void> {
    await wipePath(vol.path, algorithm, { ...opts, length: vol.capacity });
  },
};
