/**
 * Typed mutations drivers apply before re-formatting: devices in and out, memory and vCPUs,
 * and the defaults libvirt fills in on define (UUID, MACs, lifecycle actions, clock).
 */
import { virtError } from '@virtkit/core';
import { VIR_ERR_INVALID_ARG, VIR_ERR_OPERATION_INVALID } from '../util/codes.js';
import { generateMAC } from '../util/mac.js';
import { generateUUID } from '../util/uuid.js';
import { checkDuplicateDiskTargets } from './devices.js';
import { insertDisk } from './disk.js';
import { applyParseDefaults } from './domain-parse.js';
import { addImplicitDevices } from './implicit-devices.js';
import { DEVICE_ARRAYS, type DomainDevice } from './domain-device.js';
import type { DiskDef, InterfaceDef } from './device-types.js';
import type { DomainDef } from './domain-types.js';

/**
 * Adds `dev` after the existing devices of its family (disks sorted per bus by target, as
 * libvirt), then assigns what libvirt's post-parse would (drive address, controllers, ports).
 * A second memballoon is refused.
 */
export function addDevice(def: DomainDef, dev: DomainDevice): void {
  if (dev.kind === 'memballoon') {
    if (def.devices.memballoon) throw virtError(VIR_ERR_OPERATION_INVALID, 'domain already has a memory balloon device');
    def.devices.memballoon = dev.def;
    return;
  }
  if (dev.kind === 'disk') {
    const disks = def.devices.disks;
    const prev = disks.slice();
    // as virDomainDiskInsert: sorted by target index among disks of the same bus
    insertDisk(disks, dev.def, (d) => d.target.bus, (d) => d.target.dev);
    try {
      checkDuplicateDiskTargets(def.devices);
    } catch (e) {
      disks.splice(0, disks.length, ...prev);
      throw e;
    }
  } else (def.devices[DEVICE_ARRAYS[dev.kind]] as unknown[]).push(dev.def);
  // as libvirt's device post-parse: drive address, controllers, port numbers
  addImplicitDevices(def);
}

/** Removes the device object `dev.def` (by identity); returns whether it was there. */
export function removeDevice(def: DomainDef, dev: DomainDevice): boolean {
  if (dev.kind === 'memballoon') {
    if (def.devices.memballoon !== dev.def) return false;
    delete def.devices.memballoon;
    return true;
  }
  const list = def.devices[DEVICE_ARRAYS[dev.kind]] as unknown[];
  const i = list.indexOf(dev.def);
  if (i < 0) return false;
  list.splice(i, 1);
  return true;
}

/** The disk with target `dev` (e.g. 'vda'), or undefined. */
export function findDisk(def: DomainDef, target: string): DiskDef | undefined {
  return def.devices.disks.find((d) => d.target.dev === target);
}

/** The interface with MAC `mac` (any case/format), or undefined. */
export function findInterface(def: DomainDef, mac: string): InterfaceDef | undefined {
  const m = mac.toLowerCase();
  return def.devices.interfaces.find((n) => n.mac === m);
}

/** Sets the maximum memory (KiB); the balloon is clamped to it, as libvirt does. */
export function setMemory(def: DomainDef, kib: number): void {
  if (!Number.isSafeInteger(kib) || kib <= 0) throw virtError(VIR_ERR_INVALID_ARG, `memory size ${kib} must be a positive integer`);
  def.memory = kib;
  if (def.currentMemory === undefined || def.currentMemory > kib) def.currentMemory = kib;
}

/** Sets the current (balloon) memory in KiB; it may not exceed the maximum. */
export function setCurrentMemory(def: DomainDef, kib: number): void {
  if (!Number.isSafeInteger(kib) || kib <= 0) throw virtError(VIR_ERR_INVALID_ARG, `memory size ${kib} must be a positive integer`);
  if (kib > def.memory) throw virtError(VIR_ERR_INVALID_ARG, 'cannot set memory higher than max memory');
  def.currentMemory = kib;
}

/** Sets the maximum and (optionally) current vCPU count. */
export function setVcpus(def: DomainDef, count: number, current?: number): void {
  if (!Number.isSafeInteger(count) || count < 1) throw virtError(VIR_ERR_INVALID_ARG, `vcpu count ${count} must be a positive integer`);
  if (current !== undefined && (current < 1 || current > count)) {
    throw virtError(VIR_ERR_INVALID_ARG, `requested vcpus is greater than max allowable vcpus for the domain: ${current} > ${count}`);
  }
  const v = def.vcpu ?? { count, placement: 'static' };
  v.count = count;
  if (current === undefined || current === count) delete v.current;
  else v.current = current;
  def.vcpu = v;
}

/** Options of {@link assignDomainDefaults}. */
export interface DomainDefaultsOptions {
  /** Prefix of generated MACs; QEMU/KVM's is 52:54:00 (the default). */
  macPrefix?: string;
}

/**
 * Fills what libvirt fills on define: a UUID, MACs of interfaces without one, and the parser's
 * defaults (balloon, one static vCPU, clock utc, destroy/restart/destroy, boot from disk) for
 * definitions built in code.
 */
export function assignDomainDefaults(def: DomainDef, opts: DomainDefaultsOptions = {}): DomainDef {
  def.uuid ??= generateUUID();
  for (const n of def.devices.interfaces) n.mac ??= generateMAC(opts.macPrefix);
  // the parser's defaults too, for definitions built in code
  applyParseDefaults(def);
  return def;
}
