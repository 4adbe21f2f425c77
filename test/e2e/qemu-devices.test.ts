/**
 * QEMU driver features on one firmware-only KVM guest with a qcow2 disk: internal snapshots,
 * live and config device attach/detach, balloon, stats, screenshot, monitor passthrough,
 * managed save, capabilities.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireHost } from '../support/host.js';
import { firmwareXML, openRoot, tempRoot, teardownRoot, type OpenRoot } from '../../drivers/qemu/test/support/harness.js';
import * as C from '../../drivers/qemu/src/constants.js';

describe('qemu driver: devices, snapshots, stats (firmware-only KVM guest)', function () {
  this.timeout(60_000);
  let r: OpenRoot | undefined;
  let root: string;
  let disk: string;

  const guestXML = (name: string): string => firmwareXML(name, {
    extra: `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
      <controller type='scsi' model='virtio-scsi'/>
      <video><model type='vga'/></video>`,
  });

  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64', 'qemu-img'], paths: ['/dev/kvm'] });
  });
  beforeEach(async () => {
    root = tempRoot('dev');
    disk = join(root, 'disk.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    r = await openRoot(root);
  });
  afterEach(async () => {
    await teardownRoot(r);
    r = undefined;
  });

  it('takes, lists, reverts and deletes internal snapshots of a running qcow2 guest', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(guestXML('snap'), 0), 0);
    const s1 = await hv.domainSnapshotCreateXML!(dom, '<domainsnapshot><name>s1</name><description>first</description></domainsnapshot>', 0);
    assert.equal(s1.name, 's1');
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_UNPAUSED });
    await hv.domainSnapshotCreateXML!(dom, '<domainsnapshot><name>s2</name></domainsnapshot>', 0);
    assert.deepEqual((await hv.domainListAllSnapshots!(dom, 0)).map((s) => s.name), ['s1', 's2']);
    assert.equal((await hv.domainSnapshotCurrent!(dom, 0)).name, 's2');
    assert.equal((await hv.domainSnapshotGetParent!({ domain: dom, name: 's2' }, 0)).name, 's1');
    const xml = await hv.domainSnapshotGetXMLDesc!({ domain: dom, name: 's1' }, 0);
    assert.match(xml, /<state>running<\/state>/);
    assert.match(xml, /<description>first<\/description>/);
    assert.match(xml, /<memory snapshot='internal'\/>/);
    const img = execFileSync('qemu-img', ['snapshot', '-l', '-U', disk], { encoding: 'utf8' });
    assert.match(img, /s1/);
    await hv.domainRevertToSnapshot!({ domain: dom, name: 's1' }, 0);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT });
    assert.equal((await hv.domainSnapshotCurrent!(dom, 0)).name, 's1');
    await hv.domainSnapshotDelete!({ domain: dom, name: 's1' }, 0);
    assert.deepEqual((await hv.domainListAllSnapshots!(dom, 0)).map((s) => s.name), ['s2']);
    await assert.rejects(hv.domainSnapshotGetParent!({ domain: dom, name: 's2' }, 0), { code: C.VIR_ERR_NO_DOMAIN_SNAPSHOT });
    assert.doesNotMatch(execFileSync('qemu-img', ['snapshot', '-l', '-U', disk], { encoding: 'utf8' }), /\bs1\b/);
    // raw disks cannot take internal snapshots
    const rawImg = join(root, 'raw.img');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', rawImg, '8M']);
    const raw = await hv.domainDefineXML!(firmwareXML('rawsnap', { extra: `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${rawImg}'/><target dev='vda' bus='virtio'/></disk>` }), 0);
    await assert.rejects(hv.domainSnapshotCreateXML!(raw, '<domainsnapshot/>', 0), { code: C.VIR_ERR_CONFIG_UNSUPPORTED, message: /internal snapshot for disk vda unsupported for storage type raw/ });
  });

  it('takes and reverts snapshots of a shut-off guest with qemu-img', async () => {
    const hv = r!.hv;
    const dom = await hv.domainDefineXML!(guestXML('offsnap'), 0);
    await hv.domainSnapshotCreateXML!(dom, '<domainsnapshot><name>off1</name></domainsnapshot>', 0);
    assert.match(await hv.domainSnapshotGetXMLDesc!({ domain: dom, name: 'off1' }, 0), /<state>shutoff<\/state>/);
    assert.match(execFileSync('qemu-img', ['snapshot', '-l', disk], { encoding: 'utf8' }), /off1/);
    await hv.domainRevertToSnapshot!({ domain: dom, name: 'off1' }, 0);
    assert.equal((await hv.domainGetState!(dom, 0)).state, C.VIR_DOMAIN_SHUTOFF);
    await hv.domainSnapshotDelete!({ domain: dom, name: 'off1' }, 0);
    assert.equal(await hv.domainSnapshotNum!(dom, 0), 0);
  });

  it('attaches and detaches a SCSI disk live (DEVICE_DELETED) and an interface in the config', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(guestXML('hot'), 0), 0);
    const extra = join(root, 'extra.raw');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', extra, '8M']);
    const diskXML = `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${extra}'/><target dev='sdb' bus='scsi'/></disk>`;
    await hv.domainAttachDeviceFlags!(dom, diskXML, C.VIR_DOMAIN_AFFECT_LIVE);
    let live = await hv.domainGetXMLDesc!(dom, 0);
    assert.match(live, /<target dev='sdb' bus='scsi'\/>/);
    assert.match(live, /<alias name='scsi0-0-0-1'\/>/);
    const blocks = await hv.domainQemuMonitorCommand!(dom, '{"execute":"query-block"}', 0);
    assert.match(blocks, /scsi0-0-0-1/);
    assert.doesNotMatch(await hv.domainGetXMLDesc!(dom, C.VIR_DOMAIN_XML_INACTIVE), /sdb/, 'live only');
    await hv.domainDetachDeviceFlags!(dom, diskXML, C.VIR_DOMAIN_AFFECT_LIVE);
    live = await hv.domainGetXMLDesc!(dom, 0);
    assert.doesNotMatch(live, /sdb/);
    assert.deepEqual(r!.events.removed, ['scsi0-0-0-1']);
    const nodes = await hv.domainQemuMonitorCommand!(dom, '{"execute":"query-named-block-nodes"}', 0);
    assert.doesNotMatch(nodes, /extra\.raw/, 'backend deleted');
    const nic = "<interface type='user'><mac address='52:54:00:12:34:56'/><model type='virtio'/></interface>";
    await hv.domainAttachDeviceFlags!(dom, nic, C.VIR_DOMAIN_AFFECT_CONFIG);
    assert.match(await hv.domainGetXMLDesc!(dom, C.VIR_DOMAIN_XML_INACTIVE), /52:54:00:12:34:56/);
    await hv.domainDetachDeviceFlags!(dom, nic, C.VIR_DOMAIN_AFFECT_CONFIG);
    assert.doesNotMatch(await hv.domainGetXMLDesc!(dom, C.VIR_DOMAIN_XML_INACTIVE), /52:54:00:12:34:56/);
    await assert.rejects(hv.domainDetachDeviceFlags!(dom, diskXML, C.VIR_DOMAIN_AFFECT_LIVE), { code: C.VIR_ERR_DEVICE_MISSING });
  });

  it('hotplugs a virtio disk into a spare PCIe root port of a q35 guest', async () => {
    const hv = r!.hv;
    const xml = firmwareXML('q35hp').replace("machine='pc'", "machine='q35'");
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(xml, 0), 0);
    assert.match(await hv.domainGetXMLDesc!(dom, 0), /machine='pc-q35-[\d.]+'/);
    const extra = join(root, 'q35.raw');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', extra, '8M']);
    await hv.domainAttachDeviceFlags!(dom, `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${extra}'/><target dev='vdb' bus='virtio'/></disk>`, C.VIR_DOMAIN_AFFECT_LIVE);
    assert.match(await hv.domainGetXMLDesc!(dom, 0), /<alias name='virtio-disk1'\/>/);
    const bus = await hv.domainQemuMonitorCommand!(dom, '{"execute":"qom-get","arguments":{"path":"/machine/peripheral/virtio-disk1","property":"parent_bus"}}', 0);
    assert.match(bus, /hotplug-port0/);
    await hv.domainAttachDeviceFlags!(dom, "<interface type='user'><model type='virtio'/></interface>", C.VIR_DOMAIN_AFFECT_LIVE);
    const nbus = await hv.domainQemuMonitorCommand!(dom, '{"execute":"qom-get","arguments":{"path":"/machine/peripheral/net0","property":"parent_bus"}}', 0);
    assert.match(nbus, /hotplug-port1/);
  });

  it('plugs a bridge interface through a tap it creates, and removes the tap on stop', async function () {
    const br = `vkbr${process.pid % 100000}`;
    try {
      execFileSync('ip', ['link', 'add', br, 'type', 'bridge']);
    } catch {
      console.log('      (skipped: cannot create a bridge here)');
      this.skip();
    }
    try {
      const hv = r!.hv;
      const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('brg', { extra: `<interface type='bridge'><source bridge='${br}'/><model type='virtio'/></interface>` }), 0), 0);
      const live = await hv.domainGetXMLDesc!(dom, 0);
      const tap = /<target dev='(vnet\d+)'\/>/.exec(live)?.[1];
      assert.ok(tap, 'live XML names the tap');
      assert.match(execFileSync('ip', ['-o', 'link', 'show', tap], { encoding: 'utf8' }), new RegExp(`master ${br}`));
      const stats = await hv.domainInterfaceStats!(dom, tap);
      assert.ok(stats.rxBytes >= 0 && stats.txBytes >= 0);
      await hv.domainDestroy!(dom, 0);
      assert.throws(() => execFileSync('ip', ['link', 'show', tap], { stdio: 'ignore' }), 'tap removed');
    } finally {
      execFileSync('ip', ['link', 'del', br]);
    }
  });

  it('sets memory through the balloon, reports stats, takes a screenshot, passes monitor commands', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(guestXML('misc'), 0), 0);
    await hv.domainSetMemoryFlags!(dom, 32768, C.VIR_DOMAIN_AFFECT_LIVE | C.VIR_DOMAIN_AFFECT_CONFIG);
    assert.match(await hv.domainGetXMLDesc!(dom, C.VIR_DOMAIN_XML_INACTIVE), /<currentMemory unit='KiB'>32768<\/currentMemory>/);
    await assert.rejects(hv.domainSetMemoryFlags!(dom, 1 << 30, C.VIR_DOMAIN_AFFECT_LIVE), { code: C.VIR_ERR_INVALID_ARG });
    const bs = await hv.domainBlockStats!(dom, 'vda');
    assert.ok(bs.rdReq >= 0 && bs.rdBytes >= 0);
    const ms = await hv.domainMemoryStats!(dom, 10, 0);
    assert.ok(ms.some((m) => m.tag === C.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON));
    assert.ok(ms.some((m) => m.tag === C.VIR_DOMAIN_MEMORY_STAT_RSS && m.val > 0));
    const shot = await hv.domainScreenshot!(dom, 0, 0);
    assert.equal(shot.mimeType, 'image/x-portable-pixmap');
    assert.equal(shot.data.subarray(0, 2).toString(), 'P6');
    const qs = JSON.parse(await hv.domainQemuMonitorCommand!(dom, '{"execute":"query-status"}', 0)) as { return: { status: string } };
    assert.equal(qs.return.status, 'running');
    assert.match(await hv.domainQemuMonitorCommand!(dom, 'info status', C.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP), /VM status: running/);
    const vcpus = await hv.domainGetVcpus!(dom);
    assert.equal(vcpus.length, 1);
    assert.ok(vcpus[0]!.cpu >= 0, 'host CPU of the vCPU thread');
    assert.equal(await hv.domainIsUpdated!(dom), true, 'config changed while running (setMemory CONFIG)');
    await hv.domainSetVcpusFlags!(dom, 2, C.VIR_DOMAIN_AFFECT_CONFIG | C.VIR_DOMAIN_VCPU_MAXIMUM);
    assert.equal(await hv.domainGetVcpusFlags!(dom, C.VIR_DOMAIN_AFFECT_CONFIG | C.VIR_DOMAIN_VCPU_MAXIMUM), 2);
    const info = await hv.domainGetInfo!(dom);
    assert.ok(info.cpuTime > 0, 'cpuTime from /proc');
  });

  it('managed save stops the guest and the next start restores it', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(guestXML('msave'), 0), 0);
    await hv.domainManagedSave!(dom, 0, {});
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_SAVED });
    assert.equal(await hv.domainHasManagedSaveImage!(dom, 0), true);
    await hv.domainCreate!(dom, 0);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_RESTORED });
    assert.equal(await hv.domainHasManagedSaveImage!(dom, 0), false);
  });

  it('dumps guest memory as ELF and keeps the guest running; save reports progress and can be aborted', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(guestXML('dump'), 0), 0);
    const core = join(root, 'dump.elf');
    await hv.domainCoreDump!(dom, core, 16 /* VIR_DUMP_MEMORY_ONLY */, {});
    assert.equal(readFileSync(core).subarray(1, 4).toString(), 'ELF');
    assert.equal((await hv.domainGetState!(dom, 0)).state, C.VIR_DOMAIN_RUNNING);
    await assert.rejects(hv.domainCoreDump!(dom, core, 0, {}), { code: C.VIR_ERR_ARGUMENT_UNSUPPORTED });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(hv.domainSave!(dom, join(root, 'dump.save'), undefined, 0, { signal: ac.signal }), { code: C.VIR_ERR_OPERATION_ABORTED });
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_SAVE_CANCELED });
    assert.equal(existsSync(join(root, 'dump.save')), false);
    const progress: number[] = [];
    await hv.domainSave!(dom, join(root, 'dump.save'), undefined, 0, { onProgress: (done) => progress.push(done) });
    assert.equal((await hv.domainGetState!(dom, 0)).reason, C.VIR_DOMAIN_SHUTOFF_SAVED);
  });

  it('describes the host and the emulator in capabilities XML', async () => {
    const hv = r!.hv;
    assert.equal(await hv.connectGetType!(), 'QEMU');
    assert.ok((await hv.connectGetVersion!()) >= 7_000_000);
    const caps = await hv.connectGetCapabilities!();
    assert.match(caps, /<os_type>hvm<\/os_type>/);
    assert.match(caps, /<domain type='kvm'\/>/);
    assert.match(caps, /<machine canonical='pc-i440fx-[\d.]+' maxCpus='\d+'>pc<\/machine>/);
    const dcaps = await hv.connectGetDomainCapabilities!(undefined, 'x86_64', 'pc', 'kvm', 0);
    assert.match(dcaps, /<domain>kvm<\/domain>/);
    assert.match(dcaps, /<machine>pc-i440fx-[\d.]+<\/machine>/);
  });
});
