/**
 * `<disk>`: parse, validate and format, in libvirt's element order.
 */
import { virtError } from '@virtkit/core';
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { checkEnum, checkSupported, missingAttr, unsupported, VIR_ERR_NO_TARGET, VIR_FROM_DOMAIN, xmlError } from '../util/codes.js';

const VIR_ERR_NO_SOURCE = 19;
import { attrRecord, formatAddress, formatAlias, formatBoot, keepExtra, readBoot, readDeviceCommon, recordAttrs } from './device-common.js';
import type { DiskDef, DiskSource, DiskSourceHost } from './device-types.js';

const DISK_TYPES = ['file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser'] as const;
const DISK_DEVICES = ['floppy', 'disk', 'cdrom', 'lun'] as const;
const DISK_BUSES = ['none', 'ide', 'fdc', 'scsi', 'virtio', 'xen', 'usb', 'uml', 'sata', 'sd'];
const DISK_FORMATS = ['none', 'raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk', 'aio'];
const NET_PROTOCOLS = ['nbd', 'rbd', 'sheepdog', 'gluster', 'iscsi', 'http', 'https', 'ftp', 'ftps', 'tftp', 'ssh', 'vxhs', 'nfs'];
const SOURCE_ATTRS = ['file', 'dev', 'dir', 'pool', 'volume', 'mode', 'protocol', 'name'] as const;

/** The path-like identity of a disk source (file, dev, dir, pool/volume or protocol/name). */
export function diskSourcePath(d: DiskDef): string | undefined {
  const s = d.source;
  if (!s) return undefined;
  return s.file ?? s.dev ?? s.dir ?? (s.volume !== undefined ? `${s.pool}/${s.volume}` : s.name);
}

function parseSource(el: XmlElement): DiskSource {
  const r = new ElementReader(el);
  const src: DiskSource = { hosts: [] };
  for (const a of SOURCE_ATTRS) {
    const v = r.attr(a);
    if (v !== undefined) src[a] = v;
  }
  for (const h of r.children('host')) {
    const hr = new ElementReader(h);
    const host: DiskSourceHost = {};
    for (const a of ['name', 'port', 'transport', 'socket'] as const) {
      const v = hr.attr(a);
      if (v !== undefined) host[a] = v;
    }
    keepExtra(hr, host);
    src.hosts.push(host);
  }
  keepExtra(r, src);
  return src;
}

// libvirt's source checks: protocol for network disks, pool+volume together, a source for
// anything but removable media, and LUNs only on block (or network) sources
function checkDiskSource(disk: DiskDef): void {
  const s = disk.source;
  if (disk.type === 'network' && s) {
    if (s.protocol === undefined) throw missingAttr('protocol', 'source');
    checkEnum(s.protocol, NET_PROTOCOLS, 'protocol', 'source');
  }
  if (disk.type === 'volume' && s && (s.pool === undefined) !== (s.volume === undefined)) {
    throw xmlError("'pool' and 'volume' must be specified together for 'pool' type source");
  }
  const removable = disk.device === 'cdrom' || disk.device === 'floppy';
  const path = disk.type === 'network' ? s?.protocol : disk.type === 'volume' ? '' : (s?.file ?? s?.dev ?? s?.dir);
  if (disk.device === 'lun' && disk.type !== 'block' && disk.type !== 'network') {
    throw unsupported("disk device='lun' is only valid for block type disk source");
  }
  if (!removable && ['file', 'block', 'dir', 'network'].includes(disk.type ?? 'file') && !path) throw virtError(VIR_ERR_NO_SOURCE, disk.target.dev, VIR_FROM_DOMAIN);
}

/** virDiskNameToIndex: 'vda' -> 0, 'sdb' -> 1, 'hdaa' -> 26; -1 when not a disk name. */
export function diskNameIndex(name: string): number {
  let idx = INDEX_CACHE.get(name);
  if (idx !== undefined) return idx;
  const m = /^(?:fd|hd|vd|sd|xvd|ubd)([a-z]*)[0-9]*$/.exec(name);
  idx = 0;
  if (!m) idx = -1;
  else for (let i = 0; i < m[1]!.length; i++) idx = (idx + (i < 1 ? 0 : 1)) * 26 + (m[1]!.charCodeAt(i) - 97);
  // disk insertion compares names over and over: remember them (bounded)
  if (INDEX_CACHE.size > 4096) INDEX_CACHE.clear();
  INDEX_CACHE.set(name, idx);
  return idx;
}

const INDEX_CACHE = new Map<string, number>();

/**
 * virDomainDiskInsertPreAlloced: disks of the same bus stay sorted by target index; a disk
 * with no same-bus peer goes last. `busOf` gives the bus to compare (the parser compares
 * the bus as written, before defaulting, as libvirt does).
 */
export function insertDisk<T>(list: T[], disk: T, busOf: (d: T) => string | undefined, dev: (d: T) => string): void {
  let at = -1;
  const bus = busOf(disk);
  const idx = diskNameIndex(dev(disk));
  for (let i = list.length - 1; i >= 0; i--) {
    if (busOf(list[i]!) !== bus) continue;
    if (diskNameIndex(dev(list[i]!)) > idx) at = i;
    else if (at === -1) at = i + 1;
  }
  if (at === -1) list.push(disk);
  else list.splice(at, 0, disk);
}

/** virDiskNameParse: a known prefix, lowercase letters, optional partition digits. */
export function isDiskName(name: string): boolean {
  return /^(?:fd|hd|vd|sd|xvd|ubd)[a-z]*[0-9]*$/.test(name);
}

/** The bus libvirt infers from the target name when none is given. */
export function defaultBus(dev: string, device: string | undefined): string {
  if (device === 'floppy') return 'fdc';
  if (dev.startsWith('hd')) return 'ide';
  if (dev.startsWith('sd')) return 'scsi';
  if (dev.startsWith('vd')) return 'virtio';
  if (dev.startsWith('xvd')) return 'xen';
  if (dev.startsWith('ubd')) return 'uml';
  return 'ide';
}

/** Parses one `<disk>` element. */
export function parseDisk(el: XmlElement): DiskDef {
  const r = new ElementReader(el);
  const type = checkEnum(r.attr('type'), DISK_TYPES, 'type', 'disk');
  const device = checkEnum(r.attr('device'), DISK_DEVICES, 'device', 'disk');
  const driverEl = r.child('driver');
  const sourceEl = r.child('source');
  const source = sourceEl ? parseSource(sourceEl) : undefined;
  const targetEl = r.child('target');
  const tr = targetEl ? new ElementReader(targetEl) : undefined;
  const dev = tr?.attr('dev');
  if (!tr || !dev) {
    const d: DiskDef = { target: { dev: '' } };
    if (source) d.source = source;
    throw virtError(VIR_ERR_NO_TARGET, diskSourcePath(d), VIR_FROM_DOMAIN);
  }
  const bus = checkEnum(tr.attr('bus'), DISK_BUSES, 'bus', 'target');
  const disk: DiskDef = { target: { dev } };
  disk.target.bus = bus ?? defaultBus(dev, device);
  keepExtra(tr, disk.target);
  // libvirt's defaults, always written back
  disk.type = type ?? 'file';
  disk.device = device ?? 'disk';
  if (driverEl) {
    const dr = new ElementReader(driverEl);
    const name = dr.attr('name');
    const dtype = dr.attr('type');
    checkSupported(dtype, DISK_FORMATS, (v) => `unknown driver format value '${v}'`);
    checkEnum(driverEl.attributes.find((a) => a.name === 'cache')?.value, ['default', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'], 'cache', 'driver');
    checkEnum(driverEl.attributes.find((a) => a.name === 'io')?.value, ['default', 'native', 'threads', 'io_uring'], 'io', 'driver');
    const drv: NonNullable<DiskDef['driver']> = { attrs: attrRecord(driverEl, ['name', 'type']) };
    for (const a of driverEl.attributes) dr.attr(a.name);
    if (name !== undefined) drv.name = name;
    if (dtype !== undefined) drv.type = dtype;
    keepExtra(dr, drv);
    disk.driver = drv;
  }
  if (source) disk.source = source;
  for (const f of ['readonly', 'shareable', 'transient'] as const) {
    const el = r.child(f);
    if (!el) continue;
    disk[f] = true;
    const extra = new ElementReader(el).extra();
    if (extra) (disk.flagExtras ??= {})[f] = extra;
  }
  // libvirt makes every CD-ROM read-only
  if (disk.device === 'cdrom') disk.readonly = true;
  const serial = r.simpleText('serial', disk);
  if (serial !== undefined) disk.serial = serial;
  const boot = readBoot(r);
  if (boot) disk.boot = boot;
  readDeviceCommon(r, disk);
  keepExtra(r, disk);
  checkDiskSource(disk);
  if (!disk.address && !isDiskName(dev)) throw xmlError(`Unknown disk name '${dev}' and no address specified`);
  return disk;
}

function formatSource(s: DiskSource): XmlElement {
  const hosts = s.hosts.map((h) =>
    buildElement('host', [['name', h.name], ['port', h.port], ['transport', h.transport], ['socket', h.socket]], [], h.extra),
  );
  return buildElement(
    'source',
    [['protocol', s.protocol], ['name', s.name], ['file', s.file], ['dev', s.dev], ['dir', s.dir], ['pool', s.pool], ['volume', s.volume], ['mode', s.mode]],
    hosts,
    s.extra,
  );
}

/** Formats one disk. */
export function formatDisk(d: DiskDef): XmlElement {
  const drv = d.driver;
  return buildElement(
    'disk',
    [['type', d.type], ['device', d.device]],
    [
      drv && buildElement('driver', [['name', drv.name], ['type', drv.type], ...recordAttrs(drv.attrs)], [], drv.extra),
      d.source && formatSource(d.source),
      buildElement('target', [['dev', d.target.dev], ['bus', d.target.bus]], [], d.target.extra),
      d.readonly && buildElement('readonly', [], [], d.flagExtras?.readonly),
      d.shareable && buildElement('shareable', [], [], d.flagExtras?.shareable),
      d.transient && buildElement('transient', [], [], d.flagExtras?.transient),
      d.serial !== undefined && buildElement('serial', [], [], d.textExtras?.serial, d.serial),
      formatBoot(d.boot),
      formatAlias(d),
      formatAddress(d),
    ],
    d.extra,
  );
}
