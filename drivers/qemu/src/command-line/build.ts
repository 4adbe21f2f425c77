/**
 * The QEMU command line for a domain definition, as libvirt builds it: `-S -no-user-config
 * -nodefaults -no-shutdown`, name/uuid, machine + accelerator, cpu, memory, smp, boot, direct
 * kernel boot, the monitor on an inherited fd, devices (JSON `-device`/`-blockdev`), sandbox.
 * The definition passed in is the live copy: device aliases are written into it.
 */
import type { DomainDef } from '@virtkit/xml';
import { ArgList, type BuildHost, refuseExtra, unsupported } from './context.js';
import { buildDisks } from './disks.js';
import { buildInterfaces, type TapPlan } from './net.js';
import { buildChardevs } from './chardev.js';
import { buildControllers, buildGraphics, buildInputs, buildMiscDevices, buildVideo } from './misc-devices.js';

export type { BuildHost } from './context.js';
export type { TapPlan } from './net.js';

/** The built command line. */
export interface QemuCommandLine {
  args: string[];
  taps: TapPlan[];
}

/** Spare PCIe root ports added to q35 machines for hotplug, and their id prefix. */
export const Q35_SPARE_PORTS = 4;
export const SPARE_PORT_PREFIX = 'hotplug-port';

/** Domain-level elements that do not change the command line and are accepted. */
const HARMLESS = ['seclabel', 'resource', 'pm', 'on_lockfailure', 'keywrap', 'sysinfo', 'idmap', 'perf'];

function cpuArgs(def: DomainDef, host: BuildHost, out: ArgList): void {
  const cpu = def.cpu;
  if (cpu) refuseExtra('cpu', cpu.extra, ['feature', 'cache', 'numa', 'vendor']);
  const mode = cpu?.mode ?? (cpu?.model ? 'custom' : undefined);
  let model: string | undefined;
  if (mode === 'host-passthrough' || mode === 'maximum') model = host.accel === 'kvm' && mode === 'host-passthrough' ? 'host' : 'max';
  else if (mode === 'host-model') model = host.accel === 'kvm' ? 'host' : 'max';
  else if (mode === 'custom' || mode === undefined) model = cpu?.model;
  else unsupported(`cpu mode '${mode}'`);
  if (model) out.opt('-cpu', model);
}

function smpArgs(def: DomainDef, out: ArgList): void {
  const n = def.vcpu?.count ?? 1;
  const current = def.vcpu?.current ?? n;
  const topo = def.cpu?.topology;
  let smp = `${current}`;
  if (current !== n) smp += `,maxcpus=${n}`;
  if (topo) {
    const sockets = topo.sockets ?? 1;
    const dies = topo.dies ?? 1;
    const cores = topo.cores ?? 1;
    const threads = topo.threads ?? 1;
    if (sockets * dies * cores * threads !== n) {
      unsupported(`CPU topology doesn't match maximum vcpu count`);
    }
    smp += `,sockets=${sockets},dies=${dies},cores=${cores},threads=${threads}`;
  } else if (current !== n) {
    smp += `,sockets=${n},cores=1,threads=1`;
  }
  out.opt('-smp', smp);
}

/** Collects `<boot order>` of devices; `<os><boot dev>` becomes `-boot order=`. */
function bootOrders(def: DomainDef): Map<object, number> {
  const m = new Map<object, number>();
  for (const d of def.devices.disks) if (d.boot) m.set(d, d.boot.order);
  for (const i of def.devices.interfaces) if (i.boot) m.set(i, i.boot.order);
  if (m.size > 0 && def.os.boot.length > 0) {
    unsupported('per-device boot elements cannot be used together with os/boot elements');
  }
  return m;
}

/** Builds the command line of `def` (mutated: aliases assigned). */
export function buildCommandLine(def: DomainDef, host: BuildHost): QemuCommandLine {
  refuseExtra('domain', def.extra, HARMLESS);
  refuseExtra('os', def.os.extra, ['bootmenu', 'smbios', 'bios', 'nvram', 'acpi']);
  if (def.os.type !== 'hvm') unsupported(`os type '${def.os.type}'`);
  if (def.os.arch !== undefined && def.os.arch !== 'x86_64' && def.os.arch !== 'i686') unsupported(`architecture '${def.os.arch}'`);
  const out = new ArgList();
  out.opt('-name', `guest=${def.name.replace(/,/g, ',,')},debug-threads=on`);
  out.opt('-S');
  const features = new Set((def.features?.items ?? []).map((f) => f.name));
  const machineOpts = [host.machine, 'usb=off', 'dump-guest-core=off'];
  out.opt('-machine', machineOpts.join(','));
  out.opt('-accel', host.accel);
  cpuArgs(def, host, out);
  const maxMem = def.maxMemory;
  out.opt('-m', maxMem ? `size=${def.memory}k,slots=${maxMem.slots ?? 0},maxmem=${maxMem.kib}k` : `size=${def.memory}k`);
  out.opt('-overcommit', 'mem-lock=off');
  smpArgs(def, out);
  out.opt('-uuid', def.uuid ?? unsupported('domain has no uuid'));
  out.opt('-no-user-config');
  out.opt('-nodefaults');
  out.opt('-chardev', 'socket,id=charmonitor,fd=3,server=on,wait=off');
  out.opt('-mon', 'chardev=charmonitor,id=monitor,mode=control');
  const clock = def.clock?.offset ?? 'utc';
  if (clock !== 'utc' && clock !== 'localtime') unsupported(`clock offset '${clock}'`);
  out.opt('-rtc', `base=${clock}`);
  out.opt('-no-shutdown');
  // on_reboot=destroy: the guest's reboot becomes a SHUTDOWN (reason guest-reset), as libvirt.
  const onReboot = def.onReboot ?? 'restart';
  if (onReboot === 'destroy') out.opt('-no-reboot');
  else if (onReboot !== 'restart') unsupported(`on_reboot action '${onReboot}'`);
  if (!features.has('acpi')) out.opt('-no-acpi');
  for (const f of features) {
    if (!['acpi', 'apic', 'pae', 'vmport', 'hyperv', 'kvm', 'pmu', 'vmcoreinfo', 'smm'].includes(f)) unsupported(`domain feature '${f}'`);
  }
  const orders = bootOrders(def);
  if (def.os.boot.length > 0) {
    const map: Record<string, string> = { hd: 'c', cdrom: 'd', network: 'n', fd: 'a' };
    out.opt('-boot', `order=${def.os.boot.map((b) => map[b] ?? unsupported(`boot device '${b}'`)).join('')},strict=on`);
  } else {
    out.opt('-boot', 'strict=on');
  }
  if (def.os.loader?.path) {
    const t = def.os.loader.type ?? 'rom';
    if (t !== 'rom') unsupported(`loader type '${t}'`);
    out.opt('-bios', def.os.loader.path);
  }
  if (def.os.kernel) out.opt('-kernel', def.os.kernel);
  if (def.os.initrd) out.opt('-initrd', def.os.initrd);
  if (def.os.cmdline) out.opt('-append', def.os.cmdline);
  if (def.os.dtb) unsupported('<dtb> on x86');
  const usb = buildControllers(def, host, out);
  if (host.q35) {
    // pcie.0 does not take hotplugged devices: spare root ports, as libvirt adds, for attach.
    for (let i = 0; i < Q35_SPARE_PORTS; i++) {
      out.device({ driver: 'pcie-root-port', port: 0x10 + i, chassis: 0x10 + i, id: `${SPARE_PORT_PREFIX}${i}`, bus: 'pcie.0' });
    }
  }
  buildDisks(def, host, out, orders);
  const taps = buildInterfaces(def, out, orders);
  buildChardevs(def, out);
  buildInputs(def, out, usb);
  buildGraphics(def, out);
  buildVideo(def, out);
  buildMiscDevices(def, out);
  out.opt('-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny');
  out.opt('-msg', 'timestamp=on');
  return { args: out.args, taps };
}
