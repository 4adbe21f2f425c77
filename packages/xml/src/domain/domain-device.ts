/**
 * Single devices as drivers receive them (attach/detach/update-device XML): parse, format,
 * and the mapping between element names and the typed arrays of DomainDevices.
 */
import { virtError } from '@virtkit/core';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN } from '../util/codes.js';
import { formatChardev, parseChardev } from './chardev.js';
import type * as T from './device-types.js';
import { formatDisk, parseDisk } from './disk.js';
import { formatController, formatInterface, parseController, parseInterface } from './interface.js';
import * as o from './other-devices.js';

/** A device with its kind (the element name). */
export type DomainDevice =
  | { kind: 'disk'; def: T.DiskDef }
  | { kind: 'controller'; def: T.ControllerDef }
  | { kind: 'filesystem'; def: T.FilesystemDef }
  | { kind: 'interface'; def: T.InterfaceDef }
  | { kind: 'serial' | 'parallel' | 'console' | 'channel'; def: T.ChardevDef }
  | { kind: 'input'; def: T.InputDef }
  | { kind: 'tpm' | 'sound' | 'panic'; def: T.ModelDeviceDef }
  | { kind: 'graphics'; def: T.GraphicsDef }
  | { kind: 'video'; def: T.VideoDef }
  | { kind: 'hostdev'; def: T.HostdevDef }
  | { kind: 'watchdog'; def: T.WatchdogDef }
  | { kind: 'memballoon'; def: T.MemballoonDef }
  | { kind: 'rng'; def: T.RngDef };

/** Device element names with a typed model. */
export type DomainDeviceKind = DomainDevice['kind'];

/** The DomainDevices array holding each kind (memballoon is a single field). */
export const DEVICE_ARRAYS = {
  disk: 'disks', controller: 'controllers', filesystem: 'filesystems', interface: 'interfaces', serial: 'serials',
  parallel: 'parallels', console: 'consoles', channel: 'channels', input: 'inputs', tpm: 'tpms', graphics: 'graphics',
  sound: 'sounds', video: 'videos', hostdev: 'hostdevs', watchdog: 'watchdogs', rng: 'rngs', panic: 'panics',
} as const satisfies Record<Exclude<DomainDeviceKind, 'memballoon'>, keyof T.DomainDevices>;

/** Parses one device element. Unknown names are VIR_ERR_XML_ERROR "unknown device type". */
export function parseDomainDeviceElement(el: XmlElement): DomainDevice {
  switch (el.name) {
    case 'disk': return { kind: 'disk', def: parseDisk(el) };
    case 'controller': return { kind: 'controller', def: parseController(el) };
    case 'filesystem': return { kind: 'filesystem', def: o.parseFilesystem(el) };
    case 'interface': return { kind: 'interface', def: parseInterface(el) };
    case 'serial': case 'parallel': case 'console': case 'channel': return { kind: el.name, def: parseChardev(el) };
    case 'input': return { kind: 'input', def: o.parseInput(el) };
    case 'tpm': case 'sound': case 'panic': return { kind: el.name, def: o.parseModelDevice(el) };
    case 'graphics': return { kind: 'graphics', def: o.parseGraphics(el) };
    case 'video': return { kind: 'video', def: o.parseVideo(el) };
    case 'hostdev': return { kind: 'hostdev', def: o.parseHostdev(el) };
    case 'watchdog': return { kind: 'watchdog', def: o.parseWatchdog(el) };
    case 'memballoon': return { kind: 'memballoon', def: o.parseMemballoon(el) };
    case 'rng': return { kind: 'rng', def: o.parseRng(el) };
    default: throw virtError(VIR_ERR_XML_ERROR, `unknown device type '${el.name}'`, VIR_FROM_DOMAIN);
  }
}

/** Parses a device document (`<disk>...</disk>`), as virDomainDeviceDefParse. */
export function parseDomainDeviceXML(xml: string): DomainDevice {
  return parseDomainDeviceElement(parseXmlDocument(xml, { url: 'device_definition', errorDomain: VIR_FROM_DOMAIN }));
}

/** Builds the element of one device. */
export function formatDomainDeviceElement(dev: DomainDevice, secure = false): XmlElement {
  switch (dev.kind) {
    case 'disk': return formatDisk(dev.def);
    case 'controller': return formatController(dev.def);
    case 'filesystem': return o.formatFilesystem(dev.def);
    case 'interface': return formatInterface(dev.def);
    case 'serial': case 'parallel': case 'console': case 'channel': return formatChardev(dev.kind, dev.def);
    case 'input': return o.formatInput(dev.def);
    case 'tpm': case 'sound': case 'panic': return o.formatModelDevice(dev.kind, dev.def);
    case 'graphics': return o.formatGraphics(dev.def, secure);
    case 'video': return o.formatVideo(dev.def);
    case 'hostdev': return o.formatHostdev(dev.def);
    case 'watchdog': return o.formatWatchdog(dev.def);
    case 'memballoon': return o.formatMemballoon(dev.def);
    case 'rng': return o.formatRng(dev.def);
  }
}

/** Formats one device as libvirt does (e.g. for detach or a device event). */
export function formatDomainDeviceXML(dev: DomainDevice, opts: { secure?: boolean } = {}): string {
  return formatXmlElement(formatDomainDeviceElement(dev, opts.secure));
}
