/**
 * XML benchmark (issue 2, acceptance 5): parse and format a typical domain document (a qcow2
 * disk, a network interface, a console, VNC graphics) with @virtkit/xml, and in the same run
 * libvirt 9.0 doing the same through python3-libvirt on test:///default: defineXML+undefine
 * for parsing, XMLDesc for formatting. Goals: parse < 0.5x libvirt's define, format < 1.5x
 * libvirt's XMLDesc. Also prints the generic parser beside fast-xml-parser (preserveOrder),
 * the measurement behind the parser choice in packages/xml/README.md.
 *
 * Run: npm run bench -- xml        (VIRTKIT_BENCH_ITERS=N iterations per round; default 20000)
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { formatDomainXML, formatXmlElement, parseDomainXML, parseXmlDocument } from '@virtkit/xml';

const ITERS = Number(process.env.VIRTKIT_BENCH_ITERS ?? 20000);
const ROUNDS = 5;
const PY = '/usr/bin/python3';

/** The typical domain: what virt-install would write for a small KVM guest. */
export const TYPICAL_DOMAIN = `<domain type='test'>
  <name>bench-vm</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features>
    <acpi/>
    <apic/>
  </features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/bench-vm.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:6b:3c:58'/>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <graphics type='vnc' port='-1' autoport='yes'/>
  </devices>
</domain>
`;

const PY_SCRIPT = String.raw`
import sys, json, time, libvirt
xml, iters, rounds = sys.stdin.read(), int(sys.argv[1]), int(sys.argv[2])
conn = libvirt.open('test:///default')
define, desc = [], []
n = max(iters // 10, 200)
for r in range(rounds):
    t = time.perf_counter()
    for i in range(n):
        conn.defineXML(xml).undefine()
    define.append((time.perf_counter() - t) / n * 1e6)
dom = conn.defineXML(xml)
for r in range(rounds):
    t = time.perf_counter()
    for i in range(n):
        dom.XMLDesc(0)
    desc.append((time.perf_counter() - t) / n * 1e6)
dom.undefine()
print(json.dumps({'define': define, 'xmldesc': desc}))
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => unknown, iters = ITERS): number {
  // warm this function up on its own so the JIT has settled before measuring
  for (let i = 0; i < 5000; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    for (let i = 0; i < iters; i++) fn();
    rounds.push(((performance.now() - t) / iters) * 1000);
  }
  return median(rounds);
}

function libvirt(): { define: number; xmldesc: number } | undefined {
  const res = spawnSync(PY, ['-c', PY_SCRIPT, String(ITERS), String(ROUNDS)], { input: TYPICAL_DOMAIN, encoding: 'utf8' });
  if (res.status !== 0) {
    console.log(`libvirt side unavailable (${PY} + python3-libvirt): ${res.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  const r = JSON.parse(res.stdout) as { define: number[]; xmldesc: number[] };
  return { define: median(r.define), xmldesc: median(r.xmldesc) };
}

const def = parseDomainXML(TYPICAL_DOMAIN);
const parseUs = time(() => parseDomainXML(TYPICAL_DOMAIN));
const formatUs = time(() => formatDomainXML(def));
const treeParseUs = time(() => parseXmlDocument(TYPICAL_DOMAIN));
const tree = parseXmlDocument(TYPICAL_DOMAIN);
const treeFormatUs = time(() => formatXmlElement(tree));
const fxp = new XMLParser({ preserveOrder: true, ignoreAttributes: false, processEntities: true, commentPropName: '#comment' });
const fxpUs = time(() => fxp.parse(TYPICAL_DOMAIN));
const lv = libvirt();

const f = (n: number) => n.toFixed(2).padStart(8);
console.log(`typical domain: ${TYPICAL_DOMAIN.length} bytes, ${ITERS} iterations x ${ROUNDS} rounds (median)`);
console.log(`generic tree    parseXmlDocument ${f(treeParseUs)} µs   fast-xml-parser(preserveOrder) ${f(fxpUs)} µs   formatXmlElement ${f(treeFormatUs)} µs`);
let failed = false;
if (lv) {
  const pr = parseUs / lv.define;
  const fr = formatUs / lv.xmldesc;
  console.log(`parse   virtkit parseDomainXML  ${f(parseUs)} µs   libvirt defineXML+undefine ${f(lv.define)} µs   ratio ${pr.toFixed(3)}x  (goal < 0.5x) ${pr < 0.5 ? 'OK' : 'MISSED'}`);
  console.log(`format  virtkit formatDomainXML ${f(formatUs)} µs   libvirt XMLDesc            ${f(lv.xmldesc)} µs   ratio ${fr.toFixed(3)}x  (goal < 1.5x) ${fr < 1.5 ? 'OK' : 'MISSED'}`);
  failed = pr >= 0.5 || fr >= 1.5;
} else {
  console.log(`parse   virtkit parseDomainXML  ${f(parseUs)} µs`);
  console.log(`format  virtkit formatDomainXML ${f(formatUs)} µs`);
}
process.exitCode = failed ? 1 : 0;
