/**
 * "Format the way libvirt does": documents libvirt 9.0 formats itself (test:///default) come
 * out of parse -> format byte for byte the same.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDomainXML, normalizeXML, parseDomainXML, type DocumentKind } from '@virtkit/xml';
import { requireHost } from '../../../test/support/host.js';

const here = dirname(fileURLToPath(import.meta.url));
const KIND: Record<string, DocumentKind> = {
  capabilities: 'capabilities', domain: 'domain', 'domain-inactive': 'domain', network: 'network', pool: 'pool', volume: 'volume', snapshot: 'snapshot',
};

describe("libvirt's own output is a fixed point, byte for byte", function () {
  this.timeout(30_000);
  let docs: Record<string, string>;
  before(function () {
    requireHost(this, { paths: ['/usr/bin/python3'] });
    const res = spawnSync('/usr/bin/python3', [join(here, 'support', 'libvirt-docs.py')], { encoding: 'utf8' });
    if (res.status !== 0 && /No module named 'libvirt'/.test(res.stderr) && process.env.VIRTKIT_REQUIRE_HOST !== '1') {
      console.log('    skipped: python3-libvirt not importable (run bash .ci/install-packages)');
      this.skip();
    }
    assert.equal(res.status, 0, res.stderr);
    docs = JSON.parse(res.stdout) as Record<string, string>;
  });

  for (const name of Object.keys(KIND)) {
    it(name, () => {
      assert.equal(normalizeXML(KIND[name]!, docs[name]!), docs[name]);
    });
  }
});

describe('define parity: what libvirt 9.0 adds on define, byte for byte', function () {
  this.timeout(30_000);
  const dom = (devices: string) =>
    `<domain type='test'><name>p</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid><memory>1024</memory>` +
    `<os><type arch='i686'>hvm</type></os><devices>${devices}</devices></domain>`;
  const D = (t: string, extra = '') =>
    `<disk type='file' device='${t.startsWith('fd') ? 'floppy' : 'disk'}'><source file='/${t}'/><target dev='${t}'${extra}/></disk>`;
  const V = "<video><model type='cirrus' vram='16384' heads='1' primary='yes'/></video>";
  const CASES: Record<string, string> = {
    'a console becomes the first serial port': "<console type='pty'/>",
    'serial ports numbered, a console added': "<serial type='pty'/><serial type='file'><source path='/tmp/x'/></serial>",
    'ports continue after the highest': "<serial type='pty'><target port='3'/></serial><serial type='pty'/>",
    'virtio consoles and their controller': "<console type='pty'/><console type='pty'><target type='virtio'/></console><console type='pty'><target type='virtio'/></console>",
    'parallel ports': "<parallel type='pty'/><parallel type='pty'/>",
    'virtio channels and their controllers': "<channel type='pty'><target type='virtio' name='a'/></channel><channel type='pty'><target type='virtio' name='b'/><address type='virtio-serial' controller='2' bus='0' port='0'/></channel>",
    'a console aliasing a different serial port': "<console type='pty'/><serial type='file'><source path='/tmp/x'/></serial>",
    'drive addresses and disk controllers': D('sdh') + D('hdd') + D('fdb') + D('sdc', " bus='sata'") + "<controller type='scsi' index='0' model='virtio-scsi'/>",
    'disk order per bus': D('vdb', " bus='virtio'") + D('hdb', " bus='ide'") + D('vda', " bus='virtio'") + D('hda', " bus='ide'"),
    'VNC defaults': `<graphics type='vnc'/><graphics type='vnc' port='5901'/><graphics type='vnc' autoport='no'/>${V}`,
    'VNC listen and socket': `<graphics type='vnc' listen='127.0.0.1'/><graphics type='vnc' socket='/tmp/s'/><graphics type='vnc'><listen type='network' network='default'/></graphics>${V}`,
    'SPICE and RDP defaults': `<graphics type='spice'/><graphics type='spice' port='5900'/><graphics type='spice' autoport='yes'/><graphics type='rdp'/>${V}`,
    'controller indexes': "<controller type='usb'/><controller type='usb'/><controller type='usb' index='3'/><controller type='usb'/><controller type='ide'/>",
    'input buses': "<input type='tablet'/><input type='mouse'/><input type='keyboard'/><input type='passthrough'><source evdev='/dev/input/event1'/></input><input type='evdev'><source dev='/dev/input/event2'/></input>",
    'host devices and RNG backends': "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></source></hostdev><rng model='virtio'><backend model='random'/></rng>",
    'a CD-ROM on a third SCSI controller': "<disk type='file' device='cdrom'><target dev='sdb' bus='scsi'/><address type='drive' controller='2' bus='0' target='0' unit='0'/></disk>",
  };
  let libvirtOut: string[];
  before(function () {
    requireHost(this, { paths: ['/usr/bin/python3'] });
    const res = spawnSync('/usr/bin/python3', [join(here, 'support', 'libvirt-xmldesc.py')], { input: JSON.stringify(Object.values(CASES).map(dom)), encoding: 'utf8' });
    if (res.status !== 0 && /No module named 'libvirt'/.test(res.stderr) && process.env.VIRTKIT_REQUIRE_HOST !== '1') {
      console.log('    skipped: python3-libvirt not importable (run bash .ci/install-packages)');
      this.skip();
    }
    assert.equal(res.status, 0, res.stderr);
    libvirtOut = JSON.parse(res.stdout) as string[];
  });
  Object.entries(CASES).forEach(([name, devices], i) => {
    it(name, () => {
      assert.equal(formatDomainXML(parseDomainXML(dom(devices))), libvirtOut[i]);
    });
  });
});
