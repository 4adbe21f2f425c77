/**
 * Unit tests of the command-line builder (no QEMU needed).
 */
import assert from 'node:assert/strict';
import { parseDomainXML } from '@virtkit/xml';
import { buildCommandLine } from '../src/command-line/build.js';
import { diskNameToIndex } from '../src/command-line/disks.js';
import { VIR_ERR_CONFIG_UNSUPPORTED } from '../src/constants.js';

const host = { machine: 'pc-i440fx-7.2', accel: 'kvm' as const, q35: false };

function build(devices: string, extra = '', type = 'kvm'): string[] {
  const def = parseDomainXML(`<domain type='${type}'><name>g</name><uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>
    <memory unit='MiB'>128</memory><vcpu>2</vcpu>
    <os><type arch='x86_64' machine='pc'>hvm</type><kernel>/k</kernel><initrd>/i</initrd><cmdline>console=ttyS0</cmdline></os>
    ${extra}<devices>${devices}</devices></domain>`);
  return buildCommandLine(def, { ...host, accel: type === 'kvm' ? 'kvm' : 'tcg' }).args;
}

function after(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

describe('qemu command-line builder', () => {
  it('builds libvirt\'s base options: -S -no-user-config -nodefaults -no-shutdown, name, uuid, machine, accel, memory, smp, monitor fd, sandbox', () => {
    const a = build('');
    for (const f of ['-S', '-no-user-config', '-nodefaults', '-no-shutdown']) assert.ok(a.includes(f), f);
    assert.deepEqual(after(a, '-name'), ['guest=g,debug-threads=on']);
    assert.deepEqual(after(a, '-uuid'), ['c7a5fdbd-cdaf-9455-926a-d65c16db1809']);
    assert.deepEqual(after(a, '-machine'), ['pc-i440fx-7.2,usb=off,dump-guest-core=off']);
    assert.deepEqual(after(a, '-accel'), ['kvm']);
    assert.deepEqual(after(a, '-m'), ['size=131072k']);
    assert.deepEqual(after(a, '-smp'), ['2']);
    assert.deepEqual(after(a, '-chardev'), ['socket,id=charmonitor,fd=3,server=on,wait=off']);
    assert.deepEqual(after(a, '-kernel'), ['/k']);
    assert.deepEqual(after(a, '-append'), ['console=ttyS0']);
    assert.ok(a.includes('-no-acpi'), 'no <acpi/> feature -> -no-acpi');
    assert.match(after(a, '-sandbox')[0]!, /^on,obsolete=deny/);
    assert.ok(!build('', '<features><acpi/></features>').includes('-no-acpi'));
    assert.ok(build('', '<on_reboot>destroy</on_reboot>').includes('-no-reboot'));
    assert.ok(!a.includes('-no-reboot'));
  });

  it('uses JSON -blockdev/-device for disks with libvirt aliases', () => {
    const a = build(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/><boot order='1'/></disk>
      <disk type='file' device='cdrom'><source file='/img/c.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>`);
    const bds = after(a, '-blockdev').map((j) => JSON.parse(j) as Record<string, unknown>);
    assert.deepEqual(bds[0], { driver: 'file', filename: '/img/a.qcow2', 'node-name': 'libvirt-1-storage', 'auto-read-only': true, discard: 'unmap' });
    assert.deepEqual(bds[1], { 'node-name': 'libvirt-1-format', 'read-only': false, driver: 'qcow2', file: 'libvirt-1-storage' });
    assert.equal(bds[3]!['read-only'], true);
    const devs = after(a, '-device').map((j) => JSON.parse(j) as Record<string, unknown>);
    assert.deepEqual(devs.find((d) => d.id === 'virtio-disk0'), { driver: 'virtio-blk-pci', drive: 'libvirt-1-format', id: 'virtio-disk0', bootindex: 1 });
    assert.deepEqual(devs.find((d) => d.id === 'ide0-1-0'), { driver: 'ide-cd', bus: 'ide.1', unit: 0, drive: 'libvirt-2-format', id: 'ide0-1-0' });
  });

  it('builds interfaces, serials, balloon, rng, watchdog, panic, vnc with stable ids', () => {
    const a = build(`<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/></interface>
      <serial type='pty'><target port='0'/></serial>
      <graphics type='vnc' port='-1' autoport='yes'/>
      <video><model type='vga'/></video>
      <memballoon model='virtio'/>
      <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
      <watchdog model='i6300esb' action='poweroff'/>
      <panic model='isa'/>`);
    const devs = after(a, '-device').map((j) => JSON.parse(j) as Record<string, unknown>);
    const ids = devs.map((d) => d.id).filter(Boolean);
    for (const id of ['net0', 'serial0', 'balloon0', 'rng0', 'watchdog0', 'video0']) assert.ok(ids.includes(id), id);
    assert.deepEqual(devs.find((d) => d.id === 'net0'), { driver: 'virtio-net-pci', netdev: 'hostnet0', id: 'net0', mac: '52:54:00:aa:bb:cc' });
    assert.deepEqual(after(a, '-netdev'), ['user,id=hostnet0']);
    assert.ok(after(a, '-chardev').includes('pty,id=charserial0'));
    assert.deepEqual(after(a, '-vnc'), ['127.0.0.1:0,to=99,id=vnc0']);
    assert.deepEqual(after(a, '-action'), ['watchdog=poweroff']);
    assert.ok(devs.some((d) => d.driver === 'pvpanic'));
  });

  it('builds serial backends: file, unix, tcp; a serial console reuses serial0', () => {
    const a = build(`<serial type='file'><source path='/var/log/s.log'/><target port='0'/></serial>
      <serial type='unix'><source mode='bind' path='/run/s.sock'/><target port='1'/></serial>
      <serial type='tcp'><source mode='connect' host='10.0.0.1' service='4555'/><target port='2'/></serial>
      <console type='file'><source path='/var/log/s.log'/><target type='serial' port='0'/></console>`);
    assert.deepEqual(after(a, '-chardev').slice(1), [
      'file,id=charserial0,path=/var/log/s.log,append=on',
      'socket,id=charserial1,path=/run/s.sock,server=on,wait=off',
      'socket,id=charserial2,host=10.0.0.1,port=4555',
    ]);
    const serials = after(a, '-device').map((j) => JSON.parse(j) as Record<string, unknown>).filter((d) => d.driver === 'isa-serial');
    assert.deepEqual(serials.map((d) => d.id), ['serial0', 'serial1', 'serial2']);
  });

  it('maps cpu modes and topology', () => {
    assert.deepEqual(after(build('', "<cpu mode='host-passthrough'/>"), '-cpu'), ['host']);
    assert.deepEqual(after(build('', "<cpu mode='host-model'/>", 'qemu'), '-cpu'), ['max']);
    assert.deepEqual(after(build('', "<cpu><model>qemu64</model><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>"), '-smp'), ['2,sockets=1,dies=1,cores=2,threads=1']);
    assert.throws(() => build('', "<cpu><topology sockets='2' dies='1' cores='2' threads='1'/></cpu>"), { code: VIR_ERR_CONFIG_UNSUPPORTED });
  });

  it('refuses what it cannot honour with CONFIG_UNSUPPORTED naming the element', () => {
    const cases: [string, RegExp][] = [
      ["<interface type='network'><source network='default'/></interface>", /interface type 'network'/],
      ["<sound model='ich6'/>", /<sound>/],
      ["<hostdev mode='subsystem' type='pci'/>", /<hostdev>/],
      ["<graphics type='spice'/>", /graphics type 'spice'/],
      ["<disk type='volume' device='disk'><source pool='p' volume='v'/><target dev='vda'/></disk>", /source type 'volume'/],
      ["<disk type='file' device='disk'><driver name='qemu' type='vmdk'/><source file='/x'/><target dev='vda'/></disk>", /disk format 'vmdk'/],
      ["<controller type='usb' model='vt82c686b-uhci'/>", /USB controller model 'vt82c686b-uhci'/],
      ["<panic model='hyperv'/>", /panic model 'hyperv'/],
    ];
    for (const [xml, re] of cases) {
      assert.throws(() => build(xml), (e: { code: number; message: string }) => e.code === VIR_ERR_CONFIG_UNSUPPORTED && re.test(e.message), xml);
    }
    assert.throws(() => build('', '<features><smm/><gic/></features>'), { code: VIR_ERR_CONFIG_UNSUPPORTED, message: /feature 'gic'/ });
  });

  it('converts disk names to indexes as libvirt', () => {
    assert.equal(diskNameToIndex('vda'), 0);
    assert.equal(diskNameToIndex('hdc'), 2);
    assert.equal(diskNameToIndex('sdz'), 25);
    assert.equal(diskNameToIndex('sdaa'), 26);
  });
});
