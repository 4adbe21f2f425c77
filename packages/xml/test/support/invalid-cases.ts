/**
 * Invalid (and a few valid) documents with what libvirt 9.0 answers for each, as observed by
 * feeding them to python3-libvirt on test:///default (the live test re-checks this).
 */

/** A document kind as the parity helper names it. */
export type CaseKind = 'domain' | 'network' | 'pool' | 'volume' | 'snapshot';

/** One case: libvirt's code and message, or null when libvirt accepts the document. */
export interface InvalidCase {
  name: string;
  kind: CaseKind;
  xml: string;
  expect: { code: number; message: string } | null;
}

const dom = (parts: { name?: string; uuid?: string; mem?: string; extra?: string; os?: string; dev?: string } = {}): string =>
  `<domain type='test'>${parts.name ?? '<name>x</name>'}${parts.uuid ?? ''}${parts.mem ?? '<memory>1024</memory>'}${parts.extra ?? ''}` +
  `${parts.os ?? '<os><type>hvm</type></os>'}<devices>${parts.dev ?? ''}</devices></domain>`;
const disk = (file: string, target: string, more = '') => `<disk type='file' device='disk'><source file='${file}'/><target dev='${target}'${more}/></disk>`;

const DEEP = dom({ extra: `<metadata>${"<a:a xmlns:a='http://a/'>".repeat(256)}${'</a:a>'.repeat(256)}</metadata>` });

/** The cases. */
export const CASES: InvalidCase[] = [
  { name: 'not well-formed', kind: 'domain', xml: "<domain type='test'><name>x</name>\n<memory>1</memory", expect: { code: 35, message: "(domain_definition):2: expected '>'\n<memory>1</memory\n-----------------^" } },
  { name: 'empty document', kind: 'domain', xml: '', expect: { code: 35, message: '(domain_definition):1: Document is empty\n(null)\n^' } },
  { name: 'tag mismatch', kind: 'domain', xml: "<domain type='test'><name>x</nam></domain>", expect: { code: 35, message: "(domain_definition):1: Opening and ending tag mismatch: name line 1 and nam\n<domain type='test'><name>x</nam></domain>\n---------------------------------^" } },
  { name: 'premature end', kind: 'domain', xml: "<domain type='test'><name>x</name>", expect: { code: 35, message: "(domain_definition):1: Premature end of data in tag domain line 1\n<domain type='test'><name>x</name>\n----------------------------------^" } },
  { name: 'extra content', kind: 'domain', xml: dom() + '<foo/>', expect: { code: 35, message: `(domain_definition):1: Extra content at the end of the document\n${dom()}<foo/>\n${'-'.repeat(dom().length)}^` } },
  { name: 'unquoted attribute', kind: 'domain', xml: '<domain type=test><name>x</name></domain>', expect: { code: 35, message: "(domain_definition):1: AttValue: \" or ' expected\n<domain type=test><name>x</name></domain>\n-------------^" } },
  { name: 'bare ampersand', kind: 'domain', xml: "<domain type='test'><name>a & b</name></domain>", expect: { code: 35, message: "(domain_definition):1: xmlParseEntityRef: no name\n<domain type='test'><name>a & b</name></domain>\n-----------------------------^" } },
  { name: 'bare <', kind: 'domain', xml: "<domain type='test'><name>a < b</name></domain>", expect: { code: 35, message: "(domain_definition):1: StartTag: invalid element name\n<domain type='test'><name>a < b</name></domain>\n-----------------------------^" } },
  { name: 'truncated start tag', kind: 'domain', xml: "<domain type='test'><name>x</name><memo", expect: { code: 35, message: "(domain_definition):1: Couldn't find end of Start Tag memo line 1\n<domain type='test'><name>x</name><memo\n---------------------------------------^" } },
  { name: 'duplicate attribute', kind: 'domain', xml: "<domain type='test' type='kvm'><name>x</name></domain>", expect: { code: 35, message: "(domain_definition):1: Attribute type redefined\n<domain type='test' type='kvm'><name>x</name></domain>\n------------------------------^" } },
  { name: 'undefined entity', kind: 'domain', xml: dom({ name: '<name>&foo;</name>' }), expect: { code: 35, message: `(domain_definition):1: Entity 'foo' not defined\n${dom({ name: '<name>&foo;</name>' })}\n-------------------------------^` } },
  { name: 'no name', kind: 'domain', xml: dom({ name: '' }), expect: { code: 21, message: 'missing name information' } },
  { name: 'empty name', kind: 'domain', xml: dom({ name: '<name></name>' }), expect: { code: 21, message: 'missing name information' } },
  { name: "'/' in name", kind: 'domain', xml: dom({ name: '<name>a/b</name>' }), expect: { code: 27, message: "XML error: name a/b cannot contain '/'" } },
  { name: 'unknown unit', kind: 'domain', xml: dom({ mem: "<memory unit='XB'>1</memory>" }), expect: { code: 8, message: "invalid argument: unknown suffix 'XB'" } },
  { name: 'memory overflow', kind: 'domain', xml: dom({ mem: "<memory unit='TiB'>99999999999</memory>" }), expect: { code: 82, message: 'numerical overflow: value too large: 99999999999TiB' } },
  { name: 'memory beyond 64 bits', kind: 'domain', xml: dom({ mem: '<memory>99999999999999999999999</memory>' }), expect: { code: 27, message: "XML error: Invalid value '99999999999999999999999' for element or attribute './memory[1]'" } },
  { name: 'negative memory', kind: 'domain', xml: dom({ mem: '<memory>-1</memory>' }), expect: { code: 27, message: "XML error: Invalid value '-1' for element or attribute './memory[1]'" } },
  { name: 'memory not a number', kind: 'domain', xml: dom({ mem: '<memory>abc</memory>' }), expect: { code: 27, message: "XML error: Invalid value 'abc' for element or attribute './memory[1]'" } },
  { name: 'no memory', kind: 'domain', xml: dom({ mem: '' }), expect: { code: 27, message: 'XML error: Memory size must be specified via <memory> or in the <numa> configuration' } },
  { name: 'zero memory', kind: 'domain', xml: dom({ mem: '<memory>0</memory>' }), expect: { code: 27, message: 'XML error: Memory size must be specified via <memory> or in the <numa> configuration' } },
  { name: 'bad MAC', kind: 'domain', xml: dom({ dev: "<interface type='user'><mac address='zz:54:00:00:00:01'/></interface>" }), expect: { code: 27, message: "XML error: unable to parse mac address 'zz:54:00:00:00:01'" } },
  { name: 'multicast MAC', kind: 'domain', xml: dom({ dev: "<interface type='user'><mac address='01:54:00:00:00:01'/></interface>" }), expect: { code: 27, message: "XML error: expected unicast mac address, found multicast '01:54:00:00:00:01'" } },
  { name: 'duplicate disk target', kind: 'domain', xml: dom({ dev: disk('/a', 'vda') + disk('/b', 'vda') }), expect: { code: 27, message: "XML error: target 'vda' duplicated for disk sources '/a' and '/b'" } },
  { name: 'disk without target', kind: 'domain', xml: dom({ dev: "<disk type='file' device='disk'><source file='/a'/></disk>" }), expect: { code: 20, message: 'missing target information for device /a' } },
  { name: 'bad disk type', kind: 'domain', xml: dom({ dev: disk('/a', 'vda').replace("type='file'", "type='foo'") }), expect: { code: 27, message: "XML error: Invalid value for attribute 'type' in element 'disk': 'foo'." } },
  { name: 'bad disk device', kind: 'domain', xml: dom({ dev: disk('/a', 'vda').replace("device='disk'", "device='foo'") }), expect: { code: 27, message: "XML error: Invalid value for attribute 'device' in element 'disk': 'foo'." } },
  { name: 'bad disk bus', kind: 'domain', xml: dom({ dev: disk('/a', 'vda', " bus='foo'") }), expect: { code: 27, message: "XML error: Invalid value for attribute 'bus' in element 'target': 'foo'." } },
  { name: 'no os type', kind: 'domain', xml: dom({ os: '<os></os>' }), expect: { code: 27, message: 'XML error: an os <type> must be specified' } },
  { name: 'no os', kind: 'domain', xml: dom({ os: '' }), expect: { code: 27, message: 'XML error: an os <type> must be specified' } },
  { name: 'unknown os type', kind: 'domain', xml: dom({ os: '<os><type>foo</type></os>' }), expect: { code: 67, message: "unsupported configuration: unknown OS type 'foo'" } },
  { name: 'wrong root', kind: 'domain', xml: '<network><name>x</name></network>', expect: { code: 27, message: "XML error: expecting root element of 'domain', not 'network'" } },
  { name: 'bad uuid', kind: 'domain', xml: dom({ uuid: '<uuid>not-a-uuid</uuid>' }), expect: { code: 1, message: 'internal error: malformed uuid element' } },
  { name: 'unknown domain type', kind: 'domain', xml: dom().replace("type='test'", "type='foo'"), expect: { code: 67, message: 'unsupported configuration: invalid domain type foo' } },
  { name: 'no domain type', kind: 'domain', xml: dom().replace(" type='test'", ''), expect: { code: 1, message: 'internal error: missing domain type attribute' } },
  { name: 'vcpu not a number', kind: 'domain', xml: dom({ extra: '<vcpu>abc</vcpu>' }), expect: { code: 27, message: 'XML error: maximum vcpus count must be an integer' } },
  { name: 'bad vcpu placement', kind: 'domain', xml: dom({ extra: "<vcpu placement='foo'>1</vcpu>" }), expect: { code: 27, message: "XML error: Invalid value for attribute 'placement' in element 'vcpu': 'foo'." } },
  { name: 'current vcpus above max', kind: 'domain', xml: dom({ extra: "<vcpu current='4'>2</vcpu>" }), expect: { code: 67, message: 'unsupported configuration: maximum vCPU count must not be less than current vCPU count' } },
  { name: 'bad on_poweroff', kind: 'domain', xml: dom({ extra: '<on_poweroff>foo</on_poweroff>' }), expect: { code: 67, message: 'unsupported configuration: unknown on_poweroff action: foo' } },
  { name: 'bad interface type', kind: 'domain', xml: dom({ dev: "<interface type='foo'/>" }), expect: { code: 27, message: "XML error: Invalid value for attribute 'type' in element 'interface': 'foo'." } },
  { name: 'bad graphics type', kind: 'domain', xml: dom({ dev: "<graphics type='foo'/>" }), expect: { code: 27, message: "XML error: Invalid value for attribute 'type' in element 'graphics': 'foo'." } },
  { name: 'bad controller type', kind: 'domain', xml: dom({ dev: "<controller type='foo'/>" }), expect: { code: 27, message: "XML error: Invalid value for attribute 'type' in element 'controller': 'foo'." } },
  { name: 'bad boot device', kind: 'domain', xml: dom({ os: "<os><type>hvm</type><boot dev='foo'/></os>" }), expect: { code: 27, message: "XML error: Invalid value for attribute 'dev' in element 'boot': 'foo'." } },
  { name: 'bad clock offset', kind: 'domain', xml: dom({ extra: "<clock offset='foo'/>" }), expect: { code: 67, message: "unsupported configuration: unknown clock offset 'foo'" } },
  { name: 'internal entity expanded', kind: 'domain', xml: "<!DOCTYPE d [<!ENTITY n 'ent'>]>" + dom({ name: '<name>&n;</name>' }), expect: null },
  { name: 'external entity never loaded', kind: 'domain', xml: "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/hostname'>]>" + dom({ name: '<name>&e;</name>' }), expect: { code: 21, message: 'missing name information' } },
  { name: 'balloon above maximum is clamped', kind: 'domain', xml: dom({ extra: '<currentMemory>4096</currentMemory>' }), expect: null },
  { name: 'nesting 257 deep', kind: 'domain', xml: dom({ extra: `<metadata>${"<a:a xmlns:a='http://a/'>".repeat(255)}${'</a:a>'.repeat(255)}</metadata>` }), expect: null },
  { name: 'nesting 258 deep', kind: 'domain', xml: DEEP, expect: { code: 35, message: `(domain_definition):1: Excessive depth in document: 256 use XML_PARSE_HUGE option\n${DEEP}\n${'-'.repeat(DEEP.indexOf('<metadata>') + 10 + 255 * 25)}^` } },
  { name: 'network without name', kind: 'network', xml: '<network></network>', expect: { code: 21, message: 'missing name information' } },
  { name: 'network wrong root', kind: 'network', xml: '<domain></domain>', expect: { code: 27, message: "XML error: expecting root element of 'network', not 'domain'" } },
  { name: 'network not well-formed', kind: 'network', xml: '<network><name>x</name>', expect: { code: 35, message: '(network_definition):1: Premature end of data in tag network line 1\n<network><name>x</name>\n-----------------------^' } },
  { name: 'pool not well-formed', kind: 'pool', xml: "<pool type='dir'><name>x</name>", expect: { code: 35, message: "(storage_pool_definition):1: Premature end of data in tag pool line 1\n<pool type='dir'><name>x</name>\n-------------------------------^" } },
  { name: 'pool without name', kind: 'pool', xml: "<pool type='dir'></pool>", expect: { code: 27, message: 'XML error: missing pool source name element' } },
  { name: 'pool bad type', kind: 'pool', xml: "<pool type='foo'><name>x</name></pool>", expect: { code: 27, message: "XML error: Invalid value for attribute 'type' in element 'pool': 'foo'." } },
  { name: 'pool without type', kind: 'pool', xml: '<pool><name>x</name></pool>', expect: { code: 27, message: "XML error: Missing required attribute 'type' in element 'pool'" } },
  { name: 'pool without target', kind: 'pool', xml: "<pool type='dir'><name>x</name></pool>", expect: { code: 27, message: 'XML error: missing storage pool target path' } },
  { name: 'pool bad uuid', kind: 'pool', xml: "<pool type='dir'><name>x</name><uuid>zz</uuid><target><path>/tmp</path></target></pool>", expect: { code: 27, message: 'XML error: malformed uuid element' } },
  { name: 'volume not well-formed', kind: 'volume', xml: '<volume><name>x</name>', expect: { code: 35, message: '(storage_volume_definition):1: Premature end of data in tag volume line 1\n<volume><name>x</name>\n----------------------^' } },
  { name: 'volume without name', kind: 'volume', xml: '<volume><capacity>1</capacity></volume>', expect: { code: 27, message: 'XML error: missing volume name element' } },
  { name: 'volume without capacity', kind: 'volume', xml: '<volume><name>x</name></volume>', expect: { code: 27, message: 'XML error: missing capacity element' } },
  { name: 'volume unknown unit', kind: 'volume', xml: "<volume><name>x</name><capacity unit='XB'>1</capacity></volume>", expect: { code: 8, message: "invalid argument: unknown suffix 'XB'" } },
  { name: 'volume negative capacity', kind: 'volume', xml: '<volume><name>x</name><capacity>-1</capacity></volume>', expect: { code: 27, message: 'XML error: malformed capacity element' } },
  { name: 'volume capacity overflow', kind: 'volume', xml: "<volume><name>x</name><capacity unit='EiB'>100</capacity></volume>", expect: { code: 82, message: 'numerical overflow: value too large: 100EiB' } },
  { name: 'volume wrong root', kind: 'volume', xml: '<pool><name>x</name></pool>', expect: { code: 27, message: "XML error: expecting root element of 'volume', not 'pool'" } },
  { name: 'snapshot not well-formed', kind: 'snapshot', xml: '<domainsnapshot><name>x', expect: { code: 35, message: '(domain_snapshot):1: Premature end of data in tag name line 1\n<domainsnapshot><name>x\n-----------------------^' } },
  { name: 'snapshot wrong root', kind: 'snapshot', xml: '<domain/>', expect: { code: 27, message: "XML error: expecting root element of 'domainsnapshot', not 'domain'" } },
];
