/**
 * What libvirt's generic post-parse adds to every domain (virDomainDefAddImplicitDevices,
 * virDomainDiskDefAssignAddress): drive addresses of IDE/floppy/SCSI/SATA disks, the
 * controllers those addresses and virtio consoles/channels need, the serial <-> console
 * pairing of HVM guests, and serial/parallel/console port numbers.
 */
import { virtError } from '@virtkit/core';
import { VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN } from '../util/codes.js';
import type { ChardevDef, ControllerDef, DomainDevices } from './device-types.js';
import { diskNameIndex } from './disk.js';
import type { DomainDef } from './domain-types.js';

/** Drive address layout per bus: disks per controller, per bus, and units per bus. */
const DRIVE_LAYOUT: Record<string, { perController: number; perBus: number }> = {
  ide: { perController: 4, perBus: 2 },
  fdc: { perController: 2, perBus: 2 },
  scsi: { perController: 7, perBus: 7 },
  sata: { perController: 6, perBus: 6 },
};

function assignDriveAddresses(d: DomainDevices): void {
  for (const disk of d.disks) {
    const layout = DRIVE_LAYOUT[disk.target.bus ?? ''];
    if (!layout || disk.address) continue;
    const idx = diskNameIndex(disk.target.dev);
    if (idx < 0) continue;
    const inController = idx % layout.perController;
    disk.address = {
      type: 'drive',
      attrs: {
        controller: String(Math.floor(idx / layout.perController)),
        bus: String(Math.floor(inController / layout.perBus)),
        target: '0',
        unit: String(inController % layout.perBus),
      },
    };
  }
}

/** Whether a controller is a companion (`<master startport=.../>`, an ICH9 UHCI of an EHCI). */
function isCompanion(c: ControllerDef): boolean {
  return c.extra?.children.some((x) => x.node.name === 'master') ?? false;
}

/**
 * virDomainControllerInsertPreAlloced: controllers of a type stay sorted by index (a master
 * before its companions); an unindexed one goes after the last of its type, a new type last.
 * The parser uses it for unindexed controllers only: libvirt's own output does not always
 * have its controllers in this order, and it must come back unchanged.
 */
export function insertController(list: ControllerDef[], c: ControllerDef): void {
  let at = -1;
  const idx = c.index ?? -1;
  for (let i = list.length - 1; i >= 0; i--) {
    const cur = list[i]!;
    if (cur.type !== c.type) continue;
    if (idx === -1) {
      at = i + 1;
      break;
    }
    const curIdx = cur.index ?? -1;
    if (curIdx > idx) at = i;
    else if (curIdx === idx && !isCompanion(c) && isCompanion(cur)) at = i;
    else if (at === -1) at = i + 1;
  }
  if (at === -1) list.push(c);
  else list.splice(at, 0, c);
}

// unindexed controllers get the lowest free index of their type
function assignControllerIndexes(d: DomainDevices): void {
  for (const c of d.controllers) {
    if (c.index !== undefined) continue;
    const used = new Set(d.controllers.filter((o) => o.type === c.type && o.index !== undefined).map((o) => o.index));
    let i = 0;
    while (used.has(i)) i++;
    c.index = i;
  }
}

function maybeAddController(d: DomainDevices, type: string, index: number): void {
  if (d.controllers.some((c) => c.type === type && (c.index ?? 0) === index)) return;
  d.controllers.push({ type, index });
}

function addControllers(d: DomainDevices): void {
  for (const [type, bus] of [['scsi', 'scsi'], ['fdc', 'fdc'], ['ide', 'ide'], ['sata', 'sata']] as const) {
    let max = -1;
    for (const disk of d.disks) {
      if (disk.target.bus !== bus || disk.address?.type !== 'drive') continue;
      max = Math.max(max, Number(disk.address.attrs.controller ?? 0));
    }
    for (const h of d.hostdevs) {
      if (type === 'scsi' && h.type === 'scsi' && h.address?.type === 'drive') max = Math.max(max, Number(h.address.attrs.controller ?? 0));
    }
    for (let i = 0; i <= max; i++) maybeAddController(d, type, i);
  }
  const virtio = [...d.channels, ...d.consoles].filter((c) => c.target?.type === 'virtio');
  for (const c of virtio) {
    const ctl = c.address?.type === 'virtio-serial' ? Number(c.address.attrs.controller ?? 0) : 0;
    maybeAddController(d, 'virtio-serial', ctl);
  }
}

function copyChardev(src: ChardevDef, target: ChardevDef['target']): ChardevDef {
  const c: ChardevDef = { sources: structuredClone(src.sources) };
  if (src.type !== undefined) c.type = src.type;
  if (target) c.target = target;
  return c;
}

/** Serial target types a stub console is made for (not PCI, USB or ISA debug ports). */
const CONSOLE_SERIALS: (string | undefined)[] = [undefined, 'isa-serial', 'spapr-vio-serial', 'system-serial', 'sclp-serial'];

// virDomainDefAddConsoleCompat: the first console of an HVM guest is the first serial port
function consoleCompat(def: DomainDef): void {
  const d = def.devices;
  if (def.os.type !== 'hvm') return;
  const first = d.consoles[0];
  if (first && (first.target?.type === undefined || first.target.type === 'serial') && !first.address) {
    if (d.serials.length === 0) {
      d.serials.push(copyChardev(first, { port: 0 }));
      first.target = { ...first.target, type: 'serial', port: 0 };
    } else {
      // the console becomes an alias of the first serial port; one that already mirrors it
      // keeps its own extras
      const serial = d.serials[0]!;
      const port = serial.target?.port ?? 0;
      const typed = (c: ChardevDef) => JSON.stringify(c.sources.map((x) => [x.path, x.mode, x.host, x.service]));
      if (first.type === serial.type && typed(first) === typed(serial)) {
        first.target = { ...first.target, type: 'serial', port };
      } else {
        d.consoles[0] = copyChardev(serial, { type: 'serial', port });
        if (first.alias !== undefined) d.consoles[0].alias = first.alias;
      }
    }
  } else if (!first && d.serials.length > 0 && CONSOLE_SERIALS.includes(d.serials[0]!.target?.type)) {
    const serial = d.serials[0]!;
    d.consoles.push(copyChardev(serial, { type: 'serial', port: serial.target?.port ?? 0 }));
  }
}

/** Numbers serial and parallel ports (one more than the highest so far) and consoles (by index). */
export function assignCharPorts(d: DomainDevices): void {
  for (const list of [d.serials, d.parallels]) {
    let max = -1;
    for (const c of list) {
      if (c.target?.port === undefined) c.target = { ...c.target, port: max + 1 };
      max = Math.max(max, c.target.port!);
    }
  }
  d.consoles.forEach((c, i) => {
    if (c.target?.port === undefined) c.target = { ...c.target, port: i };
  });
}

/**
 * Per-device defaults libvirt's parser derives: input buses from the OS type, unmanaged
 * subsystem host devices, the random backend's /dev/random.
 */
export function deviceDefaults(def: DomainDef): void {
  const d = def.devices;
  const xen = def.os.type === 'xen' || def.os.type === 'xenpvh';
  for (const i of d.inputs) {
    if (i.bus !== undefined) continue;
    if (xen) {
      if (i.type === 'tablet') throw virtError(VIR_ERR_INTERNAL_ERROR, 'xen bus does not support tablet input device', VIR_FROM_DOMAIN);
      if (i.type === 'mouse' || i.type === 'keyboard') i.bus = 'xen';
    } else if (def.os.type === 'hvm') {
      const bus = ({ tablet: 'usb', mouse: 'ps2', keyboard: 'ps2', passthrough: 'virtio' } as Record<string, string>)[i.type];
      if (bus) i.bus = bus;
    }
  }
  for (const h of d.hostdevs) {
    if (h.mode === 'subsystem' && h.managed === undefined && ['pci', 'usb', 'scsi'].includes(h.type ?? '')) h.managed = false;
  }
  for (const r of d.rngs) if (r.backend?.model === 'random' && r.backend.path === undefined) r.backend.path = '/dev/random';
}

/** Applies libvirt's generic post-parse additions to `def` (idempotent). */
export function addImplicitDevices(def: DomainDef): DomainDef {
  assignControllerIndexes(def.devices);
  assignCharPorts(def.devices);
  assignDriveAddresses(def.devices);
  consoleCompat(def);
  addControllers(def.devices);
  return def;
}
