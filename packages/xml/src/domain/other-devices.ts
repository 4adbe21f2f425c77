/**
 * The remaining device families: input, graphics, video, sound, hostdev, watchdog,
 * memballoon, rng, filesystem, panic, tpm.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { checkEnum, checkSupported, missingAttr, VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, xmlError } from '../util/codes.js';
import { virtError } from '@virtkit/core';
import { parseInt32, parseUInt } from '../util/units.js';
import {
  formatAddress,
  formatAlias,
  formatAttrElement,
  formatBoot,
  isInactiveFormat,
  keepExtra,
  parseAttrElement,
  readBoot,
  readDeviceCommon,
  toYesNo,
  yesNo,
} from './device-common.js';
import type { FilesystemDef, GraphicsDef, HostdevDef, InputDef, MemballoonDef, ModelDeviceDef, RngDef, VideoDef, WatchdogDef } from './device-types.js';

const INPUT_TYPES = ['mouse', 'tablet', 'keyboard', 'passthrough', 'evdev'];
const VIDEO_MODELS = ['default', 'vga', 'cirrus', 'vmvga', 'xen', 'vbox', 'qxl', 'parallels', 'virtio', 'gop', 'none', 'bochs', 'ramfb'];
const WATCHDOG_MODELS = ['i6300esb', 'ib700', 'diag288', 'itco'];
const HOSTDEV_MODES = ['subsystem', 'capabilities'];
const SOUND_MODELS = ['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7'];
const RNG_MODELS = ['virtio', 'virtio-transitional', 'virtio-non-transitional'];
const FS_TYPES = ['mount', 'block', 'file', 'template', 'ram', 'bind', 'volume'];
const GRAPHICS_TYPES = ['sdl', 'vnc', 'rdp', 'desktop', 'spice', 'egl-headless', 'dbus'];

/** Parses `<input>`. */
export function parseInput(el: XmlElement): InputDef {
  const r = new ElementReader(el);
  const type = r.attr('type');
  if (type === undefined) throw virtError(VIR_ERR_INTERNAL_ERROR, 'missing input device type', VIR_FROM_DOMAIN);
  checkSupported(type, INPUT_TYPES, (v) => `unknown input device type '${v}'`);
  const d: InputDef = { type };
  const bus = r.attr('bus');
  checkSupported(bus, ['ps2', 'usb', 'xen', 'parallels', 'virtio', 'none'], (v) => `unknown input bus type '${v}'`);
  if (bus !== undefined) d.bus = bus;
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<input>`. */
export function formatInput(d: InputDef): XmlElement {
  return buildElement('input', [['type', d.type], ['bus', d.bus]], [formatAlias(d), formatAddress(d)], d.extra);
}

/** Parses `<graphics>`. */
export function parseGraphics(el: XmlElement): GraphicsDef {
  const r = new ElementReader(el);
  const type = r.attr('type');
  if (type === undefined) throw missingAttr('type', 'graphics');
  checkEnum(type, GRAPHICS_TYPES, 'type', 'graphics');
  const d: GraphicsDef = { type };
  const port = el.attributes.find((a) => a.name === 'port')?.value;
  const p = port === undefined ? undefined : parseInt32(port);
  if (port !== undefined && p === undefined && (type === 'vnc' || type === 'spice')) {
    throw virtError(VIR_ERR_INTERNAL_ERROR, `cannot parse ${type} port ${port}`, VIR_FROM_DOMAIN);
  }
  if (p !== undefined) {
    r.attr('port');
    d.port = p;
  }
  const auto = yesNo(el.attributes.find((a) => a.name === 'autoport')?.value);
  if (auto !== undefined) {
    r.attr('autoport');
    d.autoport = auto;
  }
  const listen = r.attr('listen');
  if (listen !== undefined) d.listen = listen;
  for (const l of el.children) {
    if (l.type === 'element' && l.name === 'listen') {
      checkEnum(l.attributes.find((a) => a.name === 'type')?.value, ['address', 'network', 'socket', 'none'], 'type', 'listen');
    }
  }
  const passwd = r.attr('passwd');
  if (passwd !== undefined) d.passwd = passwd;
  readDeviceCommon(r, d);
  keepExtra(r, d);
  graphicsDefaults(el, d);
  return d;
}

// virDomainGraphicsDefParseXML's defaults: automatic VNC/RDP ports, SPICE autoport off once a
// port is given, and a <listen> element made from the listen/socket attributes
function graphicsDefaults(el: XmlElement, d: GraphicsDef): void {
  const attr = (n: string) => el.attributes.find((a) => a.name === n)?.value;
  const socket = attr('socket');
  if (d.type === 'vnc' && socket === undefined) {
    d.autoport ??= d.port === undefined || d.port === -1;
    if (d.autoport && d.port === undefined) d.port = -1;
  } else if (d.type === 'spice') {
    if (d.autoport === undefined && (d.port !== undefined || attr('tlsPort') !== undefined)) d.autoport = false;
  } else if (d.type === 'rdp' && d.port === undefined) {
    d.port = 0;
    d.autoport ??= true;
  }
  if (!['vnc', 'spice', 'rdp'].includes(d.type) || el.children.some((c) => c.type === 'element' && c.name === 'listen')) return;
  let listen: [string, string][];
  if (d.type === 'vnc' && socket !== undefined) listen = [['type', 'socket'], ['socket', socket]];
  else if (d.listen !== undefined) listen = [['type', 'address'], ['address', d.listen]];
  else if (d.type === 'spice' && d.port === undefined && attr('tlsPort') === undefined && !d.autoport) listen = [['type', 'none']];
  else listen = [['type', 'address']];
  const node = buildElement('listen', listen, []);
  const extra = (d.extra ??= { attributes: [], children: [] });
  extra.children.unshift({ after: null, node });
}

/** Formats `<graphics>`; the password only when `secure`. */
export function formatGraphics(d: GraphicsDef, secure: boolean): XmlElement {
  return buildElement(
    'graphics',
    [
      ['type', d.type],
      // an automatic port is not part of the configuration
      ['port', d.autoport && d.type === 'vnc' && isInactiveFormat() ? -1 : d.port],
      ['autoport', toYesNo(d.autoport)],
      ['listen', d.listen],
      ['passwd', secure ? d.passwd : undefined],
    ],
    [formatAlias(d), formatAddress(d)],
    d.extra,
  );
}

/** Parses `<video>`. */
export function parseVideo(el: XmlElement): VideoDef {
  const r = new ElementReader(el);
  const d: VideoDef = {};
  const m = r.child('model');
  if (m) {
    const mr = new ElementReader(m);
    const model: NonNullable<VideoDef['model']> = {};
    const type = mr.attr('type');
    checkSupported(type, VIDEO_MODELS, (v) => `unknown video model '${v}'`);
    if (type !== undefined) model.type = type;
    const rawVram = m.attributes.find((a) => a.name === 'vram')?.value;
    const vram = parseUInt(rawVram);
    if (rawVram !== undefined && vram === undefined) throw xmlError(`cannot parse video vram '${rawVram}'`);
    const rawHeads = m.attributes.find((a) => a.name === 'heads')?.value;
    if (rawHeads !== undefined && parseUInt(rawHeads) === undefined) {
      throw virtError(VIR_ERR_INTERNAL_ERROR, `cannot parse video heads '${rawHeads}'`, VIR_FROM_DOMAIN);
    }
    if (vram !== undefined) {
      mr.attr('vram');
      model.vram = vram;
    }
    const heads = parseUInt(m.attributes.find((a) => a.name === 'heads')?.value);
    if (heads !== undefined) {
      mr.attr('heads');
      model.heads = heads;
    }
    const primary = yesNo(m.attributes.find((a) => a.name === 'primary')?.value);
    if (primary !== undefined) {
      mr.attr('primary');
      model.primary = primary;
    }
    keepExtra(mr, model);
    d.model = model;
  }
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<video>`. */
export function formatVideo(d: VideoDef): XmlElement {
  const m = d.model;
  return buildElement(
    'video',
    [],
    [
      m && buildElement('model', [['type', m.type], ['vram', m.vram], ['heads', m.heads], ['primary', toYesNo(m.primary)]], [], m.extra),
      formatAlias(d),
      formatAddress(d),
    ],
    d.extra,
  );
}

/** Parses a device typed by `type`/`model` attributes (sound, panic, tpm). */
export function parseModelDevice(el: XmlElement): ModelDeviceDef {
  const r = new ElementReader(el);
  const d: ModelDeviceDef = {};
  const type = r.attr('type');
  if (type !== undefined) d.type = type;
  const model = r.attr('model');
  if (el.name === 'sound') checkEnum(model, SOUND_MODELS, 'model', 'sound');
  if (el.name === 'panic') checkSupported(model, ['isa', 'pseries', 'hyperv', 's390', 'pvpanic'], (v) => `unknown panic model '${v}'`);
  if (el.name === 'tpm') checkEnum(model, ['tpm-tis', 'tpm-crb', 'tpm-spapr', 'spapr-tpm-proxy'], 'model', 'tpm');
  if (model !== undefined) d.model = model;
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats a `type`/`model` device as element `name`. */
export function formatModelDevice(name: string, d: ModelDeviceDef): XmlElement {
  return buildElement(name, [['type', d.type], ['model', d.model]], [formatAlias(d), formatAddress(d)], d.extra);
}

/** Parses `<hostdev>`. */
export function parseHostdev(el: XmlElement): HostdevDef {
  const r = new ElementReader(el);
  const d: HostdevDef = {};
  const mode = r.attr('mode');
  checkSupported(mode, HOSTDEV_MODES, (v) => `unknown hostdev mode '${v}'`);
  if (mode !== undefined) d.mode = mode;
  const type = r.attr('type');
  const types = mode === 'capabilities' ? ['storage', 'misc', 'net'] : ['usb', 'pci', 'scsi', 'scsi_host', 'mdev'];
  checkSupported(type, types, (v) => `unknown host device source address type '${v}'`);
  if (type !== undefined) d.type = type;
  const managed = yesNo(el.attributes.find((a) => a.name === 'managed')?.value);
  if (managed !== undefined) {
    r.attr('managed');
    d.managed = managed;
  }
  const boot = readBoot(r);
  if (boot) d.boot = boot;
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<hostdev>`. */
export function formatHostdev(d: HostdevDef): XmlElement {
  return buildElement(
    'hostdev',
    [['mode', d.mode], ['type', d.type], ['managed', toYesNo(d.managed)]],
    [formatBoot(d.boot), formatAlias(d), formatAddress(d)],
    d.extra,
  );
}

/** Parses `<watchdog>`. */
export function parseWatchdog(el: XmlElement): WatchdogDef {
  const r = new ElementReader(el);
  const d: WatchdogDef = {};
  const model = r.attr('model');
  checkSupported(model, WATCHDOG_MODELS, (v) => `unknown watchdog model '${v}'`);
  if (model !== undefined) d.model = model;
  d.action = r.attr('action') ?? 'reset';
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<watchdog>`. */
export function formatWatchdog(d: WatchdogDef): XmlElement {
  return buildElement('watchdog', [['model', d.model], ['action', d.action]], [formatAlias(d), formatAddress(d)], d.extra);
}

/** Parses `<memballoon>`. */
export function parseMemballoon(el: XmlElement): MemballoonDef {
  const r = new ElementReader(el);
  const model = r.attr('model');
  if (model === undefined) throw missingAttr('model', 'memballoon');
  checkEnum(model, ['virtio', 'xen', 'none', 'virtio-transitional', 'virtio-non-transitional'], 'model', 'memballoon');
  const d: MemballoonDef = { model };
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<memballoon>`. */
export function formatMemballoon(d: MemballoonDef): XmlElement {
  return buildElement('memballoon', [['model', d.model]], [formatAlias(d), formatAddress(d)], d.extra);
}

/** Parses `<rng>`. */
export function parseRng(el: XmlElement): RngDef {
  const r = new ElementReader(el);
  const d: RngDef = {};
  const model = r.attr('model');
  checkSupported(model, RNG_MODELS, (v) => `unknown RNG model '${v}'`);
  if (model !== undefined) d.model = model;
  const b = r.peek('backend');
  if (b && b.children.every((c) => c.type === 'text')) {
    r.use(b);
    const br = new ElementReader(b);
    const backend: NonNullable<RngDef['backend']> = {};
    const bm = br.attr('model');
    if (bm !== undefined) backend.model = bm;
    const path = br.text().trim();
    if (path) backend.path = path;
    keepExtra(br, backend);
    d.backend = backend;
  }
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<rng>`. */
export function formatRng(d: RngDef): XmlElement {
  const b = d.backend;
  return buildElement(
    'rng',
    [['model', d.model]],
    [b && buildElement('backend', [['model', b.model]], [], b.extra, b.path), formatAlias(d), formatAddress(d)],
    d.extra,
  );
}

/** Parses `<filesystem>`. */
export function parseFilesystem(el: XmlElement): FilesystemDef {
  const r = new ElementReader(el);
  const d: FilesystemDef = {};
  const type = r.attr('type');
  checkEnum(type, FS_TYPES, 'type', 'filesystem');
  if (type !== undefined) d.type = type;
  const am = r.attr('accessmode');
  if (am !== undefined) d.accessmode = am;
  const s = r.child('source');
  if (s) d.source = parseAttrElement(s);
  const t = r.child('target');
  if (t) d.target = parseAttrElement(t);
  if (r.bareFlag('readonly')) d.readonly = true;
  readDeviceCommon(r, d);
  keepExtra(r, d);
  return d;
}

/** Formats `<filesystem>`. */
export function formatFilesystem(d: FilesystemDef): XmlElement {
  return buildElement(
    'filesystem',
    [['type', d.type], ['accessmode', d.accessmode]],
    [
      formatAttrElement('source', d.source),
      formatAttrElement('target', d.target),
      d.readonly && buildElement('readonly', [], []),
      formatAlias(d),
      formatAddress(d),
    ],
    d.extra,
  );
}
