import assert from 'node:assert/strict';
import { VirtError } from '@virtkit/core';
import { formatDomainXML, parseDomainXML } from '@virtkit/xml';

const DOC = `<domain type='kvm'>
  <name>vm1</name>
  <uuid>C7A5FDBD-EDAF-9455-926A-D65C16DB1809</uuid>
  <memory unit='GiB'>1</memory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/vm1.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <iotune><total_bytes_sec>1</total_bytes_sec></iotune>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:AA:bb:0C'/>
      <source network='default'/>
      <model type='virtio'/>
    </interface>
    <smartcard mode='host'/>
  </devices>
</domain>
`;

describe('domain model', () => {
  it('parses typed fields with normalised numbers', () => {
    const d = parseDomainXML(DOC);
    assert.equal(d.type, 'kvm');
    assert.equal(d.name, 'vm1');
    assert.equal(d.uuid, 'c7a5fdbd-edaf-9455-926a-d65c16db1809');
    assert.equal(d.memory, 1048576);
    assert.equal(d.currentMemory, 1048576);
    assert.deepEqual(d.vcpu, { count: 2, placement: 'static' });
    assert.deepEqual(d.os.boot, ['hd']);
    assert.equal(d.devices.disks[0]!.source!.file, '/var/lib/libvirt/images/vm1.qcow2');
    assert.equal(d.devices.disks[0]!.driver!.type, 'qcow2');
    assert.equal(d.devices.interfaces[0]!.mac, '52:54:00:aa:bb:0c');
    assert.equal(d.devices.interfaces[0]!.source!.network, 'default');
  });

  it('keeps unknown parts and is a fixed point', () => {
    const once = formatDomainXML(parseDomainXML(DOC));
    assert.match(once, /<iotune>\n {8}<total_bytes_sec>1<\/total_bytes_sec>\n {6}<\/iotune>/);
    assert.match(once, /<smartcard mode='host'\/>/);
    assert.match(once, /<memory unit='KiB'>1048576<\/memory>/);
    assert.equal(formatDomainXML(parseDomainXML(once)), once);
  });

  it('mutations are formatted', () => {
    const d = parseDomainXML(DOC);
    d.memory = 2048;
    d.currentMemory = 1024;
    d.devices.disks.push({ type: 'file', device: 'cdrom', source: { file: '/x.iso', hosts: [] }, target: { dev: 'sda', bus: 'sata' }, readonly: true });
    d.devices.interfaces.splice(0, 1);
    const out = formatDomainXML(d);
    assert.match(out, /<memory unit='KiB'>2048<\/memory>\n {2}<currentMemory unit='KiB'>1024<\/currentMemory>/);
    assert.match(out, /<target dev='sda' bus='sata'\/>\n {6}<readonly\/>/);
    assert.doesNotMatch(out, /<interface/);
    assert.match(out, /<smartcard/);
  });

  it('reports libvirt errors', () => {
    const bad = (xml: string, code: number, detail: RegExp) => {
      assert.throws(() => parseDomainXML(xml), (e: unknown) => e instanceof VirtError && e.code === code && detail.test(e.detail ?? e.message));
    };
    bad("<domain type='kvm'><memory>1</memory></domain>", 21, /^missing name information$|undefined/);
    bad(DOC.replace("dev='vda'", "dev='vdb'").replace('</devices>', "<disk type='file'><source file='/b'/><target dev='vdb'/></disk></devices>"), 27,
      /target 'vdb' duplicated for disk sources '\/var\/lib\/libvirt\/images\/vm1.qcow2' and '\/b'/);
    bad(DOC.replace("unit='GiB'", "unit='XB'"), 8, /unknown suffix 'XB'/);
    bad(DOC.replace('<name>vm1', '<name>a/vm1'), 27, /cannot contain '\/'/);
    bad(DOC.replace('C7A5', 'ZZ'), 1, /malformed uuid element/);
    bad(DOC.replace('</name>', '</nam>'), 35, /^\(domain_definition\):2: Opening and ending tag mismatch: name line 2 and nam/);
  });
});
