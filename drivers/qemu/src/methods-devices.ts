/**
 * Device attach/detach, live and in the config (disks and interfaces). Live attach adds the
 * backend (`blockdev-add` / `netdev_add`) and then the frontend (`device_add`) with libvirt's
 * alias as id; live detach sends `device_del` and waits for DEVICE_DELETED (5 s, as libvirt's
 * qemuDomainWaitForDeviceRemoval; a guest that has not released the device by then keeps it
 * in the live XML until the event comes), then deletes the backend.
 */
import { checkQemuFlags } from './flags.js';
import { virtError, type HypervisorDriver } from '@virtkit/core';
import { parseDomainDeviceXML, type DiskDef, type DomainDef, type InterfaceDef, generateMAC } from '@virtkit/xml';
import type { QemuDriverState } from './driver-state.js';
import type { QemuDomainObj } from './domain-obj.js';
import { diskAlias, diskBlockdevs, diskDevice, diskSourcePath } from './command-line/disks.js';
import { netDevice } from './command-line/net.js';
import { Q35_SPARE_PORTS, SPARE_PORT_PREFIX } from './command-line/build.js';
import { removeLiveDevice } from './monitor-events.js';
import { resolveVolumes } from './volume-resolver.js';
import * as C from './constants.js';
import { resolveAffect } from './affect.js';

/** How long live detach waits for the guest (libvirt: 5 s). */
export const DEVICE_REMOVAL_WAIT_MS = Number(process.env.VIRTKIT_QEMU_UNPLUG_WAIT_MS ?? 5000);

type Dev = { kind: 'disk'; def: DiskDef } | { kind: 'interface'; def: InterfaceDef };

function parseSupported(xml: string): Dev {
  const dev = parseDomainDeviceXML(xml);
  if (dev.kind !== 'disk' && dev.kind !== 'interface') {
    throw virtError(C.VIR_ERR_OPERATION_UNSUPPORTED, `live attach of device '${dev.kind}' is not supported`);
  }
  return dev as Dev;
}

function affect(obj: QemuDomainObj, flags: number): { live: boolean; config: boolean } {
  return resolveAffect(obj, flags, 'cannot modify device on transient domain');
}

function findDevice(def: DomainDef, dev: Dev): DiskDef | InterfaceDef | undefined {
  if (dev.kind === 'disk') return def.devices.disks.find((d) => d.target.dev === dev.def.target.dev);
  const mac = dev.def.mac?.toLowerCase();
  const matches = def.devices.interfaces.filter((i) => (mac ? i.mac?.toLowerCase() === mac : true));
  if (!mac && matches.length > 1) throw virtError(C.VIR_ERR_OPERATION_FAILED, 'multiple devices matching MAC address  found');
  return matches[0];
}

function addToConfig(def: DomainDef, dev: Dev): void {
  if (findDevice(def, dev) && dev.kind === 'disk') throw virtError(C.VIR_ERR_OPERATION_INVALID, `target ${dev.def.target.dev} already exists`);
  if (dev.kind === 'disk') def.devices.disks.push(structuredClone(dev.def));
  else def.devices.interfaces.push(structuredClone(dev.def));
}

async function nextNodeIndex(obj: QemuDomainObj): Promise<number> {
  const nodes = (await obj.mon().execute('query-named-block-nodes')) as { 'node-name': string }[];
  let max = obj.liveDef!.devices.disks.length;
  for (const n of nodes) {
    const m = /^libvirt-(\d+)-/.exec(n['node-name']);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/** On q35, a spare root port with nothing plugged in (hotplug cannot target pcie.0). */
async function freeRootPort(obj: QemuDomainObj): Promise<string | undefined> {
  if (!/q35/.test(obj.liveDef!.os.machine ?? '')) return undefined;
  const mon = obj.mon();
  const used = new Set<string>();
  const live = obj.liveDef!.devices;
  for (const alias of [...live.disks, ...live.interfaces].map((d) => d.alias).filter((a): a is string => !!a)) {
    const bus = await mon.execute<string>('qom-get', { path: `/machine/peripheral/${alias}`, property: 'parent_bus' }).catch(() => '');
    const m = new RegExp(`/(${SPARE_PORT_PREFIX}\\d+)/`).exec(bus);
    if (m) used.add(m[1]!);
  }
  for (let i = 0; i < Q35_SPARE_PORTS; i++) if (!used.has(`${SPARE_PORT_PREFIX}${i}`)) return `${SPARE_PORT_PREFIX}${i}`;
  throw virtError(C.VIR_ERR_OPERATION_FAILED, 'no free PCIe root port left for hotplug');
}

async function attachLive(st: QemuDriverState, obj: QemuDomainObj, dev: Dev): Promise<void> {
  const live = obj.liveDef!;
  const machine = live.os.machine ?? 'pc';
  const host = { machine, accel: live.type === 'kvm' ? ('kvm' as const) : ('tcg' as const), q35: /q35/.test(machine) };
  const mon = obj.mon();
  if (dev.kind === 'disk') {
    const d = structuredClone(dev.def);
    await resolveVolumes({ ...live, devices: { ...live.devices, disks: [d] } }, st.uri);
    if (live.devices.disks.some((x) => x.target.dev === d.target.dev)) throw virtError(C.VIR_ERR_OPERATION_FAILED, `target ${d.target.dev} already exists`);
    const path = diskSourcePath(d);
    d.alias = diskAlias(d, host.q35);
    let drive: string | undefined;
    const added: string[] = [];
    try {
      if (path !== undefined) {
        const n = await nextNodeIndex(obj);
        for (const b of diskBlockdevs(d, n, path)) {
          await mon.execute('blockdev-add', b);
          added.unshift(b['node-name'] as string);
        }
        drive = added[0];
      }
      const props = diskDevice(d, host, drive, d.alias);
      if (props.bus === 'scsi0.0' && !live.devices.controllers.some((c) => c.type === 'scsi')) {
        throw virtError(C.VIR_ERR_OPERATION_UNSUPPORTED, `SCSI disk '${d.target.dev}' needs a SCSI controller in the domain`);
      }
      const { driver, ...args } = props;
      if (String(driver).endsWith('-pci')) {
        const port = await freeRootPort(obj);
        if (port) args.bus = port;
      }
      await mon.execute('device_add', { driver, ...args });
    } catch (e) {
      for (const node of added) await mon.execute('blockdev-del', { 'node-name': node }).catch(() => undefined);
      throw e;
    }
    live.devices.disks.push(d);
  } else {
    const i = structuredClone(dev.def);
    if (i.type !== 'user') throw virtError(C.VIR_ERR_OPERATION_UNSUPPORTED, `live attach of interface type '${i.type}'`);
    i.mac ??= generateMAC();
    let n = 0;
    while (live.devices.interfaces.some((x) => x.alias === `net${n}`)) n++;
    await mon.execute('netdev_add', { type: 'user', id: `hostnet${n}` });
    try {
      const { driver, ...args } = netDevice(i, n);
      const port = await freeRootPort(obj);
      if (port) args.bus = port;
      await mon.execute('device_add', { driver, ...args });
    } catch (e) {
      await mon.execute('netdev_del', { id: `hostnet${n}` }).catch(() => undefined);
      throw e;
    }
    i.alias = `net${n}`;
    live.devices.interfaces.push(i);
  }
  await st.saveStatus(obj);
}

async function detachLive(st: QemuDriverState, obj: QemuDomainObj, dev: Dev): Promise<void> {
  const live = obj.liveDef!;
  const found = findDevice(live, dev);
  if (!found) throw virtError(C.VIR_ERR_DEVICE_MISSING, dev.kind === 'disk' ? `disk ${dev.def.target.dev} not found` : `no device matching MAC address ${dev.def.mac ?? ''} found`);
  const alias = found.alias;
  if (!alias) throw virtError(C.VIR_ERR_OPERATION_FAILED, 'device alias not found');
  const mon = obj.mon();
  let format: string | undefined;
  if (dev.kind === 'disk') {
    const blocks = (await mon.execute('query-block')) as { qdev?: string; inserted?: { 'node-name'?: string } }[];
    format = blocks.find((b) => b.qdev === alias || b.qdev?.startsWith(`/machine/peripheral/${alias}/`))?.inserted?.['node-name'];
  }
  const deleted = mon.waitForEvent('DEVICE_DELETED', (e) => (e.data as { device?: string }).device === alias, DEVICE_REMOVAL_WAIT_MS).then(() => true, () => false);
  await mon.execute('device_del', { id: alias });
  if (!(await deleted)) return; // the guest has not released it yet: the event will remove it
  removeLiveDevice(obj, alias);
  if (format) {
    await mon.execute('blockdev-del', { 'node-name': format }).catch(() => undefined);
    await mon.execute('blockdev-del', { 'node-name': format.replace(/-format$/, '-storage') }).catch(() => undefined);
  } else if (dev.kind === 'interface') {
    await mon.execute('netdev_del', { id: `host${alias}` }).catch(() => undefined);
  }
  await st.saveStatus(obj);
}

/** The device methods. */
export function deviceMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  const FLAGS = C.VIR_DOMAIN_AFFECT_LIVE | C.VIR_DOMAIN_AFFECT_CONFIG;
  return {
    async domainAttachDeviceFlags(ref, xml, flags) {
      checkQemuFlags(flags, FLAGS, 'qemuDomainAttachDeviceFlags');
      const obj = st.get(ref);
      const dev = parseSupported(xml);
      await obj.job.run('modify', async () => {
        const { live, config } = affect(obj, flags);
        if (config) {
          const next = structuredClone(obj.persistentDef!);
          addToConfig(next, dev);
          if (dev.kind === 'interface') next.devices.interfaces.at(-1)!.mac ??= generateMAC();
          if (live) await attachLive(st, obj, dev);
          obj.persistentDef = next;
          await st.saveConfig(obj);
        } else if (live) {
          await attachLive(st, obj, dev);
        }
      });
    },
    async domainDetachDeviceFlags(ref, xml, flags) {
      checkQemuFlags(flags, FLAGS, 'qemuDomainDetachDeviceFlags');
      const obj = st.get(ref);
      const dev = parseSupported(xml);
      await obj.job.run('modify', async () => {
        const { live, config } = affect(obj, flags);
        let next: DomainDef | undefined;
        if (config) {
          next = structuredClone(obj.persistentDef!);
          const found = findDevice(next, dev);
          if (!found) throw virtError(C.VIR_ERR_DEVICE_MISSING, dev.kind === 'disk' ? `no target device ${dev.def.target.dev}` : `no device matching MAC address ${dev.def.mac ?? ''} found`);
          if (dev.kind === 'disk') next.devices.disks = next.devices.disks.filter((d) => d !== found);
          else next.devices.interfaces = next.devices.interfaces.filter((d) => d !== found);
        }
        if (live) await detachLive(st, obj, dev);
        if (next) {
          obj.persistentDef = next;
          await st.saveConfig(obj);
        }
      });
    },
  };
}
