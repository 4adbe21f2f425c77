/**
 * Guest device address checks, as libvirt's virDomainDeviceAddressParseXML and
 * virPCIDeviceAddressIsValid do them (codes and messages of libvirt 9.0).
 */
import { virtError } from '@virtkit/core';
import type { XmlElement } from '../tree/xml-node.js';
import { checkEnum, propUInt, unsupported, VIR_ERR_INTERNAL_ERROR, VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, VIR_FROM_XML } from '../util/codes.js';

const ADDRESS_TYPES = ['drive', 'virtio-serial', 'ccid', 'usb', 'pci', 'spapr-vio', 'virtio-s390', 'ccw', 'virtio-mmio', 'isa', 'dimm', 'unassigned'];
const DECIMAL_FIELDS: Record<string, readonly string[]> = {
  drive: ['controller', 'bus', 'target', 'unit'],
  'virtio-serial': ['controller', 'bus', 'port'],
  ccid: ['controller', 'slot'],
  usb: ['bus'],
};
/** VIR_FROM_DEVICE: ccw errors come from the device code. */
const VIR_FROM_DEVICE = 49;

/** strtoul(…, 0)-style unsigned parse (hex 0x.., octal 0.., decimal), as virXMLPropUInt with base 0. */
function parseBase0(value: string, attr: string): number {
  const v = value.trim();
  let n = NaN;
  if (/^0[xX][0-9a-fA-F]+$/.test(v)) n = parseInt(v.slice(2), 16);
  else if (/^0[0-7]*$/.test(v)) n = parseInt(v, 8);
  else if (/^[1-9][0-9]*$/.test(v)) n = Number(v);
  if (!(n <= 4294967295)) {
    throw virtError(VIR_ERR_XML_ERROR, `Invalid value for attribute '${attr}' in element 'address': '${value}'. Expected non-negative integer value`, VIR_FROM_XML);
  }
  return n;
}

const hex = (n: number, width = 0) => '0x' + n.toString(16).padStart(width, '0');

/** Validates an `<address>` element; throws VirtError like libvirt. */
export function validateAddress(el: XmlElement): void {
  const get = (n: string) => el.attributes.find((a) => a.name === n)?.value;
  const type = get('type');
  if (type === undefined) throw virtError(VIR_ERR_INTERNAL_ERROR, 'No type specified for device address', VIR_FROM_DOMAIN);
  if (!ADDRESS_TYPES.includes(type)) throw unsupported(`unknown address type '${type}'`);
  if (type === 'pci') {
    const f: Record<string, number> = {};
    for (const k of ['domain', 'bus', 'slot', 'function']) {
      const v = get(k);
      f[k] = v === undefined ? 0 : parseBase0(v, k);
    }
    checkEnum(get('multifunction'), ['on', 'off'], 'multifunction', 'address');
    const empty = !f.domain && !f.bus && !f.slot && !f.function;
    if (!empty) {
      if (f.bus! > 0xff) throw virtError(VIR_ERR_XML_ERROR, `Invalid PCI address bus='${hex(f.bus!)}', must be <= 0xFF`, 0);
      if (f.slot! > 0x1f) throw virtError(VIR_ERR_XML_ERROR, `Invalid PCI address slot='${hex(f.slot!, 2)}', must be <= 0x1F`, 0);
      if (f.function! > 7) throw virtError(VIR_ERR_XML_ERROR, `Invalid PCI address function=${hex(f.function!)}, must be <= 7`, 0);
    }
  } else if (type === 'ccw') {
    const given = ['cssid', 'ssid', 'devno'].filter((k) => get(k) !== undefined);
    for (const k of given) parseBase0(get(k)!, k);
    if (given.length !== 0 && given.length !== 3) {
      throw virtError(VIR_ERR_INTERNAL_ERROR, 'Invalid partial specification for virtio ccw address', VIR_FROM_DEVICE);
    }
  } else {
    for (const k of DECIMAL_FIELDS[type] ?? []) propUInt(get(k), k, 'address');
  }
}
