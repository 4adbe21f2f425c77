/**
 * formatDomainXML: DomainDef -> document, in libvirt's element order.
 */
import { buildElement, type HasExtra } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement, markLibxmlDump } from '../tree/xml-format.js';
import { withInactiveFormat } from './device-common.js';
import { formatDevices } from './devices.js';
import type { DomainDef } from './domain-types.js';

/** Options of {@link formatDomainXML}. */
export interface FormatDomainOptions {
  /** VIR_DOMAIN_XML_INACTIVE: leave out the live id. */
  inactive?: boolean;
  /** VIR_DOMAIN_XML_SECURE: include secrets such as graphics passwords. */
  secure?: boolean;
  /**
   * Write devices in the order the parsed document had them (new devices after the device
   * before them in libvirt's order) instead of libvirt's family order.
   */
  documentOrder?: boolean;
}

function text(name: string, v: string | undefined, owner: HasExtra): XmlElement | undefined {
  return v === undefined ? undefined : buildElement(name, [], [], owner.textExtras?.[name], v);
}

/** Builds the `<domain>` element of `def`. */
export function formatDomainElement(def: DomainDef, opts: FormatDomainOptions = {}): XmlElement {
  const os = def.os;
  if (def.metadata) for (const c of def.metadata.children) if (c.type === 'element') markLibxmlDump(c);
  const cpu = def.cpu;
  const v = def.vcpu;
  return buildElement(
    'domain',
    [['type', def.type], ['id', opts.inactive || def.id === undefined || def.id < 0 ? undefined : def.id]],
    [
      text('name', def.name, def),
      text('uuid', def.uuid, def),
      text('genid', def.genid, def),
      text('title', def.title, def),
      text('description', def.description, def),
      def.metadata,
      def.maxMemory &&
        buildElement('maxMemory', [['slots', def.maxMemory.slots], ['unit', 'KiB']], [], def.maxMemory.extra, String(def.maxMemory.kib)),
      buildElement('memory', [['unit', 'KiB']], [], def.memoryExtra, String(def.memory)),
      def.currentMemory !== undefined && buildElement('currentMemory', [['unit', 'KiB']], [], def.textExtras?.currentMemory, String(def.currentMemory)),
      v &&
        buildElement('vcpu', [['placement', v.placement], ['cpuset', v.cpuset], ['current', v.current]], [], v.extra, String(v.count)),
      buildElement(
        'os',
        [],
        [
          buildElement('type', [['arch', os.arch], ['machine', os.machine]], [], os.typeExtra, os.type),
          text('init', os.init, os),
          ...os.initargs.map((a) => buildElement('initarg', [], [], undefined, a)),
          os.loader && buildElement('loader', [['readonly', os.loader.readonly], ['type', os.loader.type]], [], os.loader.extra, os.loader.path),
          text('kernel', os.kernel, os),
          text('initrd', os.initrd, os),
          text('cmdline', os.cmdline, os),
          text('dtb', os.dtb, os),
          ...os.boot.map((b, i) => buildElement('boot', [['dev', b]], [], os.bootExtras?.[i])),
        ],
        os.extra,
      ),
      def.features && buildElement('features', [], def.features.items, def.features.extra),
      cpu &&
        buildElement(
          'cpu',
          [['mode', cpu.mode], ['match', cpu.match], ['check', cpu.check]],
          [
            (cpu.model !== undefined || cpu.modelExtra) && buildElement('model', [], [], cpu.modelExtra, cpu.model),
            cpu.topology &&
              buildElement(
                'topology',
                [['sockets', cpu.topology.sockets], ['dies', cpu.topology.dies], ['cores', cpu.topology.cores], ['threads', cpu.topology.threads]],
                [],
                cpu.topology.extra,
              ),
          ],
          cpu.extra,
        ),
      def.clock && buildElement('clock', [['offset', def.clock.offset]], [], def.clock.extra),
      text('on_poweroff', def.onPoweroff, def),
      text('on_reboot', def.onReboot, def),
      text('on_crash', def.onCrash, def),
      withInactiveFormat(!!opts.inactive, () => formatDevices(def.devices, opts.secure, opts.documentOrder)),
    ],
    def.extra,
  );
}

/** Formats `def` as libvirt does (two-space indent, single quotes, libvirt's order). */
export function formatDomainXML(def: DomainDef, opts: FormatDomainOptions = {}): string {
  return formatXmlElement(formatDomainElement(def, opts));
}
