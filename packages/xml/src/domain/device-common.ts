/**
 * Parse/format helpers shared by all devices: alias, address, boot order, attribute-only
 * elements.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { missingAttr, propUInt } from '../util/codes.js';
import { validateAddress } from './address-validate.js';
import type { AttrElement, BootOrder, DeviceAddress, DeviceCommon } from './device-types.js';

/** Reads all attributes of `el` into a record, except those listed. */
export function attrRecord(el: XmlElement, except: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of el.attributes) if (!except.includes(a.name)) out[a.name] = a.value;
  return out;
}

/** Record entries as attribute pairs. */
export function recordAttrs(rec: Record<string, string> | undefined): [string, string][] {
  return rec ? Object.entries(rec) : [];
}

/** Parses an element reduced to its attributes. */
export function parseAttrElement(el: XmlElement): AttrElement {
  const r = new ElementReader(el);
  for (const a of el.attributes) r.attr(a.name);
  const out: AttrElement = { attrs: attrRecord(el) };
  const extra = r.extra();
  if (extra) out.extra = extra;
  return out;
}

/** Formats an attribute-only element. */
export function formatAttrElement(name: string, a: AttrElement | undefined): XmlElement | undefined {
  return a ? buildElement(name, recordAttrs(a.attrs), [], a.extra) : undefined;
}

/** Reads alias and address from a device reader into `dev`. */
export function readDeviceCommon(r: ElementReader, dev: DeviceCommon): void {
  const alias = r.peek('alias');
  // an alias with more than a name stays verbatim in extra
  if (alias && alias.children.length === 0 && alias.attributes.length === 1 && alias.attributes[0]!.name === 'name') {
    r.use(alias);
    dev.alias = alias.attributes[0]!.value;
  }
  const addr = r.child('address');
  if (addr) {
    validateAddress(addr);
    const ar = new ElementReader(addr);
    const type = ar.attr('type');
    const a: DeviceAddress = { attrs: attrRecord(addr, ['type']) };
    for (const at of addr.attributes) ar.attr(at.name);
    if (type !== undefined) a.type = type;
    const extra = ar.extra();
    if (extra) a.extra = extra;
    dev.address = a;
  }
}

/** Reads `<boot order='N'/>`. */
export function readBoot(r: ElementReader, element = 'boot'): BootOrder | undefined {
  const b = r.child('boot');
  if (!b) return undefined;
  const br = new ElementReader(b);
  const raw = br.attr('order');
  if (raw === undefined) throw missingAttr('order', element);
  const order = propUInt(raw, 'order', element, true)!;
  const out: BootOrder = { order };
  const extra = br.extra();
  if (extra) out.extra = extra;
  return out;
}

/** `<boot order='N'/>`. */
export function formatBoot(b: BootOrder | undefined): XmlElement | undefined {
  return b ? buildElement('boot', [['order', b.order]], [], b.extra) : undefined;
}

let inactiveFormat = false;

/**
 * Runs `fn` (a synchronous format) with VIR_DOMAIN_XML_INACTIVE semantics: device aliases
 * that libvirt assigned (not user `ua-` ones) are left out.
 */
export function withInactiveFormat<T>(inactive: boolean, fn: () => T): T {
  const prev = inactiveFormat;
  inactiveFormat = inactive;
  try {
    return fn();
  } finally {
    inactiveFormat = prev;
  }
}

/** Whether the current format is VIR_DOMAIN_XML_INACTIVE (see {@link withInactiveFormat}). */
export function isInactiveFormat(): boolean {
  return inactiveFormat;
}

/** `<alias name='...'/>`. */
export function formatAlias(dev: DeviceCommon): XmlElement | undefined {
  if (dev.alias === undefined || (inactiveFormat && !dev.alias.startsWith('ua-'))) return undefined;
  return buildElement('alias', [['name', dev.alias]], []);
}

/** `<address type='...' .../>`. */
export function formatAddress(dev: DeviceCommon): XmlElement | undefined {
  const a = dev.address;
  if (!a) return undefined;
  return buildElement('address', [['type', a.type], ...recordAttrs(a.attrs)], [], a.extra);
}

/** Copies the reader's leftovers into `obj.extra`. */
export function keepExtra(r: ElementReader, obj: { extra?: unknown }): void {
  const e = r.extra();
  if (e) obj.extra = e;
}

/** 'yes'/'no' to boolean (undefined otherwise). */
export function yesNo(v: string | undefined): boolean | undefined {
  return v === 'yes' ? true : v === 'no' ? false : undefined;
}

/** boolean to 'yes'/'no'. */
export function toYesNo(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : v ? 'yes' : 'no';
}
