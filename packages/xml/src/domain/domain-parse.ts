/**
 * parseDomainXML: document -> DomainDef, with libvirt 9.0's checks, codes and messages.
 */
import { virtError } from '@virtkit/core';
import { ElementReader, elementText, keepTextExtra } from '../model/element-reader.js';
import type { HasExtra } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import {
  checkEnum,
  VIR_ERR_CONFIG_UNSUPPORTED,
  VIR_ERR_INTERNAL_ERROR,
  VIR_ERR_NO_NAME,
  VIR_FROM_DOMAIN,
  VIR_FROM_XML,
  missingAttr,
  propUInt,
  xmlError,
} from '../util/codes.js';
import { parseUUID } from '../util/uuid.js';
import { LLONG_MAX, parseInt32, parseUInt, parseULongLong, scaleIntegerBig } from '../util/units.js';
import { keepExtra } from './device-common.js';
import { emptyDevices, parseDevices } from './devices.js';
import { addImplicitDevices, deviceDefaults } from './implicit-devices.js';
import type { DomainCpu, DomainDef, DomainOs, DomainVcpu } from './domain-types.js';

const DOMAIN_TYPES = ['none', 'qemu', 'kqemu', 'kvm', 'xen', 'lxc', 'uml', 'openvz', 'test', 'vmware', 'hyperv', 'vbox', 'phyp', 'parallels', 'bhyve', 'vz', 'hvf'];
const OS_TYPES = ['hvm', 'xen', 'linux', 'exe', 'uml', 'xenpvh'];
const BOOT_DEVS = ['fd', 'cdrom', 'hd', 'network'];
const LIFECYCLE = ['destroy', 'restart', 'rename-restart', 'preserve'];
const CRASH = [...LIFECYCLE, 'coredump-destroy', 'coredump-restart'];
/** virArch names. */
const ARCHES = ['none', 'alpha', 'armv6l', 'armv7l', 'armv7b', 'aarch64', 'cris', 'i686', 'ia64', 'lm32', 'loongarch64', 'm68k', 'microblaze',
  'microblazeel', 'mips', 'mipsel', 'mips64', 'mips64el', 'openrisc', 'parisc', 'parisc64', 'ppc', 'ppcle', 'ppc64', 'ppc64le', 'ppcemb',
  'riscv32', 'riscv64', 's390', 's390x', 'sh4', 'sh4eb', 'sparc', 'sparc64', 'unicore32', 'x86_64', 'xtensa', 'xtensaeb'];
const FEATURES = ['acpi', 'apic', 'pae', 'hap', 'viridian', 'privnet', 'hyperv', 'kvm', 'pvspinlock', 'capabilities', 'pmu', 'vmport', 'gic',
  'smm', 'ioapic', 'hpt', 'vmcoreinfo', 'htm', 'nested-hv', 'msrs', 'ccf-assist', 'xen', 'cfpc', 'sbbc', 'ibs', 'tcg'];
/** VIR_FROM_CPU. */
const VIR_FROM_CPU = 31;
const CLOCK_OFFSETS = ['utc', 'localtime', 'variable', 'timezone', 'absolute'];

/** Checks the root element name like virXMLParse ("expecting root element of 'x', not 'y'"). */
export function expectRoot(root: XmlElement, name: string): void {
  if (root.name !== name) throw virtError(27, `expecting root element of '${name}', not '${root.name}'`, VIR_FROM_XML);
}

/**
 * Parses a memory element the way virDomainParseMemory does: value scaled by unit (default
 * KiB), result in KiB rounded up. Errors: 27 "Invalid value", 8 unknown suffix, 82 overflow.
 */
export function parseMemoryElement(el: XmlElement, xpath: string): number {
  const raw = elementText(el);
  const v = parseULongLong(raw);
  if (v === undefined) throw virtError(27, `Invalid value '${raw}' for element or attribute '${xpath}'`, VIR_FROM_XML);
  const unit = el.attributes.find((a) => a.name === 'unit')?.value;
  const bytes = scaleIntegerBig(v, unit, 1024, LLONG_MAX);
  return Number((bytes + 1023n) / 1024n);
}

function memoryOf(r: ElementReader, name: string): { kib: number; extra?: DomainDef['memoryExtra'] } | undefined {
  const el = r.child(name);
  if (!el) return undefined;
  const kib = parseMemoryElement(el, `./${name}[1]`);
  const er = new ElementReader(el);
  er.attr('unit');
  er.text();
  const extra = er.extra();
  return extra ? { kib, extra } : { kib };
}

function parseVcpu(el: XmlElement): DomainVcpu {
  const r = new ElementReader(el);
  const count = parseUInt(r.text());
  if (count === undefined) throw xmlError('maximum vcpus count must be an integer');
  const v: DomainVcpu = { count };
  const placement = checkEnum(r.attr('placement'), ['static', 'auto'] as const, 'placement', 'vcpu');
  if (placement) v.placement = placement;
  const cur = propUInt(r.attr('current'), 'current', 'vcpu');
  if (cur !== undefined) v.current = cur;
  const cpuset = r.attr('cpuset');
  if (cpuset !== undefined) v.cpuset = cpuset;
  keepExtra(r, v);
  if (count === 0) throw virtError(VIR_ERR_INTERNAL_ERROR, 'CPU IDs in <numa> exceed the <vcpu> count', VIR_FROM_DOMAIN);
  if (v.current !== undefined && v.current > count) {
    throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, 'maximum vCPU count must not be less than current vCPU count', VIR_FROM_DOMAIN);
  }
  return v;
}

function parseOs(el: XmlElement | undefined): DomainOs {
  const r = el ? new ElementReader(el) : undefined;
  const typeEl = r?.child('type');
  const typeText = typeEl ? elementText(typeEl).trim() : '';
  if (!r || !typeEl || !typeText) throw xmlError('an os <type> must be specified');
  if (!OS_TYPES.includes(typeText)) throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `unknown OS type '${typeText}'`, VIR_FROM_DOMAIN);
  const os: DomainOs = { type: typeText, boot: [], initargs: [] };
  const tr = new ElementReader(typeEl);
  tr.text();
  const arch = tr.attr('arch');
  if (arch !== undefined && !ARCHES.includes(arch)) throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `Unknown architecture ${arch}`, VIR_FROM_DOMAIN);
  if (arch !== undefined) os.arch = arch;
  const machine = tr.attr('machine');
  if (machine !== undefined) os.machine = machine;
  const te = tr.extra();
  if (te) os.typeExtra = te;
  for (const b of r.el.children) {
    if (b.type !== 'element' || b.name !== 'boot') continue;
    const br = new ElementReader(b);
    const dev = br.attr('dev');
    if (dev === undefined) throw missingAttr('dev', 'boot');
    checkEnum(dev, BOOT_DEVS, 'dev', 'boot');
    r.use(b);
    const extra = br.extra();
    if (extra) (os.bootExtras ??= [])[os.boot.length] = extra;
    os.boot.push(dev);
  }
  for (const k of ['kernel', 'initrd', 'cmdline', 'dtb', 'init'] as const) {
    const v = r.simpleText(k, os);
    if (v !== undefined) os[k] = v;
  }
  for (const a of r.el.children) {
    if (a.type === 'element' && a.name === 'initarg' && !a.attributes.length && a.children.every((c) => c.type === 'text')) {
      r.use(a);
      os.initargs.push(elementText(a));
    }
  }
  const loader = r.peek('loader');
  if (loader && loader.children.every((c) => c.type === 'text')) {
    r.use(loader);
    const lr = new ElementReader(loader);
    const l: NonNullable<DomainOs['loader']> = {};
    const ro = lr.attr('readonly');
    if (ro !== undefined) l.readonly = ro;
    const t = lr.attr('type');
    if (t !== undefined) l.type = t;
    const path = lr.text();
    if (path) l.path = path;
    keepExtra(lr, l);
    os.loader = l;
  }
  keepExtra(r, os);
  return os;
}

function parseCpu(el: XmlElement): DomainCpu {
  const r = new ElementReader(el);
  const cpu: DomainCpu = {};
  for (const k of ['mode', 'match', 'check'] as const) {
    const v = r.attr(k);
    if (v !== undefined) cpu[k] = v;
  }
  if (cpu.mode !== undefined && !['custom', 'host-model', 'host-passthrough', 'maximum'].includes(cpu.mode)) {
    throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `Invalid mode attribute '${cpu.mode}'`, VIR_FROM_CPU);
  }
  checkEnum(cpu.match, ['minimum', 'exact', 'strict'], 'match', 'cpu');
  checkEnum(cpu.check, ['none', 'partial', 'full'], 'check', 'cpu');
  const m = r.peek('model');
  if (m && m.children.every((c) => c.type === 'text')) {
    r.use(m);
    const mr = new ElementReader(m);
    cpu.model = mr.text();
    const e = mr.extra();
    if (e) cpu.modelExtra = e;
  }
  const t = r.child('topology');
  if (t) {
    const tr = new ElementReader(t);
    const topo: NonNullable<DomainCpu['topology']> = {};
    for (const k of ['sockets', 'dies', 'cores', 'threads'] as const) {
      const raw = tr.attr(k);
      if (raw === undefined && k !== 'dies') throw missingAttr(k, 'topology');
      const n = propUInt(raw, k, 'topology');
      if (n !== undefined) topo[k] = n;
    }
    keepExtra(tr, topo);
    cpu.topology = topo;
  }
  keepExtra(r, cpu);
  return cpu;
}

function lifecycle(r: ElementReader, name: string, allowed: string[], owner: HasExtra): string | undefined {
  const v = r.simpleText(name, owner);
  if (v === undefined) return undefined;
  if (!CRASH.includes(v)) throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `unknown ${name} action: ${v}`, VIR_FROM_DOMAIN);
  if (!allowed.includes(v)) {
    throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `Lifecycle event '${name.slice(3)}' doesn't support '${v}' action`, VIR_FROM_DOMAIN);
  }
  return v;
}

/** Parses a domain document into a DomainDef (see {@link parseDomainElement}). */
export function parseDomainXML(xml: string): DomainDef {
  return parseDomainElement(parseXmlDocument(xml, { url: 'domain_definition', errorDomain: VIR_FROM_DOMAIN }));
}

/** Parses a `<domain>` element into a DomainDef, with libvirt's validation. */
export function parseDomainElement(root: XmlElement): DomainDef {
  expectRoot(root, 'domain');
  const r = new ElementReader(root);
  const type = r.attr('type');
  if (type === undefined) throw virtError(VIR_ERR_INTERNAL_ERROR, 'missing domain type attribute', VIR_FROM_DOMAIN);
  if (!DOMAIN_TYPES.includes(type)) throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `invalid domain type ${type}`, VIR_FROM_DOMAIN);
  const idRaw = root.attributes.find((a) => a.name === 'id')?.value;
  const id = idRaw === undefined ? undefined : parseInt32(idRaw);
  if (id !== undefined) r.attr('id');
  const te: HasExtra = {};
  const name = r.simpleText('name', te)?.trim() ?? '';
  if (!name) throw virtError(VIR_ERR_NO_NAME, undefined, VIR_FROM_DOMAIN);
  if (name.includes('/')) throw xmlError(`name ${name} cannot contain '/'`);
  const def: DomainDef = { type, name, memory: 0, os: { type: 'hvm', boot: [], initargs: [] }, devices: emptyDevices() };
  if (id !== undefined) def.id = id;
  if (te.textExtras) def.textExtras = te.textExtras;
  const uuidEl = r.child('uuid');
  if (uuidEl) keepTextExtra(uuidEl, def);
  // an empty <uuid/> counts as none (libvirt generates one)
  if (uuidEl && elementText(uuidEl) !== '') {
    const u = parseUUID(elementText(uuidEl));
    if (!u) throw virtError(VIR_ERR_INTERNAL_ERROR, 'malformed uuid element', VIR_FROM_DOMAIN);
    def.uuid = u;
  }
  const genid = r.simpleText('genid', def);
  if (genid !== undefined && genid !== '' && !parseUUID(genid)) throw virtError(VIR_ERR_INTERNAL_ERROR, 'malformed genid element', VIR_FROM_DOMAIN);
  if (genid !== undefined) def.genid = genid;
  const title = r.simpleText('title', def);
  if (title !== undefined) {
    if (title.includes('\n')) throw xmlError('Domain title can\'t contain newlines');
    def.title = title;
  }
  const desc = r.simpleText('description', def);
  if (desc !== undefined) def.description = desc;
  const md = r.child('metadata');
  if (md) def.metadata = md;
  const maxEl = r.child('maxMemory');
  if (maxEl) {
    const kib = parseMemoryElement(maxEl, './maxMemory[1]');
    const mr = new ElementReader(maxEl);
    mr.attr('unit');
    mr.text();
    const slotsRaw = mr.attr('slots');
    const slots = slotsRaw === undefined ? undefined : parseUInt(slotsRaw);
    if (slotsRaw !== undefined && slots === undefined) throw xmlError('Failed to parse memory slot count');
    def.maxMemory = slots === undefined ? { kib } : { kib, slots };
    keepExtra(mr, def.maxMemory);
  }
  const mem = memoryOf(r, 'memory');
  if (mem) {
    def.memory = mem.kib;
    if (mem.extra) def.memoryExtra = mem.extra;
  }
  const cur = memoryOf(r, 'currentMemory');
  if (cur) def.currentMemory = cur.kib;
  if (cur?.extra) (def.textExtras ??= {}).currentMemory = cur.extra;
  const vcpuEl = r.child('vcpu');
  if (vcpuEl) def.vcpu = parseVcpu(vcpuEl);
  def.os = parseOs(r.child('os'));
  const feat = r.child('features');
  if (feat) {
    const fr = new ElementReader(feat);
    def.features = { items: feat.children.filter((c): c is XmlElement => c.type === 'element') };
    for (const f of def.features.items) if (!FEATURES.includes(f.name)) throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `unexpected feature '${f.name}'`, VIR_FROM_DOMAIN);
    for (const f of def.features.items) fr.use(f);
    keepExtra(fr, def.features);
  }
  const cpuEl = r.child('cpu');
  if (cpuEl) def.cpu = parseCpu(cpuEl);
  const clockEl = r.child('clock');
  if (clockEl) {
    const cr = new ElementReader(clockEl);
    const raw = cr.attr('offset');
    // an empty offset counts as none
    const offset = raw === '' ? undefined : raw;
    if (offset !== undefined && !CLOCK_OFFSETS.includes(offset)) {
      throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `unknown clock offset '${offset}'`, VIR_FROM_DOMAIN);
    }
    def.clock = offset === undefined ? {} : { offset };
    keepExtra(cr, def.clock);
  }
  const onPoweroff = lifecycle(r, 'on_poweroff', LIFECYCLE, def);
  if (onPoweroff !== undefined) def.onPoweroff = onPoweroff;
  const onReboot = lifecycle(r, 'on_reboot', LIFECYCLE, def);
  if (onReboot !== undefined) def.onReboot = onReboot;
  const onCrash = lifecycle(r, 'on_crash', CRASH, def);
  if (onCrash !== undefined) def.onCrash = onCrash;
  const devEl = r.child('devices');
  if (devEl) def.devices = parseDevices(devEl);
  keepExtra(r, def);
  const numa = def.cpu?.extra?.children.some((c) => c.node.name === 'numa');
  if (def.memory === 0 && !numa) throw xmlError('Memory size must be specified via <memory> or in the <numa> configuration');
  applyParseDefaults(def);
  return def;
}

/**
 * The defaults libvirt's parser puts into every definition (and so into every XMLDesc): the
 * balloon clamped to the maximum, one static vCPU, clock utc, destroy/restart/destroy, and for
 * hvm guests without any boot order `<boot dev='hd'/>`.
 */
export function applyParseDefaults(def: DomainDef): void {
  if (def.currentMemory === undefined || def.currentMemory > def.memory) def.currentMemory = def.memory;
  def.vcpu ??= { count: 1 };
  if (def.vcpu.placement === undefined) def.vcpu.placement = 'static';
  def.clock ??= { offset: 'utc' };
  if (def.clock.offset === undefined) def.clock.offset = 'utc';
  def.onPoweroff ??= 'destroy';
  def.onReboot ??= 'restart';
  def.onCrash ??= 'destroy';
  const d = def.devices;
  const orders = [...d.disks, ...d.interfaces, ...d.hostdevs].flatMap((x) => (x.boot ? [x.boot.order] : []));
  const perDevice = orders.length > 0 || (d.extra?.children.some((c) => c.node.children.some((k) => k.type === 'element' && k.name === 'boot')) ?? false);
  if (perDevice && def.os.boot.length) {
    throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, 'per-device boot elements cannot be used together with os/boot elements', VIR_FROM_DOMAIN);
  }
  const seen = new Set<number>();
  for (const o of orders) {
    if (seen.has(o)) throw virtError(VIR_ERR_CONFIG_UNSUPPORTED, `boot order '${o}' used for more than one device`, VIR_FROM_DOMAIN);
    seen.add(o);
  }
  if (def.os.type === 'hvm' && def.os.boot.length === 0 && !perDevice) def.os.boot.push('hd');
  deviceDefaults(def);
  addImplicitDevices(def);
}
