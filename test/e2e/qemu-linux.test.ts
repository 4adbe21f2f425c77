/**
 * A real Linux guest under TCG (Debian's cloud kernel + a busybox initramfs, built lazily and
 * cached, see drivers/qemu/test/support/guest-image.ts): ACPI shutdown, reboot, pvpanic and
 * save + restore.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireHost } from '../support/host.js';
import { ensureGuestImage, type GuestImage } from '../../drivers/qemu/test/support/guest-image.js';
import { openRoot, tempRoot, teardownRoot, type OpenRoot } from '../../drivers/qemu/test/support/harness.js';
import * as C from '../../drivers/qemu/src/constants.js';

function linuxXML(name: string, img: GuestImage, root: string, cmdline = ''): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${img.kernel}</kernel>
    <initrd>${img.initrd}</initrd>
    <cmdline>console=ttyS0 quiet ${cmdline}</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <serial type='file'><source path='${join(root, `${name}.serial`)}'/><target port='0'/></serial>
    <panic model='isa'/>
  </devices>
</domain>`;
}

async function waitSerial(root: string, name: string, marker: string, count = 1, timeoutMs = 30_000): Promise<void> {
  const file = join(root, `${name}.serial`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.split(marker).length - 1 >= count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`guest ${name} did not print ${marker} x${count}`);
}

describe('qemu driver: Linux guest under TCG', function () {
  this.timeout(120_000);
  let img: GuestImage;
  let r: OpenRoot | undefined;
  let root: string;

  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64', 'apt-get', 'dpkg', 'cpio'], paths: ['/bin/busybox'] });
    this.timeout(180_000);
    try {
      img = ensureGuestImage();
    } catch (e) {
      if (process.env.VIRTKIT_REQUIRE_HOST === '1') throw e;
      console.log(`    skipped: cannot build the Linux test guest: ${(e as Error).message.split('\n')[0]}`);
      this.skip();
    }
  });
  beforeEach(async () => {
    root = tempRoot('linux');
    r = await openRoot(root);
  });
  afterEach(async () => {
    await teardownRoot(r);
    r = undefined;
  });

  it('shutdown powers the guest off through ACPI: SHUTDOWN guest, then shut off (shutdown)', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(linuxXML('lin-sd', img, root), 0), 0);
    await waitSerial(root, 'lin-sd', 'VIRTKIT-READY');
    await hv.domainShutdown!(dom, 0);
    const stopped = await r!.events.wait((e) => e.name === 'lin-sd' && e.event === C.VIR_DOMAIN_EVENT_STOPPED);
    assert.equal(stopped.detail, C.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    const sd = r!.events.lifecycle.find((e) => e.event === C.VIR_DOMAIN_EVENT_SHUTDOWN);
    assert.equal(sd?.detail, C.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_SHUTDOWN });
  });

  it('a guest that powered off while nobody watched is shut off (shutdown) on the next open', async () => {
    const hv = r!.hv;
    await hv.domainCreate!(await hv.domainDefineXML!(linuxXML('lin-uw', img, root), 0), 0);
    await waitSerial(root, 'lin-uw', 'VIRTKIT-READY');
    const status = JSON.parse(readFileSync(join(root, 'run', 'qemu', 'lin-uw.json'), 'utf8')) as { monitor: string };
    await r!.conn.close();
    // Press the power button ourselves, through the monitor the driver no longer holds.
    const { QmpClient } = await import('@virtkit/qmp-client');
    const qmp = await QmpClient.connect(status.monitor);
    const down = qmp.waitForEvent('SHUTDOWN', { timeout: 20_000 });
    await qmp.execute('system_powerdown');
    await down;
    await qmp.close();
    r = await openRoot(root);
    assert.deepEqual(await r.hv.domainGetState!(await r.hv.domainLookupByName!('lin-uw'), 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_SHUTDOWN });
  });

  it('reboot resets the guest: it boots again and keeps running', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(linuxXML('lin-rb', img, root), 0), 0);
    await waitSerial(root, 'lin-rb', 'VIRTKIT-READY');
    await hv.domainReboot!(dom, 0);
    await waitSerial(root, 'lin-rb', 'VIRTKIT-READY', 2);
    assert.ok(r!.events.reboots.includes('lin-rb'), 'reboot event');
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_BOOTED });
    assert.equal(r!.events.lifecycle.some((e) => e.event === C.VIR_DOMAIN_EVENT_STOPPED), false);
  });

  it('reports a pvpanic as crashed, then shut off (crashed) by on_crash=destroy', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(linuxXML('lin-pn', img, root, 'virtkit.panic'), 0), 0);
    const crashed = await r!.events.wait((e) => e.name === 'lin-pn' && e.event === C.VIR_DOMAIN_EVENT_CRASHED);
    assert.equal(crashed.detail, C.VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    const stopped = await r!.events.wait((e) => e.name === 'lin-pn' && e.event === C.VIR_DOMAIN_EVENT_STOPPED);
    assert.equal(stopped.detail, C.VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_CRASHED });
  });

  it('save + restore brings the guest back running (and it still answers ACPI)', async () => {
    const hv = r!.hv;
    const dom = await hv.domainCreate!(await hv.domainDefineXML!(linuxXML('lin-sv', img, root), 0), 0);
    await waitSerial(root, 'lin-sv', 'VIRTKIT-READY');
    const file = join(root, 'lin-sv.save');
    await hv.domainSave!(dom, file, undefined, 0, {});
    assert.deepEqual(await hv.domainGetState!(dom, 0), { state: C.VIR_DOMAIN_SHUTOFF, reason: C.VIR_DOMAIN_SHUTOFF_SAVED });
    await hv.domainRestore!(file, undefined, 0, {});
    const back = await hv.domainLookupByName!('lin-sv');
    assert.deepEqual(await hv.domainGetState!(back, 0), { state: C.VIR_DOMAIN_RUNNING, reason: C.VIR_DOMAIN_RUNNING_RESTORED });
    await hv.domainShutdown!(back, 0);
    const stopped = await r!.events.wait((e) => e.name === 'lin-sv' && e.event === C.VIR_DOMAIN_EVENT_STOPPED && e.detail === C.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    assert.ok(stopped);
    const kinds = r!.events.lifecycle.map((e) => [e.event, e.detail]);
    // As libvirt: the save pauses the guest (SUSPENDED/PAUSED), then STOPPED/SAVED.
    assert.deepEqual(kinds.slice(0, 5), [
      [C.VIR_DOMAIN_EVENT_DEFINED, 0],
      [C.VIR_DOMAIN_EVENT_STARTED, C.VIR_DOMAIN_EVENT_STARTED_BOOTED],
      [C.VIR_DOMAIN_EVENT_SUSPENDED, C.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
      [C.VIR_DOMAIN_EVENT_STOPPED, C.VIR_DOMAIN_EVENT_STOPPED_SAVED],
      [C.VIR_DOMAIN_EVENT_STARTED, C.VIR_DOMAIN_EVENT_STARTED_RESTORED],
    ]);
  });
});
