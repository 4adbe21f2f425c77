/**
 * Host capabilities (`<capabilities>`): host CPU/UUID and guests typed, the rest kept.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { textElement } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement, markSpaced } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { VIR_FROM_CAPABILITIES } from '../util/codes.js';
import { keepExtra } from '../domain/device-common.js';
import { expectRoot } from '../domain/domain-parse.js';

/** `<guest>`: an OS type on an architecture with its emulator, machines and domain types. */
export interface CapsGuest extends HasExtra {
  osType: string;
  arch: {
    name: string;
    wordsize?: number;
    emulator?: string;
    /** `<machine>` names (attributes such as canonical/maxCpus kept in machineElements). */
    machines: XmlElement[];
    /** `<domain type='kvm'/>` types. */
    domains: XmlElement[];
  } & HasExtra;
}

/** The capabilities document. */
export interface CapabilitiesDef extends HasExtra {
  host: { uuid?: string; arch?: string; cpu?: XmlElement } & HasExtra;
  guests: CapsGuest[];
}

/** Parses a `<capabilities>` document. */
export function parseCapabilitiesXML(xml: string): CapabilitiesDef {
  const root = parseXmlDocument(xml, { url: 'capabilities', errorDomain: VIR_FROM_CAPABILITIES });
  expectRoot(root, 'capabilities');
  const r = new ElementReader(root);
  const def: CapabilitiesDef = { host: {}, guests: [] };
  const host = r.child('host');
  if (host) {
    const hr = new ElementReader(host);
    const uuid = hr.simpleText('uuid');
    if (uuid !== undefined) def.host.uuid = uuid;
    const cpu = hr.child('cpu');
    if (cpu) {
      def.host.cpu = cpu;
      const arch = cpu.children.find((c): c is XmlElement => c.type === 'element' && c.name === 'arch');
      const t = arch?.children[0];
      if (t && t.type === 'text') def.host.arch = t.text;
    }
    keepExtra(hr, def.host);
  }
  for (const g of r.children('guest')) {
    const gr = new ElementReader(g);
    const osType = gr.simpleText('os_type') ?? '';
    const archEl = gr.child('arch');
    const ar = archEl ? new ElementReader(archEl) : undefined;
    const arch: CapsGuest['arch'] = { name: ar?.attr('name') ?? '', machines: ar?.children('machine') ?? [], domains: ar?.children('domain') ?? [] };
    const ws = ar?.simpleText('wordsize');
    if (ws !== undefined) arch.wordsize = Number(ws);
    const emu = ar?.simpleText('emulator');
    if (emu !== undefined) arch.emulator = emu;
    if (ar) keepExtra(ar, arch);
    const guest: CapsGuest = { osType, arch };
    keepExtra(gr, guest);
    def.guests.push(guest);
  }
  keepExtra(r, def);
  return def;
}

/** Formats a capabilities document. */
export function formatCapabilitiesXML(def: CapabilitiesDef): string {
  const h = def.host;
  return formatXmlElement(
    markSpaced(buildElement(
      'capabilities',
      [],
      [
        buildElement('host', [], [textElement('uuid', h.uuid), h.cpu], h.extra),
        ...def.guests.map((g) =>
          buildElement(
            'guest',
            [],
            [
              textElement('os_type', g.osType),
              buildElement(
                'arch',
                [['name', g.arch.name]],
                [
                  g.arch.wordsize !== undefined && textElement('wordsize', String(g.arch.wordsize)),
                  textElement('emulator', g.arch.emulator),
                  ...g.arch.machines,
                  ...g.arch.domains,
                ],
                g.arch.extra,
              ),
            ],
            g.extra,
          ),
        ),
      ],
      def.extra,
    )),
  );
}
