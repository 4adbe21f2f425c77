/**
 * `<devices>`: dispatches each child to its family, keeps unknown devices in place, formats
 * families in libvirt's order (document order within a family).
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import { markExpanded } from '../tree/xml-format.js';
import type { XmlElement } from '../tree/xml-node.js';
import { checkEnum, missingAttr, xmlError } from '../util/codes.js';

const AUDIO_TYPES = ['none', 'alsa', 'coreaudio', 'jack', 'oss', 'pulseaudio', 'sdl', 'spice', 'file', 'dbus'];
import { formatChardev, parseChardev } from './chardev.js';
import { keepExtra } from './device-common.js';
import type { DomainDevices } from './device-types.js';
import { diskSourcePath, formatDisk, parseDisk } from './disk.js';
import { formatController, formatInterface, parseController, parseInterface } from './interface.js';
import * as o from './other-devices.js';

/** An empty device set. */
export function emptyDevices(): DomainDevices {
  return {
    disks: [], controllers: [], filesystems: [], interfaces: [], serials: [], parallels: [], consoles: [], channels: [],
    inputs: [], tpms: [], graphics: [], sounds: [], videos: [], hostdevs: [], watchdogs: [], rngs: [], panics: [],
  };
}

/** Parses `<devices>`. */
export function parseDevices(el: XmlElement): DomainDevices {
  const r = new ElementReader(el);
  const d = emptyDevices();
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    let known = true;
    switch (c.name) {
      case 'emulator': {
        if (d.emulator !== undefined || c.attributes.length || c.children.some((k) => k.type !== 'text')) known = false;
        else d.emulator = c.children.length ? (c.children[0] as { text: string }).text : '';
        break;
      }
      case 'disk': d.disks.push(parseDisk(c)); break;
      case 'controller': d.controllers.push(parseController(c)); break;
      case 'filesystem': d.filesystems.push(o.parseFilesystem(c)); break;
      case 'interface': d.interfaces.push(parseInterface(c)); break;
      case 'serial': d.serials.push(parseChardev(c)); break;
      case 'parallel': d.parallels.push(parseChardev(c)); break;
      case 'console': d.consoles.push(parseChardev(c)); break;
      case 'channel': d.channels.push(parseChardev(c)); break;
      case 'input': d.inputs.push(o.parseInput(c)); break;
      case 'tpm': d.tpms.push(o.parseModelDevice(c)); break;
      case 'graphics': d.graphics.push(o.parseGraphics(c)); break;
      case 'sound': d.sounds.push(o.parseModelDevice(c)); break;
      case 'video': d.videos.push(o.parseVideo(c)); break;
      case 'hostdev': d.hostdevs.push(o.parseHostdev(c)); break;
      case 'watchdog': d.watchdogs.push(o.parseWatchdog(c)); break;
      case 'memballoon': {
        if (d.memballoon) known = false;
        else d.memballoon = o.parseMemballoon(c);
        break;
      }
      case 'rng': d.rngs.push(o.parseRng(c)); break;
      case 'panic': d.panics.push(o.parseModelDevice(c)); break;
      case 'audio': {
        // kept verbatim, but checked as libvirt does
        const type = c.attributes.find((a) => a.name === 'type')?.value;
        if (type === undefined) throw missingAttr('type', 'audio');
        checkEnum(type, AUDIO_TYPES, 'type', 'audio');
        if (!c.attributes.some((a) => a.name === 'id')) throw missingAttr('id', 'audio');
        known = false;
        break;
      }
      default: known = false;
    }
    if (known) r.use(c);
  }
  keepExtra(r, d);
  checkDuplicateDiskTargets(d);
  return d;
}

/** libvirt's virDomainDefCheckDuplicateDiskInfo: one disk per target name. */
export function checkDuplicateDiskTargets(d: DomainDevices): void {
  const seen = new Map<string, (typeof d.disks)[number]>();
  for (const disk of d.disks) {
    const prev = seen.get(disk.target.dev);
    if (prev) {
      throw xmlError(`target '${disk.target.dev}' duplicated for disk sources '${diskSourcePath(prev) ?? '<null>'}' and '${diskSourcePath(disk) ?? '<null>'}'`);
    }
    seen.set(disk.target.dev, disk);
  }
}

/** Formats `<devices>`; `secure` includes secrets (graphics passwords). */
export function formatDevices(d: DomainDevices, secure = false): XmlElement {
  const kids: (XmlElement | undefined)[] = [];
  if (d.emulator !== undefined) kids.push(buildElement('emulator', [], [], undefined, d.emulator));
  for (const x of d.disks) kids.push(formatDisk(x));
  for (const x of d.controllers) kids.push(formatController(x));
  for (const x of d.filesystems) kids.push(o.formatFilesystem(x));
  for (const x of d.interfaces) kids.push(formatInterface(x));
  for (const x of d.serials) kids.push(formatChardev('serial', x));
  for (const x of d.parallels) kids.push(formatChardev('parallel', x));
  for (const x of d.consoles) kids.push(formatChardev('console', x));
  for (const x of d.channels) kids.push(formatChardev('channel', x));
  for (const x of d.inputs) kids.push(o.formatInput(x));
  for (const x of d.tpms) kids.push(o.formatModelDevice('tpm', x));
  for (const x of d.graphics) kids.push(o.formatGraphics(x, secure));
  for (const x of d.sounds) kids.push(o.formatModelDevice('sound', x));
  for (const x of d.videos) kids.push(o.formatVideo(x));
  for (const x of d.hostdevs) kids.push(o.formatHostdev(x));
  for (const x of d.watchdogs) kids.push(o.formatWatchdog(x));
  if (d.memballoon) kids.push(o.formatMemballoon(d.memballoon));
  for (const x of d.rngs) kids.push(o.formatRng(x));
  for (const x of d.panics) kids.push(o.formatModelDevice('panic', x));
  return markExpanded(buildElement('devices', [], kids, d.extra));
}
