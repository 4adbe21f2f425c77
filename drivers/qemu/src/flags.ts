/**
 * Flag checking as libvirt's virCheckFlags, through core's one implementation, with the QEMU
 * driver's error domain: unknown bits -> VIR_ERR_INVALID_ARG naming the driver function
 * ("unsupported flags (0x4) in function qemuDomainUndefineFlags").
 */
import { checkFlags, VIR_FROM_QEMU } from '@virtkit/core';

/** Throws when `flags` has bits outside `allowed`; `fn` is libvirt's QEMU driver function name. */
export function checkQemuFlags(flags: number, allowed: number, fn: string): void {
  checkFlags(flags, allowed, fn, VIR_FROM_QEMU);
}
