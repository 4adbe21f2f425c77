/**
 * QEMU driver lifecycle on firmware-only KVM guests (fast): define/start/suspend/resume/
 * destroy, states and reasons, events, reconnect on reopen, the root lock, URI errors, refusal
 * of XML the driver cannot honour, and kill -9 of QEMU reported as a crash within 200 ms.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireHost } from '../support/host.js';
import { driver } from '../../drivers/qemu/src/index.js';
import { embedURI, firmwareXML, openRoot, tempRoot, teardownRoot, type OpenRoot } from '../../drivers/qemu/test/support/harness.js';
import * as C from '../../drivers/qemu/src/constants.js';

describe('qemu driver: lifecycle (firmware-only KVM guests)', function () {
  this.timeout(30_000);
  let r: OpenRoot | undefined;
  let root: string;

  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64'], paths: ['/dev/kvm'] });
  });
  beforeEach(async () => {
    root = tempRoot('life');
    r = await openRoot(root);
  });
  afterEach(async () => {
    await teardownRoot(r);
    r = undefined;
  });

  it('defines, starts, suspends, resumes and destroys with libvirt states, reasons and events', async () => {
    const hv = r!.hv;
    const def = await hv.domainDefineXML!(firmwareXML('fw-a'), 0);
    assert.equal(def.id, -1);
    assert.deepEqual(await hv.domainGetState!(def, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_UNKNOWN });
    const dom = await hv.domainCreate!(def, 0);
    assert.ok(dom.id > 0);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_BOOTED });
    const info = await hv.domainGetInfo!(dom);
    assert.equal(info.state, C.VIR_DOMAIN_RUNNING);
    assert.equal(info.maxMem, 65536);
    assert.equal(info.nrVirtCpu, 1);
    assert.equal((await hv.domainLookupByID!(dom.id)).name, 'fw-a');
    assert.equal(await hv.domainIsUpdated!(dom), false);
    await hv.domainSuspend!(dom);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_PAUSED, reason: C.VIR_DOMAIN_PAUSED_USER });
    await hv.domainResume!(dom);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_UNPAUSED });
    const xml = await hv.domainGetXMLDesc!(dom, 0);
    assert.match(xml, new RegExp(`<domain type='kvm' id='${dom.id}'>`));
    assert.match(xml, /<memballoon model='virtio'>/);
    assert.match(xml, /<alias name='balloon0'\/>/);
    await hv.domainDestroy!(dom, 0);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_DESTROYED });
    const evs = r!.events.lifecycle.map((e) => [e.event, e.detail]);
    assert.deepEqual(evs, [
      [C.VIR_DOMAIN_EVENT_DEFINED, C.VIR_DOMAIN_EVENT_DEFINED_ADDED],
      [C.VIR_DOMAIN_EVENT_STARTED, C.VIR_DOMAIN_EVENT_STARTED_BOOTED],
      [C.VIR_DOMAIN_EVENT_SUSPENDED, C.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
      [C.VIR_DOMAIN_EVENT_RESUMED, C.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED],
      [C.VIR_DOMAIN_EVENT_STOPPED, C.VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
    ]);
    // nothing left: no status file, no monitor socket
    assert.deepEqual(readdirSync(join(root, 'run', 'qemu')).filter((f) => f !== 'virtkit-qemu.lock'), []);
  });

  it('starts paused with the paused flag and refuses a second start', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('fw-p'), 0), C.VIR_DOMAIN_START_PAUSED);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_PAUSED, reason: C.VIR_DOMAIN_PAUSED_USER });
    await assert.rejects(hv.domainCreate!(dom, 0), { code: C.VIR_ERR_OPERATION_INVALID, message: /domain is already running/ });
    await assert.rejects(hv.domainCreate!(dom, 0x100), { code: C.VIR_ERR_INVALID_ARG });
  });

  it('keeps guests running across close and reconnects them on reopen', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('fw-r'), 0), 0);
    await hv.domainSuspend!(dom);
    await r!.conn.close();
    r = await openRoot(root);
    const again = await r.hv.domainLookupByName!('fw-r');
    assert.equal(again.id, dom.id);
    assert.deepEqual(await r.hv.domainGetState!(again, 0), { state: C.VIR_DOMAIN_PAUSED, reason: C.VIR_DOMAIN_PAUSED_USER });
    await r.hv.domainResume!(again);
    const next = await r.hv.domainCreate!(await r.hv.domainDefineXML!(firmwareXML('fw-r2'), 0), 0);
    assert.ok(next.id > dom.id, 'ids keep growing after reconnect');
  });

  it('reports a guest that died while nobody watched as shut off (crashed)', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('fw-d'), 0), 0);
    const st = JSON.parse((await import('node:fs')).readFileSync(join(root, 'run', 'qemu', 'fw-d.json'), 'utf8')) as { pid: number };
    await r!.conn.close();
    process.kill(st.pid, 'SIGKILL');
    await new Promise((res) => setTimeout(res, 100));
    r = await openRoot(root);
    assert.deepEqual(await r.hv.domainGetState!(await r.hv.domainLookupByName!('fw-d'), 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_CRASHED });
    void dom;
  });

  it('reports kill -9 of QEMU as shut off (crashed) with STOPPED/FAILED within 200 ms', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('fw-k'), 0), 0);
    const st = JSON.parse((await import('node:fs')).readFileSync(join(root, 'run', 'qemu', 'fw-k.json'), 'utf8')) as { pid: number };
    const t0 = performance.now();
    process.kill(st.pid, 'SIGKILL');
    const ev = await r!.events.wait((e) => e.name === 'fw-k' && e.event === C.VIR_DOMAIN_EVENT_STOPPED, 5000);
    assert.equal(ev.detail, C.VIR_DOMAIN_EVENT_STOPPED_FAILED);
    assert.ok(ev.at - t0 < 200, `event after ${(ev.at - t0).toFixed(0)} ms`);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_CRASHED });
  });

  it('starts autostart domains when a root is opened, and reports the VNC port it got', async () => {
    const hv = r!.hv;
    const dom = await hv.domainDefineXML!(firmwareXML('fw-auto', { extra: "<graphics type='vnc' port='-1' autoport='yes'/>" }), 0);
    await hv.domainSetAutostart!(dom, true);
    assert.equal(await hv.domainGetAutostart!(dom), true);
    await r!.conn.close();
    r = await openRoot(root);
    const again = await r.hv.domainLookupByName!('fw-auto');
    assert.equal((await r.hv.domainGetState!(again, 0)).state, C.VIR_DOMAIN_RUNNING);
    const xml = await r.hv.domainGetXMLDesc!(again, 0);
    assert.match(xml, /<graphics type='vnc' port='59\d\d' autoport='yes'/);
    assert.match(xml, /listen='127\.0\.0\.1'|<listen type='address' address='127\.0\.0\.1'/);
  });

  it('locks the root: a second opener gets OPERATION_FAILED naming the holder pid', async () => {
    await assert.rejects(openRoot(root), (e: { code: number; message: string }) => {
      assert.equal(e.code, C.VIR_ERR_OPERATION_FAILED);
      assert.match(e.message, new RegExp(`locked by process ${process.pid}`));
      return true;
    });
  });

  it('refuses bad URI paths with libvirt\'s message', async () => {
    const events = r!.events;
    await assert.rejects(driver.open({ uri: { ...embedURI('/x'), path: '/foo', raw: 'qemu:///foo', query: {} }, readOnly: false, events }), {
      code: C.VIR_ERR_INTERNAL_ERROR,
      message: /unexpected QEMU URI path '\/foo', try qemu:\/\/\/(system|session)/,
    });
    await assert.rejects(driver.open({ uri: { ...embedURI('x'), query: {} }, readOnly: false, events }), { code: C.VIR_ERR_INVALID_ARG, message: /root parameter is required/ });
    await assert.rejects(driver.open({ uri: embedURI('relative/dir'), readOnly: false, events }), { code: C.VIR_ERR_INVALID_ARG, message: /root path must be absolute/ });
  });

  it('validates names and refuses XML it cannot honour, naming the element', async () => {
    const hv = r!.hv;
    await assert.rejects(hv.domainDefineXML!(firmwareXML('a/b'), 0), { message: /cannot contain '\/'/ });
    await assert.rejects(hv.domainDefineXML!(firmwareXML('.hidden'), 0), { message: /cannot start with '\.'/ });
    await assert.rejects(hv.domainDefineXML!(firmwareXML('fw-m').replace("machine='pc'", "machine='bogus-9'"), 0), { code: C.VIR_ERR_CONFIG_UNSUPPORTED, message: /does not support machine type 'bogus-9'/ });
    const canon = await hv.domainDefineXML!(firmwareXML('fw-canon'), 0);
    assert.match(await hv.domainGetXMLDesc!(canon, C.VIR_DOMAIN_XML_INACTIVE), /machine='pc-i440fx-[\d.]+'/);
    const net = await hv.domainDefineXML!(firmwareXML('fw-net', { extra: "<interface type='network'><source network='default'/></interface>" }), 0);
    await assert.rejects(hv.domainCreate!(net, 0), { code: C.VIR_ERR_CONFIG_UNSUPPORTED, message: /interface type 'network'/ });
    const snd = await hv.domainDefineXML!(firmwareXML('fw-snd', { extra: "<sound model='ich6'/>" }), 0);
    await assert.rejects(hv.domainCreate!(snd, 0), { code: C.VIR_ERR_CONFIG_UNSUPPORTED, message: /<sound>/ });
    assert.equal((await hv.domainGetState!(snd, 0)).state, C.VIR_DOMAIN_SHUTOFF);
    assert.equal(existsSync(join(root, 'run', 'qemu', 'fw-snd.json')), false);
  });

  it('carries QEMU\'s own message when QEMU fails to start', async () => {
    const hv = r!.hv;
    const bad = await hv.domainDefineXML!(firmwareXML('fw-bad', { extra: "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/nonexistent/disk.img'/><target dev='vda' bus='virtio'/></disk>" }), 0);
    await assert.rejects(hv.domainCreate!(bad, 0), (e: { code: number; message: string }) => {
      assert.equal(e.code, C.VIR_ERR_INTERNAL_ERROR);
      assert.match(e.message, /nonexistent\/disk\.img/);
      return true;
    });
    assert.deepEqual(await hv.domainGetState!(bad, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_FAILED });
  });

  it('renames an inactive domain (files, autostart, events) and refuses to rename a running one', async () => {
    const hv = r!.hv;
    const dom = await hv.domainDefineXML!(firmwareXML('fw-old'), 0);
    await hv.domainSetAutostart!(dom, true);
    const renamed = await hv.domainRename!(dom, 'fw-new', 0);
    assert.equal(renamed.name, 'fw-new');
    assert.equal(renamed.uuid, dom.uuid);
    assert.equal(existsSync(join(root, 'etc', 'qemu', 'fw-old.xml')), false);
    assert.equal(existsSync(join(root, 'etc', 'qemu', 'fw-new.xml')), true);
    assert.equal(existsSync(join(root, 'etc', 'qemu', 'autostart', 'fw-new.xml')), true);
    await assert.rejects(hv.domainLookupByName!('fw-old'), { code: C.VIR_ERR_NO_DOMAIN });
    assert.deepEqual(r!.events.lifecycle.slice(-2).map((e) => [e.name, e.event, e.detail]), [
      ['fw-old', C.VIR_DOMAIN_EVENT_UNDEFINED, C.VIR_DOMAIN_EVENT_UNDEFINED_RENAMED],
      ['fw-new', C.VIR_DOMAIN_EVENT_DEFINED, C.VIR_DOMAIN_EVENT_DEFINED_RENAMED],
    ]);
    const running = await hv.domainCreate!(renamed, 0);
    await assert.rejects(hv.domainRename!(running, 'fw-other', 0), { code: C.VIR_ERR_OPERATION_INVALID, message: /cannot rename active domain/ });
  });

  it('undefines a running domain into a transient one that vanishes on destroy', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(firmwareXML('fw-u'), 0), 0);
    await hv.domainUndefine!(dom, 0);
    assert.equal(await hv.domainIsPersistent!(dom), false);
    assert.equal(existsSync(join(root, 'etc', 'qemu', 'fw-u.xml')), false);
    await hv.domainDestroy!(dom, 0);
    await assert.rejects(hv.domainLookupByName!('fw-u'), { code: C.VIR_ERR_NO_DOMAIN });
  });
});
