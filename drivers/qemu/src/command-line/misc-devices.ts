/**
 * Controllers, graphics, video, input, memballoon, rng, watchdog and panic devices, and the
 * device families the driver refuses (hostdev, filesystem, sound, tpm).
 */
import type { DomainDef } from '@virtkit/xml';
import { type ArgList, type BuildHost, refuseExtra, unsupported } from './context.js';

/** Adds controllers; returns whether a USB bus exists. */
export function buildControllers(def: DomainDef, host: BuildHost, out: ArgList): boolean {
  let usb = false;
  for (const c of def.devices.controllers) {
    refuseExtra('controller', c.extra, ['@ports', '@vectors', 'driver', 'target', 'model']);
    const idx = c.index ?? 0;
    switch (c.type) {
      case 'pci':
        // pci-root / pcie-root are built in; spare root ports are added for q35 hotplug.
        if (c.model === 'pcie-root-port') out.device({ driver: 'pcie-root-port', id: `pci.${idx}`, bus: 'pcie.0', chassis: idx, port: 0x10 + idx });
        else if (c.model !== undefined && c.model !== 'pci-root' && c.model !== 'pcie-root') unsupported(`PCI controller model '${c.model}'`);
        c.alias = c.model === 'pcie-root-port' ? `pci.${idx}` : host.q35 ? 'pcie.0' : 'pci.0';
        break;
      case 'usb': {
        const model = c.model ?? (host.q35 ? 'qemu-xhci' : 'piix3-uhci');
        if (model === 'none') break;
        const drivers: Record<string, string> = { 'piix3-uhci': 'piix3-usb-uhci', 'qemu-xhci': 'qemu-xhci', 'nec-xhci': 'nec-usb-xhci', ehci: 'usb-ehci' };
        const driver = drivers[model];
        if (!driver) unsupported(`USB controller model '${model}'`);
        out.device({ driver, id: `usb${idx === 0 ? '' : idx}` });
        c.alias = `usb${idx === 0 ? '' : idx}`;
        usb = true;
        break;
      }
      case 'ide':
        if (host.q35) unsupported('IDE controller on a q35 machine');
        c.alias = 'ide';
        break;
      case 'sata':
        if (!host.q35) out.device({ driver: 'ich9-ahci', id: `sata${idx}` });
        c.alias = host.q35 ? 'ide' : `sata${idx}`;
        break;
      case 'scsi':
        if (c.model !== undefined && c.model !== 'virtio-scsi') unsupported(`SCSI controller model '${c.model}'`);
        out.device({ driver: 'virtio-scsi-pci', id: `scsi${idx}` });
        c.alias = `scsi${idx}`;
        break;
      case 'virtio-serial':
        out.device({ driver: 'virtio-serial-pci', id: `virtio-serial${idx}` });
        c.alias = `virtio-serial${idx}`;
        break;
      default:
        unsupported(`controller type '${c.type}'`);
    }
  }
  return usb;
}

/** Adds graphics (VNC on 127.0.0.1 by default; none = `-display none`). */
export function buildGraphics(def: DomainDef, out: ArgList): void {
  const vnc = def.devices.graphics.filter((g) => g.type === 'vnc');
  for (const g of def.devices.graphics) {
    if (g.type !== 'vnc') unsupported(`graphics type '${g.type}'`);
    refuseExtra('graphics', g.extra, ['listen', '@listen', '@keymap', '@sharePolicy']);
  }
  if (vnc.length > 1) unsupported('more than one <graphics type=vnc>');
  out.opt('-display', 'none');
  const g = vnc[0];
  if (g) {
    const listen = g.listen ?? '127.0.0.1';
    const auto = g.autoport !== false && (g.port === undefined || g.port === -1);
    if (auto) out.opt('-vnc', `${listen}:0,to=99,id=vnc0`);
    else {
      if (g.port! < 5900) unsupported(`vnc port ${g.port} (must be >= 5900)`);
      out.opt('-vnc', `${listen}:${g.port! - 5900},id=vnc0`);
    }
  }
}

/** Adds video devices. */
export function buildVideo(def: DomainDef, out: ArgList): void {
  const drivers: Record<string, string> = { vga: 'VGA', cirrus: 'cirrus-vga', virtio: 'virtio-vga', bochs: 'bochs-display', ramfb: 'ramfb', qxl: 'qxl-vga' };
  def.devices.videos.forEach((v, i) => {
    refuseExtra('video', v.extra, ['model']);
    const type = v.model?.type ?? 'vga';
    if (type === 'none') return;
    const driver = i === 0 ? drivers[type] : type === 'virtio' ? 'virtio-gpu-pci' : type === 'qxl' ? 'qxl' : undefined;
    if (!driver) unsupported(`video model '${type}'${i > 0 ? ' as a secondary video device' : ''}`);
    out.device({ driver, id: `video${i}` });
    v.alias = `video${i}`;
  });
}

/** Adds inputs (PS/2 ones are built into x86 machines). */
export function buildInputs(def: DomainDef, out: ArgList, usb: boolean): void {
  def.devices.inputs.forEach((inp, i) => {
    const bus = inp.bus ?? (inp.type === 'tablet' ? 'usb' : 'ps2');
    inp.alias = `input${i}`;
    if (bus === 'ps2') {
      if (inp.type !== 'mouse' && inp.type !== 'keyboard') unsupported(`input type '${inp.type}' on bus ps2`);
      return;
    }
    const drivers: Record<string, Record<string, string>> = {
      usb: { tablet: 'usb-tablet', mouse: 'usb-mouse', keyboard: 'usb-kbd' },
      virtio: { tablet: 'virtio-tablet-pci', mouse: 'virtio-mouse-pci', keyboard: 'virtio-keyboard-pci' },
    };
    const driver = drivers[bus]?.[inp.type];
    if (!driver) unsupported(`input type '${inp.type}' on bus '${bus}'`);
    if (bus === 'usb' && !usb) unsupported(`USB input '${inp.type}' without a USB controller`);
    out.device({ driver, id: `input${i}`, ...(bus === 'usb' ? { bus: 'usb.0' } : {}) });
  });
}

/** Adds the balloon, rngs, watchdogs, panic devices; refuses unsupported families. */
export function buildMiscDevices(def: DomainDef, out: ArgList): void {
  const d = def.devices;
  const bal = d.memballoon;
  if (bal && bal.model !== 'none') {
    refuseExtra('memballoon', bal.extra, ['stats', '@autodeflate', '@freePageReporting']);
    if (bal.model !== 'virtio') unsupported(`memballoon model '${bal.model}'`);
    out.device({ driver: 'virtio-balloon-pci', id: 'balloon0' });
    bal.alias = 'balloon0';
  }
  d.rngs.forEach((r, i) => {
    refuseExtra('rng', r.extra, ['rate']);
    if ((r.model ?? 'virtio') !== 'virtio') unsupported(`rng model '${r.model}'`);
    if ((r.backend?.model ?? 'random') !== 'random') unsupported(`rng backend model '${r.backend?.model}'`);
    out.opt('-object', JSON.stringify({ 'qom-type': 'rng-random', id: `objrng${i}`, filename: r.backend?.path ?? '/dev/urandom' }));
    out.device({ driver: 'virtio-rng-pci', rng: `objrng${i}`, id: `rng${i}` });
    r.alias = `rng${i}`;
  });
  if (d.watchdogs.length > 1) unsupported('more than one <watchdog>');
  for (const w of d.watchdogs) {
    const models: Record<string, string> = { i6300esb: 'i6300esb', ib700: 'ib700' };
    const driver = models[w.model ?? 'i6300esb'];
    if (!driver) unsupported(`watchdog model '${w.model}'`);
    const actions: Record<string, string> = { reset: 'reset', shutdown: 'shutdown', poweroff: 'poweroff', pause: 'pause', none: 'none', dump: 'pause', 'inject-nmi': 'inject-nmi' };
    const action = actions[w.action ?? 'reset'];
    if (!action) unsupported(`watchdog action '${w.action}'`);
    out.device({ driver, id: 'watchdog0' });
    out.opt('-action', `watchdog=${action}`);
    w.alias = 'watchdog0';
  }
  d.panics.forEach((p, i) => {
    if ((p.model ?? 'isa') !== 'isa') unsupported(`panic model '${p.model}'`);
    out.device({ driver: 'pvpanic', ioport: 1285 });
    p.alias = `panic${i}`;
  });
  if (d.hostdevs.length) unsupported('<hostdev> devices');
  if (d.filesystems.length) unsupported('<filesystem> devices');
  if (d.sounds.length) unsupported('<sound> devices');
  if (d.tpms.length) unsupported('<tpm> devices');
  refuseExtra('devices', d.extra);
}
