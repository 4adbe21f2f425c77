/**
 * Disks: `-blockdev` JSON (a protocol node `libvirt-N-storage` and a format node
 * `libvirt-N-format`) plus a `-device` JSON frontend whose id is libvirt's alias
 * (virtio-disk0, ide0-0-0, sata0-0-0, scsi0-0-0-0).
 */
import type { DiskDef, DomainDef } from '@virtkit/xml';
import { type ArgList, type BuildHost, refuseExtra, unsupported } from './context.js';
import { resolvedVolume } from '../volume-resolver.js';

/** `vda` -> 0, `hdc` -> 2, `sdab` -> 27 (libvirt's virDiskNameToIndex). */
export function diskNameToIndex(dev: string): number {
  const m = /^(?:fd|hd|vd|sd|xvd|ubd)([a-z]+)$/.exec(dev);
  if (!m) unsupported(`invalid disk target '${dev}'`);
  let idx = 0;
  for (const ch of m[1]!) idx = idx * 26 + (ch.charCodeAt(0) - 96);
  return idx - 1;
}

/** The bus a disk uses: its own, or derived from the target name as libvirt does. */
export function diskBus(d: DiskDef): string {
  if (d.target.bus) return d.target.bus;
  const dev = d.target.dev;
  if (dev.startsWith('vd')) return 'virtio';
  if (dev.startsWith('hd')) return 'ide';
  if (dev.startsWith('sd')) return 'scsi';
  if (dev.startsWith('fd')) return 'fdc';
  return 'ide';
}

/** libvirt's alias for a disk. */
export function diskAlias(d: DiskDef, q35: boolean): string {
  const idx = diskNameToIndex(d.target.dev);
  switch (diskBus(d)) {
    case 'virtio':
      return `virtio-disk${idx}`;
    case 'ide':
      return q35 ? `sata0-0-${idx}` : `ide0-${Math.floor(idx / 2)}-${idx % 2}`;
    case 'sata':
      return `sata0-0-${idx}`;
    case 'scsi':
      return `scsi0-0-0-${idx}`;
    default:
      return unsupported(`disk bus '${diskBus(d)}' of '${d.target.dev}'`);
  }
}

/** The node names of disk number `n` (1-based, as libvirt's libvirt-N-*). */
export function diskNodeNames(n: number): { storage: string; format: string } {
  return { storage: `libvirt-${n}-storage`, format: `libvirt-${n}-format` };
}

/** Validates one disk; returns the file or block path (undefined for an empty cdrom). */
export function diskSourcePath(d: DiskDef): string | undefined {
  refuseExtra('disk', d.extra, ['@snapshot']);
  const type = effectiveType(d);
  if (type === 'volume') unsupported(`disk '${d.target.dev}': source type 'volume' needs the storage driver`);
  const vol = resolvedVolume(d);
  if (vol) {
    const fmt = d.driver?.type ?? vol.format ?? 'raw';
    if (fmt !== 'raw' && fmt !== 'qcow2') unsupported(`disk format '${fmt}' of '${d.target.dev}'`);
    return vol.path;
  }
  if (type !== 'file' && type !== 'block') unsupported(`disk type '${type}' of '${d.target.dev}'`);
  const device = d.device ?? 'disk';
  if (device !== 'disk' && device !== 'cdrom') unsupported(`disk device '${device}' of '${d.target.dev}'`);
  const path = type === 'file' ? d.source?.file : d.source?.dev;
  if (path === undefined && device === 'disk') unsupported(`disk '${d.target.dev}' has no source`);
  const fmt = d.driver?.type ?? 'raw';
  if (fmt !== 'raw' && fmt !== 'qcow2') unsupported(`disk format '${fmt}' of '${d.target.dev}'`);
  if (d.driver?.name !== undefined && d.driver.name !== 'qemu') unsupported(`disk driver name '${d.driver.name}'`);
  return path;
}

/** file or block, after volume resolution. */
function effectiveType(d: DiskDef): string {
  const vol = resolvedVolume(d);
  if (vol) return vol.block ? 'block' : 'file';
  return d.type ?? 'file';
}

/** The -blockdev pair for a disk with a source. */
export function diskBlockdevs(d: DiskDef, n: number, path: string): Record<string, unknown>[] {
  const names = diskNodeNames(n);
  const ro = d.readonly === true || (d.device ?? 'disk') === 'cdrom';
  const cache = d.driver?.attrs.cache;
  const direct = cache === 'none' || cache === 'directsync';
  const storage: Record<string, unknown> = {
    driver: effectiveType(d) === 'block' ? 'host_device' : 'file',
    filename: path,
    'node-name': names.storage,
    'auto-read-only': true,
    discard: 'unmap',
  };
  if (direct) storage.cache = { direct: true, 'no-flush': false };
  const format: Record<string, unknown> = {
    'node-name': names.format,
    'read-only': ro,
    driver: d.driver?.type ?? resolvedVolume(d)?.format ?? 'raw',
    file: names.storage,
  };
  if (direct) format.cache = { direct: true, 'no-flush': false };
  return [storage, format];
}

/** The -device frontend for a disk. `drive` is the format node name, or undefined (empty cdrom). */
export function diskDevice(d: DiskDef, host: BuildHost, drive: string | undefined, alias: string, bootindex?: number): Record<string, unknown> {
  const idx = diskNameToIndex(d.target.dev);
  const cdrom = (d.device ?? 'disk') === 'cdrom';
  const dev: Record<string, unknown> = {};
  switch (diskBus(d)) {
    case 'virtio':
      if (cdrom) unsupported(`cdrom '${d.target.dev}' on bus virtio`);
      dev.driver = 'virtio-blk-pci';
      break;
    case 'ide':
      dev.driver = cdrom ? 'ide-cd' : 'ide-hd';
      if (host.q35) dev.bus = `ide.${idx}`;
      else {
        if (idx > 3) unsupported(`ide disk '${d.target.dev}': the pc machine has 4 IDE slots`);
        dev.bus = `ide.${Math.floor(idx / 2)}`;
        dev.unit = idx % 2;
      }
      break;
    case 'sata':
      dev.driver = cdrom ? 'ide-cd' : 'ide-hd';
      if (idx > 5) unsupported(`sata disk '${d.target.dev}': the AHCI controller has 6 ports`);
      dev.bus = host.q35 ? `ide.${idx}` : `sata0.${idx}`;
      break;
    case 'scsi':
      dev.driver = cdrom ? 'scsi-cd' : 'scsi-hd';
      dev.bus = 'scsi0.0';
      dev.channel = 0;
      dev['scsi-id'] = 0;
      dev.lun = idx;
      break;
    default:
      unsupported(`disk bus '${diskBus(d)}' of '${d.target.dev}'`);
  }
  if (drive !== undefined) dev.drive = drive;
  dev.id = alias;
  if (bootindex !== undefined) dev.bootindex = bootindex;
  if (d.serial !== undefined) dev.serial = d.serial;
  return dev;
}

/** Adds every disk of `def` (and the controllers they need) to `out`. */
export function buildDisks(def: DomainDef, host: BuildHost, out: ArgList, bootOrders: Map<object, number>): void {
  let n = 0;
  const needsScsi = def.devices.disks.some((d) => diskBus(d) === 'scsi');
  const needsSata = !host.q35 && def.devices.disks.some((d) => diskBus(d) === 'sata');
  if (needsSata && !def.devices.controllers.some((c) => c.type === 'sata')) out.device({ driver: 'ich9-ahci', id: 'sata0' });
  if (needsScsi && !def.devices.controllers.some((c) => c.type === 'scsi')) out.device({ driver: 'virtio-scsi-pci', id: 'scsi0' });
  const seen = new Set<string>();
  for (const d of def.devices.disks) {
    if (seen.has(d.target.dev)) unsupported(`target '${d.target.dev}' duplicated for disk sources`);
    seen.add(d.target.dev);
    const path = diskSourcePath(d);
    const alias = diskAlias(d, host.q35);
    d.alias = alias;
    let drive: string | undefined;
    if (path !== undefined) {
      n++;
      for (const b of diskBlockdevs(d, n, path)) out.blockdev(b);
      drive = diskNodeNames(n).format;
    }
    out.device(diskDevice(d, host, drive, alias, bootOrders.get(d)));
  }
}
