/**
 * Domain capabilities (`<domainCapabilities>`): the identifying fields typed, the rest kept.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { textElement } from '../model/common-fields.js';
import { formatXmlElement } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { VIR_FROM_CAPABILITIES } from '../util/codes.js';
import { keepExtra } from '../domain/device-common.js';
import { expectRoot } from '../domain/domain-parse.js';

/** The domain capabilities document. */
export interface DomainCapabilitiesDef extends HasExtra {
  path?: string;
  /** Virtualisation type (kvm, qemu). */
  domain?: string;
  machine?: string;
  arch?: string;
  /** `<vcpu max='255'/>`. */
  vcpuMax?: number;
}

/** Parses a `<domainCapabilities>` document. */
export function parseDomainCapabilitiesXML(xml: string): DomainCapabilitiesDef {
  const root = parseXmlDocument(xml, { url: 'domain_capabilities', errorDomain: VIR_FROM_CAPABILITIES });
  expectRoot(root, 'domainCapabilities');
  const r = new ElementReader(root);
  const def: DomainCapabilitiesDef = {};
  for (const k of ['path', 'domain', 'machine', 'arch'] as const) {
    const v = r.simpleText(k);
    if (v !== undefined) def[k] = v;
  }
  const vcpu = r.peek('vcpu');
  const max = vcpu?.attributes.length === 1 && vcpu.attributes[0]!.name === 'max' && !vcpu.children.length ? Number(vcpu.attributes[0]!.value) : NaN;
  if (vcpu && Number.isInteger(max)) {
    r.use(vcpu);
    def.vcpuMax = max;
  }
  keepExtra(r, def);
  return def;
}

/** Formats a domain capabilities document. */
export function formatDomainCapabilitiesXML(def: DomainCapabilitiesDef): string {
  return formatXmlElement(
    buildElement(
      'domainCapabilities',
      [],
      [
        textElement('path', def.path),
        textElement('domain', def.domain),
        textElement('machine', def.machine),
        textElement('arch', def.arch),
        def.vcpuMax !== undefined && buildElement('vcpu', [['max', def.vcpuMax]], []),
      ],
      def.extra,
    ),
  );
}
