/**
 * Typed mutations and single-device XML, as drivers use them.
 */
import assert from 'node:assert/strict';
import { VirtError } from '@virtkit/core';
import * as x from '@virtkit/xml';

const BASE = `<domain type='kvm' id='7'>
  <name>vm</name>
  <memory unit='KiB'>1048576</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
    <interface type='bridge'><source bridge='br0'/><alias name='ua-net'/></interface>
    <graphics type='vnc' port='5900' passwd='s3cret'/>
    <memballoon model='virtio'/>
  </devices>
</domain>`;

describe('typed edits', () => {
  it('adds devices after their family, new families in libvirt order', () => {
    const def = x.parseDomainXML(BASE);
    x.addDevice(def, x.parseDomainDeviceXML("<disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vdb'/></disk>"));
    x.addDevice(def, x.parseDomainDeviceXML("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"));
    x.addDevice(def, x.parseDomainDeviceXML("<controller type='usb' index='0' model='qemu-xhci'/>"));
    const out = x.formatDomainXML(def);
    const order = [...out.slice(out.indexOf('<devices>')).matchAll(/^ {4}<(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(order, ['disk', 'disk', 'controller', 'interface', 'graphics', 'memballoon', 'rng']);
    assert.match(out, /<source dev='\/dev\/sdb'\/>\n {6}<target dev='vdb' bus='virtio'\/>/);
    assert.throws(() => x.addDevice(def, x.parseDomainDeviceXML("<disk><source file='/c'/><target dev='vdb'/></disk>")),
      (e: unknown) => e instanceof VirtError && e.code === 27 && /target 'vdb' duplicated for disk sources '\/dev\/sdb' and '\/c'/.test(e.message));
    assert.equal(def.devices.disks.length, 2);
    assert.throws(() => x.addDevice(def, x.parseDomainDeviceXML("<memballoon model='none'/>")), (e: unknown) => e instanceof VirtError && e.code === 55);
  });

  it('removes, finds and re-formats', () => {
    const def = x.parseDomainXML(BASE);
    const disk = x.findDisk(def, 'vda')!;
    assert.equal(disk.source?.file, '/a.qcow2');
    assert.equal(x.removeDevice(def, { kind: 'disk', def: disk }), true);
    assert.equal(x.removeDevice(def, { kind: 'disk', def: disk }), false);
    assert.doesNotMatch(x.formatDomainXML(def), /<disk/);
    x.assignDomainDefaults(def);
    const mac = def.devices.interfaces[0]!.mac!;
    assert.match(mac, /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.equal(x.findInterface(def, mac.toUpperCase()), def.devices.interfaces[0]);
    assert.ok(x.removeDevice(def, { kind: 'memballoon', def: def.devices.memballoon! }));
    assert.doesNotMatch(x.formatDomainXML(def), /memballoon/);
  });

  it('memory and vcpus', () => {
    const def = x.parseDomainXML(BASE);
    x.setMemory(def, 524288);
    assert.equal(def.currentMemory, 524288);
    x.setCurrentMemory(def, 262144);
    assert.match(x.formatDomainXML(def), /<memory unit='KiB'>524288<\/memory>\n {2}<currentMemory unit='KiB'>262144<\/currentMemory>/);
    assert.throws(() => x.setCurrentMemory(def, 1 << 30), (e: unknown) => e instanceof VirtError && e.code === 8);
    x.setVcpus(def, 4, 2);
    assert.match(x.formatDomainXML(def), /<vcpu placement='static' current='2'>4<\/vcpu>/);
    x.setVcpus(def, 2);
    assert.match(x.formatDomainXML(def), /<vcpu placement='static'>2<\/vcpu>/);
    assert.throws(() => x.setVcpus(def, 2, 3), (e: unknown) => e instanceof VirtError && e.code === 8);
  });

  it('defaults as libvirt fills them', () => {
    const def = x.parseDomainXML("<domain type='test'><name>d</name><memory>1024</memory><os><type>hvm</type></os><devices><interface type='network'><source network='default'/></interface></devices></domain>");
    assert.equal(def.uuid, undefined);
    x.assignDomainDefaults(def);
    assert.ok(x.isValidUUID(def.uuid!));
    const out = x.formatDomainXML(def);
    assert.match(out, /<vcpu placement='static'>1<\/vcpu>/);
    assert.match(out, /<boot dev='hd'\/>/);
    assert.match(out, /<clock offset='utc'\/>\n {2}<on_poweroff>destroy<\/on_poweroff>\n {2}<on_reboot>restart<\/on_reboot>\n {2}<on_crash>destroy<\/on_crash>/);
    const uuid = def.uuid;
    x.assignDomainDefaults(def, { macPrefix: '00:16:3e' });
    assert.equal(def.uuid, uuid);
    assert.ok(def.devices.interfaces[0]!.mac!.startsWith('52:54:00'));
  });

  it('definitions built in code get the same defaults', () => {
    const def: x.DomainDef = { type: 'kvm', name: 'coded', memory: 2048, os: { type: 'hvm', boot: [], initargs: [] }, devices: x.parseDomainXML("<domain type='kvm'><name>t</name><memory>1</memory><os><type>hvm</type></os></domain>").devices };
    x.addDevice(def, x.parseDomainDeviceXML("<interface type='user'/>"));
    const out = x.formatDomainXML(x.assignDomainDefaults(def));
    assert.match(out, /<currentMemory unit='KiB'>2048<\/currentMemory>\n {2}<vcpu placement='static'>1<\/vcpu>/);
    assert.match(out, /<boot dev='hd'\/>/);
    assert.match(out, /<interface type='user'>\n {6}<mac address='52:54:00(:[0-9a-f]{2}){3}'\/>/);
    assert.deepEqual(x.parseDomainXML(out), def);
  });

  it('disks are ordered as libvirt 9.0 orders them on define', () => {
    // each expected order was observed with virsh define + dumpxml on test:///default
    const D = (t: string, extra = '') => `<disk type='file' device='${t.startsWith('fd') ? 'floppy' : 'disk'}'><source file='/${t}'/><target dev='${t}'${extra}/></disk>`;
    const order = (disks: string) =>
      x.parseDomainXML(`<domain type='test'><name>d</name><memory>1</memory><os><type>hvm</type></os><devices>${disks}</devices></domain>`).devices.disks.map((d) => d.target.dev);
    assert.deepEqual(order(D('vdb') + D('vda')), ['vda', 'vdb']);
    assert.deepEqual(order(D('sdb') + D('hda')), ['hda', 'sdb']);
    assert.deepEqual(order(D('hdb') + D('sda')), ['sda', 'hdb']);
    assert.deepEqual(order(D('sdc', " bus='sata'") + D('sda')), ['sdc', 'sda']);
    assert.deepEqual(order(D('fdb') + D('hda')), ['hda', 'fdb']);
    assert.deepEqual(order(D('sdh') + D('hdd') + D('fdb') + D('sdc', " bus='sata'")), ['fdb', 'hdd', 'sdh', 'sdc']);
    const def = x.parseDomainXML(`<domain type='test'><name>d</name><memory>1</memory><os><type>hvm</type></os><devices>${D('vda') + D('hdc') + D('vdc')}</devices></domain>`);
    x.addDevice(def, x.parseDomainDeviceXML(D('vdb')));
    assert.deepEqual(def.devices.disks.map((d) => d.target.dev), ['vda', 'vdb', 'vdc', 'hdc']);
    x.addDevice(def, x.parseDomainDeviceXML(D('sdj')));
    assert.deepEqual(x.findDisk(def, 'sdj')!.address, { type: 'drive', attrs: { controller: '1', bus: '0', target: '0', unit: '2' } });
    assert.deepEqual(def.devices.controllers.filter((c) => c.type === 'scsi').map((c) => c.index), [0, 1]);
  });

  it('documentOrder keeps the devices where the document had them', () => {
    const def = x.parseDomainXML(`<domain type='kvm'><name>o</name><memory>1024</memory><os><type>hvm</type></os><devices>
      <interface type='user'/><disk type='file'><source file='/a'/><target dev='vda'/></disk><smartcard mode='host'/>
      <emulator>/usr/bin/qemu</emulator><disk type='file'><source file='/b'/><target dev='vdb'/></disk></devices></domain>`);
    x.addDevice(def, x.parseDomainDeviceXML("<disk type='file'><source file='/c'/><target dev='vdc'/></disk>"));
    const names = (out: string) => [...out.slice(out.indexOf('<devices>')).matchAll(/^ {4}<(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(names(x.formatDomainXML(def, { documentOrder: true })), ['interface', 'disk', 'smartcard', 'emulator', 'disk', 'disk']);
    assert.deepEqual(names(x.formatDomainXML(def)), ['emulator', 'disk', 'disk', 'disk', 'smartcard', 'interface']);
  });

  it('inactive and secure formatting', () => {
    const def = x.parseDomainXML(BASE);
    const live = x.formatDomainXML(def);
    assert.match(live, /^<domain type='kvm' id='7'>/);
    assert.match(live, /<alias name='virtio-disk0'\/>/);
    assert.doesNotMatch(live, /passwd/);
    const inactive = x.formatDomainXML(def, { inactive: true, secure: true });
    assert.match(inactive, /^<domain type='kvm'>/);
    assert.doesNotMatch(inactive, /virtio-disk0/);
    assert.match(inactive, /<alias name='ua-net'\/>/);
    assert.match(inactive, /passwd='s3cret'/);
    const auto = x.parseDomainXML(BASE.replace("port='5900'", "port='5905' autoport='yes'"));
    assert.match(x.formatDomainXML(auto), /<graphics type='vnc' port='5905' autoport='yes'>/);
    assert.match(x.formatDomainXML(auto, { inactive: true }), /<graphics type='vnc' port='-1' autoport='yes'>/);
  });

  it('single devices round trip with unknown parts', () => {
    const xml = "<interface type='network'>\n  <mac address='52:54:00:00:00:01'/>\n  <source network='default' portid='x'/>\n  <model type='virtio'/>\n  <driver name='vhost' queues='4'/>\n</interface>\n";
    const dev = x.parseDomainDeviceXML(xml);
    assert.equal(dev.kind, 'interface');
    assert.equal(x.formatDomainDeviceXML(dev), xml);
    assert.throws(() => x.parseDomainDeviceXML('<bogus/>'), (e: unknown) => e instanceof VirtError && e.code === 27 && e.message === "XML error: unknown device type 'bogus'");
  });
});

describe('other documents', () => {
  it('network, pool, volume, snapshot typed fields', () => {
    const net = x.parseNetworkXML("<network><name>default</name><forward mode='nat'/><bridge name='virbr0' stp='on' delay='0'/><mac address='52:54:00:0A:CD:21'/><ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>");
    assert.equal(net.forward?.mode, 'nat');
    assert.equal(net.bridge?.name, 'virbr0');
    assert.equal(net.mac, '52:54:00:0a:cd:21');
    assert.equal(net.ips[0]!.address, '192.168.122.1');
    assert.deepEqual(net.ips[0]!.dhcp?.ranges, [{ start: '192.168.122.2', end: '192.168.122.254' }]);
    assert.match(x.formatNetworkXML(net), /<dhcp>\n {6}<range start='192.168.122.2' end='192.168.122.254'\/>/);
    const pool = x.parseStoragePoolXML("<pool type='dir'><name>p</name><capacity unit='GiB'>1</capacity><target><path>/var/lib/p</path><permissions><mode>0755</mode></permissions></target></pool>");
    assert.equal(pool.capacity?.bytes, 1073741824);
    assert.equal(pool.target?.path, '/var/lib/p');
    assert.equal(pool.target?.permissions?.mode, '0755');
    const vol = x.parseStorageVolXML("<volume type='file'><name>v.qcow2</name><capacity unit='M'>10</capacity><allocation>0</allocation><target><format type='qcow2'/></target><backingStore><path>/b.img</path><format type='raw'/></backingStore></volume>");
    assert.equal(vol.capacity.bytes, 10485760);
    assert.equal(vol.target?.format, 'qcow2');
    assert.equal(vol.backingStore?.path, '/b.img');
    assert.match(x.formatStorageVolXML(vol), /<backingStore>\n {4}<path>\/b.img<\/path>\n {4}<format type='raw'\/>\n {2}<\/backingStore>/);
    const snap = x.parseDomainSnapshotXML('<domainsnapshot><name>s1</name><state>running</state><parent><name>s0</name></parent><creationTime>1700000000</creationTime><memory snapshot=\'internal\'/><domain type=\'test\'><name>t</name></domain></domainsnapshot>');
    assert.deepEqual([snap.name, snap.state, snap.parent, snap.creationTime, snap.memory?.snapshot, snap.domain?.name], ['s1', 'running', 's0', 1700000000, 'internal', 'domain']);
    assert.equal(x.formatDomainSnapshotXML(x.parseDomainSnapshotXML(x.formatDomainSnapshotXML(snap))), x.formatDomainSnapshotXML(snap));
  });

  it('capabilities and domain capabilities', () => {
    const caps = x.parseCapabilitiesXML("<capabilities><host><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid><cpu><arch>x86_64</arch></cpu></host><guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>64</wordsize><emulator>/usr/bin/qemu-system-x86_64</emulator><machine>pc</machine><domain type='qemu'/><domain type='kvm'/></arch><features><acpi/></features></guest></capabilities>");
    assert.equal(caps.host.arch, 'x86_64');
    assert.equal(caps.guests[0]!.arch.emulator, '/usr/bin/qemu-system-x86_64');
    assert.deepEqual(caps.guests[0]!.arch.domains.map((d) => x.getAttribute(d, 'type')), ['qemu', 'kvm']);
    assert.match(x.formatCapabilitiesXML(caps), /^<capabilities>\n\n {2}<host>/);
    const dc = x.parseDomainCapabilitiesXML("<domainCapabilities><path>/usr/bin/qemu-system-x86_64</path><domain>kvm</domain><machine>pc-i440fx-7.2</machine><arch>x86_64</arch><vcpu max='255'/><os supported='yes'/></domainCapabilities>");
    assert.deepEqual([dc.domain, dc.arch, dc.vcpuMax], ['kvm', 'x86_64', 255]);
    assert.match(x.formatDomainCapabilitiesXML(dc), /<vcpu max='255'\/>\n {2}<os supported='yes'\/>/);
  });
});

describe('generic tree', () => {
  it('keeps comments, CDATA, PIs, mixed content and escapes', () => {
    const xml = "<a x='1' y=\"&lt;&amp;&apos;\"><!-- c --><?pi data?><b>t &amp; u</b><c><![CDATA[<raw>]]></c><d>mixed <e/> text</d></a>";
    const el = x.parseXmlDocument(xml);
    assert.deepEqual(el.attributes, [{ name: 'x', value: '1' }, { name: 'y', value: "<&'" }]);
    const out = x.formatXmlElement(el);
    assert.equal(out, "<a x='1' y='&lt;&amp;&apos;'>\n  <!-- c -->\n  <?pi data?>\n  <b>t &amp; u</b>\n  <c><![CDATA[<raw>]]></c>\n  <d>mixed <e/> text</d>\n</a>\n");
    assert.equal(x.formatXmlElement(x.parseXmlDocument(out)), out);
  });

  it('keeps unknown attributes in place and foreign metadata verbatim', () => {
    const xml = "<domain type='kvm'><name>m</name><metadata><app:x xmlns:app='urn:app' k='v'><app:y>1</app:y></app:x></metadata><memory unit='KiB' dumpCore='off'>1024</memory><os><type>hvm</type></os></domain>";
    const out = x.formatDomainXML(x.parseDomainXML(xml));
    assert.match(out, /<metadata>\n {4}<app:x xmlns:app="urn:app" k="v">\n {6}<app:y>1<\/app:y>\n {4}<\/app:x>\n {2}<\/metadata>/);
    assert.match(out, /<memory unit='KiB' dumpCore='off'>1024<\/memory>/);
  });
});
