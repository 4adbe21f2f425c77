/**
 * The test driver's view of a domain definition: @virtkit/xml's typed model plus the
 * post-parse defaults libvirt's test driver applies (arch i686, generated UUID and MACs,
 * `testnetN` interface names, lifecycle actions), and the `test:` namespace of node files.
 */
import { formatDomainXML, generateMAC, generateUUID, parseDomainXML } from '@virtkit/xml';
import type { DomainDef, XmlElement } from '@virtkit/xml';
import { DomState, Err, From } from './consts.js';
import { asVirtError, testError } from './errors.js';

export type { DomainDef };

/** The test driver's XML namespace for run state and friends in node files. */
export const TEST_NS = 'http://libvirt.org/schemas/domain/test/1.0';

/** What a `<domain>` of a node file says in the test namespace. */
export interface TestNamespaceData {
  runstate: number;
  transient: boolean;
  hasManagedSave: boolean;
  /** `<test:domainsnapshot>` elements (inline or with file=). */
  snapshots: XmlElement[];
}

/**
 * Whether the last {@link parseDomainDef} or {@link postParse} generated a MAC address: then
 * its input alone (and the UUID) no longer reproduces the definition.
 */
export let generatedMAC = false;

/** Whether the last {@link postParse} generated the UUID (a fresh random one: no duplicate). */
export let generatedUUID = false;

/**
 * Runs `parse` (which may post-parse a definition) leaving {@link generatedMAC} and
 * {@link generatedUUID} as they were: a lazily parsed definition may be parsed in the middle
 * of another call that reads them.
 */
export function parseAside<T>(parse: () => T): T {
  const mac = generatedMAC;
  const uuid = generatedUUID;
  try {
    return parse();
  } finally {
    generatedMAC = mac;
    generatedUUID = uuid;
  }
}

/** Parses domain XML as the test driver does; throws libvirt's VirtError. */
export function parseDomainDef(xml: string): DomainDef & { uuid: string } {
  let def: DomainDef;
  try {
    def = parseDomainXML(xml);
  } catch (e) {
    throw asVirtError(e, From.DOMAIN);
  }
  return postParse(def);
}

/** Applies libvirt's defaults to a parsed definition. */
export function postParse(def: DomainDef): DomainDef & { uuid: string } {
  if (!def.name) throw testError(Err.NO_NAME, undefined, From.DOMAIN);
  generatedUUID = def.uuid === undefined;
  def.uuid ??= generateUUID();
  delete def.id;
  if (def.currentMemory === undefined || def.currentMemory > def.memory) def.currentMemory = def.memory;
  def.vcpu ??= { count: 1 };
  def.vcpu.placement ??= 'static';
  def.os.arch ??= 'i686';
  if (def.os.boot.length === 0 && def.os.kernel === undefined && (def.os.type === 'hvm' || def.os.type === 'xen')) {
    if (def.os.type === 'hvm') def.os.boot.push('hd');
  }
  def.clock ??= { offset: 'utc' };
  def.onPoweroff ??= 'destroy';
  def.onReboot ??= 'restart';
  def.onCrash ??= 'destroy';
  assignInterfaceNames(def);
  return def as DomainDef & { uuid: string };
}

/** Gives every interface a MAC and a `testnetN` target, as testDomainGenerateIfnames. */
export function assignInterfaceNames(def: DomainDef): void {
  generatedMAC = false;
  if (def.devices.interfaces.length === 0) return;
  const used = new Set<string>();
  for (const nic of def.devices.interfaces) if (nic.target?.dev) used.add(nic.target.dev);
  let n = 0;
  for (const nic of def.devices.interfaces) {
    if (nic.mac === undefined) {
      nic.mac = generateMAC('52:54:00');
      generatedMAC = true;
    }
    if (nic.target?.dev) continue;
    while (used.has(`testnet${n}`)) n++;
    const dev = `testnet${n}`;
    used.add(dev);
    nic.target = { ...(nic.target ?? {}), dev };
  }
}

/** Formats a definition; `id` >= 0 is written as the live id. `flags` are VIR_DOMAIN_XML_*. */
export function formatDomainDef(def: DomainDef, id: number, flags: number): string {
  const secure = (flags & 1) !== 0;
  const inactive = (flags & 2) !== 0;
  const view: DomainDef = id >= 0 && !inactive ? { ...def, id } : def.id === undefined ? def : { ...def, id: undefined };
  return formatDomainXML(view, { secure, inactive });
}

/** A deep copy. */
export function cloneDef<T extends DomainDef>(def: T): T {
  return structuredClone(def);
}

/** The domain's name. */
export function defName(def: DomainDef): string {
  return def.name;
}

/** The domain's UUID (always set after post-parse). */
export function defUUID(def: DomainDef): string {
  return def.uuid!;
}

/** Maximum memory in KiB (virDomainDefGetMemoryTotal). */
export function defMaxMemKiB(def: DomainDef): number {
  return def.memory;
}

/** Current (balloon) memory in KiB. */
export function defCurMemKiB(def: DomainDef): number {
  return def.currentMemory ?? def.memory;
}

/** Online vCPUs. */
export function defVcpus(def: DomainDef): number {
  return def.vcpu?.current ?? def.vcpu?.count ?? 1;
}

/** Maximum vCPUs. */
export function defMaxVcpus(def: DomainDef): number {
  return def.vcpu?.count ?? 1;
}

/** Sets the online vCPUs (keeps `current` only when below the maximum). */
export function setDefVcpus(def: DomainDef, n: number): void {
  const vcpu = (def.vcpu ??= { count: 1, placement: 'static' });
  if (n === vcpu.count) delete vcpu.current;
  else vcpu.current = n;
}

/** Sets the maximum vCPUs, lowering the online count when needed. */
export function setDefMaxVcpus(def: DomainDef, n: number): void {
  const vcpu = (def.vcpu ??= { count: 1, placement: 'static' });
  const cur = vcpu.current ?? vcpu.count;
  vcpu.count = n;
  if (cur >= n) delete vcpu.current;
  else vcpu.current = cur;
}

/** The on_poweroff / on_reboot / on_crash action. */
export function defLifecycleAction(def: DomainDef, which: 'poweroff' | 'reboot' | 'crash'): string {
  const v = which === 'poweroff' ? def.onPoweroff : which === 'reboot' ? def.onReboot : def.onCrash;
  return v ?? (which === 'reboot' ? 'restart' : 'destroy');
}

/** Whether the domain has a (non-'none') memory balloon. */
export function defHasMemballoon(def: DomainDef): boolean {
  return def.devices.memballoon !== undefined && def.devices.memballoon.model !== 'none';
}

/**
 * Reads and strips the `test:` namespace elements (runstate, transient, hasmanagedsave,
 * domainsnapshot) from a node file's domain, validating them as testDomainDefNamespaceParse.
 */
export function takeTestNamespace(def: DomainDef): TestNamespaceData {
  const data: TestNamespaceData = { runstate: 1, transient: false, hasManagedSave: false, snapshots: [] };
  const extra = def.extra;
  if (!extra) return data;
  let prefix: string | undefined;
  extra.attributes = extra.attributes.filter((a) => {
    if (a.name.startsWith('xmlns:') && a.value === TEST_NS) {
      prefix = a.name.slice(6);
      return false;
    }
    return true;
  });
  if (prefix === undefined) return data;
  const p = prefix + ':';
  const rest = [];
  for (const c of extra.children) {
    const n = c.node.name;
    if (!n.startsWith(p)) {
      rest.push(c);
      continue;
    }
    const local = n.slice(p.length);
    const text = textOf(c.node).trim();
    if (local === 'runstate') {
      if (!/^\d+$/.test(text)) throw testError(Err.XML_ERROR, 'invalid runstate', From.DOMAIN);
      const v = Number(text);
      if (v >= DomState.PMSUSPENDED + 1) throw testError(Err.XML_ERROR, `runstate '${v}' out of range'`, From.DOMAIN);
      data.runstate = v;
    } else if (local === 'transient') data.transient = true;
    else if (local === 'hasmanagedsave') data.hasManagedSave = true;
    else if (local === 'domainsnapshot') data.snapshots.push(c.node);
  }
  extra.children = rest;
  if (data.transient && data.runstate === DomState.SHUTOFF) {
    throw testError(Err.XML_ERROR, "transient domain cannot have runstate 'shutoff'", From.DOMAIN);
  }
  if (data.hasManagedSave && data.runstate !== DomState.SHUTOFF) {
    throw testError(Err.XML_ERROR, "domain with managedsave data can only have runstate 'shutoff'", From.DOMAIN);
  }
  return data;
}

function textOf(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') s += c.text;
  return s;
}
