/**
 * Attaching, detaching and updating devices (config and/or live). libvirt 9.0's test driver
 * lacks these; virtkit offers them with the QEMU driver's semantics so applications can test
 * hot-plug code paths. A live detach emits VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED.
 */
import type { DomainRef } from '@virtkit/core';
import { DEVICE_ARRAYS, addDevice, findDisk, findInterface, formatDomainDeviceXML, parseDomainDeviceXML, removeDevice } from '@virtkit/xml';
import type { DomainDevice } from '@virtkit/xml';
import { Affect, Err, From } from './consts.js';
import { assignInterfaceNames } from './domain-def.js';
import type { DomainDef } from './domain-def.js';
import { affectedDefs } from './domain-defs.js';
import { domObj } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { asVirtError, checkFlags, testError } from './errors.js';

function parseDevice(xml: string): DomainDevice {
  try {
    return parseDomainDeviceXML(xml);
  } catch (e) {
    throw asVirtError(e, From.DOMAIN);
  }
}

/** The device in `def` that `dev` designates: disks by target, NICs by MAC, graphics by type, others by XML. */
function findDevice(def: DomainDef, dev: DomainDevice): DomainDevice | undefined {
  if (dev.kind === 'disk') {
    const d = findDisk(def, dev.def.target.dev);
    return d && { kind: 'disk', def: d };
  }
  if (dev.kind === 'interface') {
    const n = dev.def.mac ? findInterface(def, dev.def.mac) : def.devices.interfaces.length === 1 ? def.devices.interfaces[0] : undefined;
    return n && { kind: 'interface', def: n };
  }
  if (dev.kind === 'memballoon') return def.devices.memballoon && { kind: 'memballoon', def: def.devices.memballoon };
  if (dev.kind === 'graphics') {
    const g = def.devices.graphics.find((x) => x.type === dev.def.type);
    return g && { kind: 'graphics', def: g };
  }
  const want = formatDomainDeviceXML(dev);
  const list = deviceList(def, dev);
  for (const d of list) {
    const cand = { kind: dev.kind, def: d } as DomainDevice;
    if (formatDomainDeviceXML(cand) === want) return cand;
  }
  return undefined;
}

/** The typed array holding devices of `dev`'s kind. */
function deviceList(def: DomainDef, dev: DomainDevice): unknown[] {
  if (dev.kind === 'memballoon') return def.devices.memballoon ? [def.devices.memballoon] : [];
  return def.devices[DEVICE_ARRAYS[dev.kind]] as unknown[];
}

function missing(dev: DomainDevice): Error {
  if (dev.kind === 'disk') return testError(Err.DEVICE_MISSING, `disk ${dev.def.target.dev} not found`, From.DOMAIN);
  if (dev.kind === 'interface') {
    return testError(Err.DEVICE_MISSING, dev.def.mac ? `no device matching MAC address ${dev.def.mac} found` : 'matching network device was not found', From.DOMAIN);
  }
  return testError(Err.DEVICE_MISSING, `matching ${dev.kind} device was not found`, From.DOMAIN);
}

function alias(dev: DomainDevice, index: number): string {
  const a = (dev.def as { alias?: string }).alias;
  if (a) return a;
  if (dev.kind === 'disk') return dev.def.target.dev;
  return `${dev.kind === 'interface' ? 'net' : dev.kind}${index}`;
}

/** virDomainAttachDeviceFlags. */
export function attachDeviceFlags(st: DriverState, ref: DomainRef, xml: string, flags: number): void {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG, 'testDomainAttachDeviceFlags');
  const obj = domObj(st, ref);
  const dev = parseDevice(xml);
  const { live, config } = affectedDefs(obj, flags);
  const targets = [live, config].filter((d): d is DomainDef => d !== undefined);
  for (const def of targets) {
    if (dev.kind === 'disk' && findDisk(def, dev.def.target.dev)) {
      throw testError(Err.OPERATION_FAILED, `target ${dev.def.target.dev} already exists`, From.DOMAIN);
    }
  }
  // apply to copies first so a failure leaves both definitions untouched
  const staged = targets.map((def) => {
    const copy = structuredClone(def);
    addDevice(copy, structuredClone(dev));
    assignInterfaceNames(copy);
    return copy;
  });
  targets.forEach((def, i) => Object.assign(def, staged[i]));
}

/** virDomainDetachDeviceFlags. */
export function detachDeviceFlags(st: DriverState, ref: DomainRef, xml: string, flags: number): void {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG, 'testDomainDetachDeviceFlags');
  const obj = domObj(st, ref);
  const dev = parseDevice(xml);
  const { live, config } = affectedDefs(obj, flags);
  const found = [live, config].map((def) => (def ? findDevice(def, dev) : undefined));
  if ((live && !found[0]) || (config && !found[1])) throw missing(dev);
  let removedAlias: string | undefined;
  if (live && found[0]) {
    removedAlias = alias(found[0], Math.max(0, deviceList(live, found[0]).indexOf(found[0].def)));
    removeDevice(live, found[0]);
  }
  if (config && found[1]) removeDevice(config, found[1]);
  if (removedAlias !== undefined) st.deviceRemovedEvent(obj.ref, removedAlias);
}

/** virDomainUpdateDeviceFlags: replaces a disk (by target) or NIC (by MAC). */
export function updateDeviceFlags(st: DriverState, ref: DomainRef, xml: string, flags: number): void {
  checkFlags(flags, Affect.LIVE | Affect.CONFIG | 4, 'testDomainUpdateDeviceFlags'); // | FORCE
  const obj = domObj(st, ref);
  const dev = parseDevice(xml);
  if (dev.kind !== 'disk' && dev.kind !== 'interface' && dev.kind !== 'graphics') {
    throw testError(Err.OPERATION_UNSUPPORTED, `live update of device '${dev.kind}' is not supported`, From.DOMAIN);
  }
  const { live, config } = affectedDefs(obj, flags);
  const found = [live, config].map((def) => (def ? findDevice(def, dev) : undefined));
  if ((live && !found[0]) || (config && !found[1])) throw missing(dev);
  for (const [i, def] of [live, config].entries()) {
    const old = found[i];
    if (!def || !old) continue;
    const replacement = structuredClone(dev.def) as { alias?: string; address?: unknown };
    const prev = old.def as { alias?: string; address?: unknown };
    // the guest-visible identity (alias, address) stays when the new XML leaves it out
    replacement.alias ??= prev.alias;
    replacement.address ??= prev.address;
    for (const k of Object.keys(replacement) as (keyof typeof replacement)[]) if (replacement[k] === undefined) delete replacement[k];
    const list = deviceList(def, old);
    list[list.indexOf(old.def)] = replacement;
  }
}
