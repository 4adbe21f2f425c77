/**
 * `<interface>` and `<controller>`: parse, validate and format.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { checkEnum, checkSupported, missingAttr, propNonNegativeInt, xmlError } from '../util/codes.js';
import { isMulticastMAC, normalizeMAC } from '../util/mac.js';
import { formatAddress, formatAlias, formatBoot, keepExtra, readBoot, readDeviceCommon } from './device-common.js';
import type { ControllerDef, InterfaceDef } from './device-types.js';

const NET_TYPES = ['user', 'ethernet', 'vhostuser', 'server', 'client', 'mcast', 'network', 'bridge', 'internal', 'direct', 'hostdev', 'udp', 'vdpa', 'null', 'vds'];
const NET_SOURCE_ATTRS = ['network', 'portgroup', 'bridge', 'dev', 'mode'] as const;

/** Parses one `<interface>`; a bad or multicast MAC is VIR_ERR_XML_ERROR as in libvirt. */
export function parseInterface(el: XmlElement): InterfaceDef {
  const r = new ElementReader(el);
  // libvirt's default interface type is 'user'
  const type = r.attr('type') ?? 'user';
  checkEnum(type, NET_TYPES, 'type', 'interface');
  const net: InterfaceDef = { type };
  const macEl = r.child('mac');
  if (macEl) {
    const mr = new ElementReader(macEl);
    const raw = mr.attr('address');
    if (raw !== undefined) {
      const mac = normalizeMAC(raw);
      if (!mac) throw xmlError(`unable to parse mac address '${raw}'`);
      if (isMulticastMAC(mac)) throw xmlError(`expected unicast mac address, found multicast '${raw}'`);
      net.mac = mac;
    }
    const e = mr.extra();
    if (e) net.macExtra = e;
  }
  const srcEl = r.child('source');
  if (srcEl) {
    const sr = new ElementReader(srcEl);
    const src: NonNullable<InterfaceDef['source']> = {};
    for (const a of NET_SOURCE_ATTRS) {
      const v = sr.attr(a);
      if (v !== undefined) src[a] = v;
    }
    keepExtra(sr, src);
    net.source = src;
  }
  const need = ({ network: 'network', bridge: 'bridge', direct: 'dev' } as Record<string, 'network' | 'bridge' | 'dev'>)[type];
  if (need && !net.source) throw xmlError(`interface type='${type}' requires a 'source' element`);
  if (need && net.source![need] === undefined) throw missingAttr(need, 'source');
  const tgtEl = r.child('target');
  if (tgtEl) {
    const tr = new ElementReader(tgtEl);
    const dev = tr.attr('dev');
    net.target = dev !== undefined ? { dev } : {};
    keepExtra(tr, net.target);
  }
  const modelEl = r.peek('model');
  if (modelEl) {
    r.use(modelEl);
    const mr = new ElementReader(modelEl);
    const t = mr.attr('type');
    if (t !== undefined) net.model = t;
    const e = mr.extra();
    if (e) net.modelExtra = e;
  }
  const boot = readBoot(r);
  if (boot) net.boot = boot;
  readDeviceCommon(r, net);
  keepExtra(r, net);
  return net;
}

/** Formats one interface. */
export function formatInterface(n: InterfaceDef): XmlElement {
  const s = n.source;
  return buildElement(
    'interface',
    [['type', n.type]],
    [
      (n.mac !== undefined || n.macExtra) && buildElement('mac', [['address', n.mac]], [], n.macExtra),
      s &&
        buildElement(
          'source',
          [['network', s.network], ['portgroup', s.portgroup], ['bridge', s.bridge], ['dev', s.dev], ['mode', s.mode]],
          [],
          s.extra,
        ),
      n.target && buildElement('target', [['dev', n.target.dev]], [], n.target.extra),
      (n.model !== undefined || n.modelExtra) && buildElement('model', [['type', n.model]], [], n.modelExtra),
      formatBoot(n.boot),
      formatAlias(n),
      formatAddress(n),
    ],
    n.extra,
  );
}

const CONTROLLER_TYPES = ['ide', 'fdc', 'scsi', 'sata', 'virtio-serial', 'ccid', 'usb', 'pci', 'xenbus', 'isa'];

const CONTROLLER_MODELS: Record<string, readonly string[]> = {
  pci: ['pci-root', 'pcie-root', 'pci-bridge', 'dmi-to-pci-bridge', 'pcie-root-port', 'pcie-switch-upstream-port', 'pcie-switch-downstream-port',
    'pci-expander-bus', 'pcie-expander-bus', 'pcie-to-pci-bridge'],
  scsi: ['auto', 'buslogic', 'lsilogic', 'lsisas1068', 'vmpvscsi', 'ibmvscsi', 'virtio-scsi', 'lsisas1078', 'virtio-transitional',
    'virtio-non-transitional', 'ncr53c90', 'am53c974', 'dc390'],
  usb: ['piix3-uhci', 'piix4-uhci', 'ehci', 'ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3', 'vt82c686b-uhci', 'pci-ohci', 'nec-xhci',
    'qusb1', 'qusb2', 'qemu-xhci', 'none'],
  ide: ['piix3', 'piix4', 'ich6'],
  'virtio-serial': ['virtio', 'virtio-transitional', 'virtio-non-transitional'],
};

/** Parses one `<controller>`. */
export function parseController(el: XmlElement): ControllerDef {
  const r = new ElementReader(el);
  const type = r.attr('type') ?? 'ide';
  checkEnum(type, CONTROLLER_TYPES, 'type', 'controller');
  const c: ControllerDef = { type };
  const idx = propNonNegativeInt(r.attr('index'), 'index', 'controller');
  if (idx !== undefined) c.index = idx;
  const model = r.attr('model');
  checkSupported(model, CONTROLLER_MODELS[type] ?? [], (v) => `Unknown model type '${v}'`);
  if (model !== undefined) c.model = model;
  readDeviceCommon(r, c);
  keepExtra(r, c);
  return c;
}

/** Formats one controller. */
export function formatController(c: ControllerDef): XmlElement {
  return buildElement('controller', [['type', c.type], ['index', c.index], ['model', c.model]], [formatAlias(c), formatAddress(c)], c.extra);
}
