/**
 * Interfaces: a `-netdev` backend `hostnetN` and a `-device` frontend `netN`. `user` uses
 * QEMU's slirp; `bridge` and `ethernet` use a tap device the driver creates (and attaches to
 * the bridge) before QEMU starts; `network` needs a network driver and is refused.
 */
import { existsSync } from 'node:fs';
import type { DomainDef, InterfaceDef } from '@virtkit/xml';
import { type ArgList, refuseExtra, unsupported } from './context.js';

/** A tap device to create before starting QEMU (and remove after it stops). */
export interface TapPlan {
  ifname: string;
  bridge?: string;
  /** True when the driver created it (so it deletes it). */
  managed: boolean;
}

const MODELS: Record<string, string> = {
  virtio: 'virtio-net-pci',
  e1000: 'e1000',
  e1000e: 'e1000e',
  rtl8139: 'rtl8139',
};

/** Tap names handed out by this process and not yet released. */
const reserved = new Set<string>();

/** Picks a free `vnetN` (as libvirt names taps), not existing and not reserved. */
function reserveTapName(used: Set<string>): string {
  for (let n = 0; ; n++) {
    const name = `vnet${n}`;
    if (reserved.has(name) || used.has(name) || existsSync(`/sys/class/net/${name}`)) continue;
    reserved.add(name);
    return name;
  }
}

/** Releases a tap name after its device is deleted. */
export function releaseTapName(name: string): void {
  reserved.delete(name);
}

/** The `-netdev` argument and the tap plan for one interface. */
export function netdevArg(iface: InterfaceDef, index: number, usedTaps: Set<string>): { netdev: string; tap?: TapPlan } {
  refuseExtra('interface', iface.extra);
  const id = `hostnet${index}`;
  switch (iface.type) {
    case 'user':
      return { netdev: `user,id=${id}` };
    case 'bridge':
    case 'ethernet': {
      if (iface.type === 'bridge' && !iface.source?.bridge) unsupported(`interface ${index}: <source bridge> is missing`);
      let ifname = iface.target?.dev;
      const managed = ifname === undefined || iface.type === 'bridge';
      if (ifname === undefined || /^vnet\d+$/.test(ifname)) ifname = reserveTapName(usedTaps);
      usedTaps.add(ifname);
      iface.target = { ...iface.target, dev: ifname };
      const tap: TapPlan = { ifname, managed };
      if (iface.type === 'bridge') tap.bridge = iface.source!.bridge!;
      return { netdev: `tap,id=${id},ifname=${ifname},script=no,downscript=no`, tap };
    }
    case 'network':
      return unsupported(`interface type 'network' needs a network driver (not available on this connection)`);
    default:
      return unsupported(`interface type '${iface.type}'`);
  }
}

/** The `-device` frontend of one interface. */
export function netDevice(iface: InterfaceDef, index: number, bootindex?: number): Record<string, unknown> {
  const model = iface.model ?? 'virtio';
  const driver = MODELS[model];
  if (!driver) unsupported(`interface model '${model}'`);
  const dev: Record<string, unknown> = { driver, netdev: `hostnet${index}`, id: `net${index}` };
  if (iface.mac) dev.mac = iface.mac;
  if (bootindex !== undefined) dev.bootindex = bootindex;
  return dev;
}

/** Adds every interface; returns the taps to create. */
export function buildInterfaces(def: DomainDef, out: ArgList, bootOrders: Map<object, number>): TapPlan[] {
  const taps: TapPlan[] = [];
  const used = new Set<string>();
  def.devices.interfaces.forEach((iface, i) => {
    const { netdev, tap } = netdevArg(iface, i, used);
    if (tap) taps.push(tap);
    iface.alias = `net${i}`;
    out.opt('-netdev', netdev);
    out.device(netDevice(iface, i, bootOrders.get(iface)));
  });
  return taps;
}
