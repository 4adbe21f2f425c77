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
import { diskSourcePath, formatDisk, insertDisk, parseDisk } from './disk.js';
import { insertController } from './implicit-devices.js';
import { formatController, formatInterface, parseController, parseInterface } from './interface.js';
import * as o from './other-devices.js';

/** Where each parsed device (typed object or kept element) stood among `<devices>`' children. */
const POSITION = new WeakMap<object, number>();
/** The bus attribute of a disk as written (libvirt orders disks by it while parsing). */
const WRITTEN_BUS = new WeakMap<object, string | undefined>();

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
  let index = -1;
  const put = <T extends object>(list: T[], obj: T) => {
    POSITION.set(obj, index);
    list.push(obj);
  };
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    index++;
    let known = true;
    switch (c.name) {
      case 'emulator': {
        if (d.emulator !== undefined || c.attributes.length || c.children.some((k) => k.type !== 'text')) known = false;
        else {
          d.emulator = c.children.length ? (c.children[0] as { text: string }).text : '';
          POSITION.set(d, index);
        }
        break;
      }
      case 'disk': {
        // libvirt keeps disks sorted per bus (as written) by target index
        const disk = parseDisk(c);
        POSITION.set(disk, index);
        const bus = c.children.find((k): k is XmlElement => k.type === 'element' && k.name === 'target')?.attributes.find((a) => a.name === 'bus')?.value;
        WRITTEN_BUS.set(disk, bus);
        insertDisk(d.disks, disk, (x) => WRITTEN_BUS.get(x), (x) => x.target.dev);
        break;
      }
      case 'controller': {
        const ctl = parseController(c);
        POSITION.set(ctl, index);
        if (ctl.index === undefined) insertController(d.controllers, ctl);
        else d.controllers.push(ctl);
        break;
      }
      case 'filesystem': put(d.filesystems, o.parseFilesystem(c)); break;
      case 'interface': put(d.interfaces, parseInterface(c)); break;
      case 'serial': put(d.serials, parseChardev(c)); break;
      case 'parallel': put(d.parallels, parseChardev(c)); break;
      case 'console': put(d.consoles, parseChardev(c)); break;
      case 'channel': put(d.channels, parseChardev(c)); break;
      case 'input': put(d.inputs, o.parseInput(c)); break;
      case 'tpm': put(d.tpms, o.parseModelDevice(c)); break;
      case 'graphics': put(d.graphics, o.parseGraphics(c)); break;
      case 'sound': put(d.sounds, o.parseModelDevice(c)); break;
      case 'video': put(d.videos, o.parseVideo(c)); break;
      case 'hostdev': put(d.hostdevs, o.parseHostdev(c)); break;
      case 'watchdog': put(d.watchdogs, o.parseWatchdog(c)); break;
      case 'memballoon': {
        if (d.memballoon) known = false;
        else POSITION.set((d.memballoon = o.parseMemballoon(c)), index);
        break;
      }
      case 'rng': put(d.rngs, o.parseRng(c)); break;
      case 'panic': put(d.panics, o.parseModelDevice(c)); break;
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
    else POSITION.set(c, index);
  }
  // libvirt's order after its parse is not always stable under a second define (the written
  // bus differs from the default one); sorting again by the effective bus gives the order a
  // second define would, which stays put from then on: format(parse(x)) is a fixed point
  if (d.disks.length > 1) {
    const once = d.disks.splice(0);
    for (const disk of once) insertDisk(d.disks, disk, (x) => x.target.bus, (x) => x.target.dev);
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
export function formatDevices(d: DomainDevices, secure = false, documentOrder = false): XmlElement {
  const kids: XmlElement[] = [];
  const objs: object[] = [];
  const add = (obj: object, el: XmlElement) => {
    kids.push(el);
    objs.push(obj);
  };
  if (d.emulator !== undefined) add(d, buildElement('emulator', [], [], undefined, d.emulator));
  for (const x of d.disks) add(x, formatDisk(x));
  for (const x of d.controllers) add(x, formatController(x));
  for (const x of d.filesystems) add(x, o.formatFilesystem(x));
  for (const x of d.interfaces) add(x, formatInterface(x));
  for (const x of d.serials) add(x, formatChardev('serial', x));
  for (const x of d.parallels) add(x, formatChardev('parallel', x));
  for (const x of d.consoles) add(x, formatChardev('console', x));
  for (const x of d.channels) add(x, formatChardev('channel', x));
  for (const x of d.inputs) add(x, o.formatInput(x));
  for (const x of d.tpms) add(x, o.formatModelDevice('tpm', x));
  for (const x of d.graphics) add(x, o.formatGraphics(x, secure));
  for (const x of d.sounds) add(x, o.formatModelDevice('sound', x));
  for (const x of d.videos) add(x, o.formatVideo(x));
  for (const x of d.hostdevs) add(x, o.formatHostdev(x));
  for (const x of d.watchdogs) add(x, o.formatWatchdog(x));
  if (d.memballoon) add(d.memballoon, o.formatMemballoon(d.memballoon));
  for (const x of d.rngs) add(x, o.formatRng(x));
  for (const x of d.panics) add(x, o.formatModelDevice('panic', x));
  if (!documentOrder) return markExpanded(buildElement('devices', [], kids, d.extra));
  return markExpanded(inDocumentOrder(kids, objs, d));
}

// The devices in the order of the parsed document: known positions first, devices added since
// right after the device before them in libvirt's order, unknown devices where they stood.
function inDocumentOrder(kids: XmlElement[], objs: object[], d: DomainDevices): XmlElement {
  const keyed: { el: XmlElement; key: number; i: number }[] = [];
  let prev = -1;
  kids.forEach((el, i) => {
    const pos = POSITION.get(objs[i]!);
    prev = pos ?? prev + 0.001;
    keyed.push({ el, key: prev, i });
  });
  let n = keyed.length;
  for (const x of d.extra?.children ?? []) keyed.push({ el: x.node, key: POSITION.get(x.node) ?? Number.MAX_SAFE_INTEGER, i: n++ });
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  const el = buildElement('devices', [], keyed.map((k) => k.el), d.extra && { ...d.extra, children: [] });
  return el;
}
