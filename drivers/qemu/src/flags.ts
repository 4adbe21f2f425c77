/**
 * Flag checking as libvirt's virCheckFlags: unknown bits -> VIR_ERR_INVALID_ARG naming the
 * function ("unsupported flags (0x4) in function qemuDomainUndefineFlags").
 */
import { virtError } from '@virtkit/core';
import { VIR_ERR_INVALID_ARG } from './constants.js';

/** Throws when `flags` has bits outside `allowed`. */
export function checkFlagsLocal(flags: number, allowed: number, fn = 'qemuDriver'): void {
  const bad = flags & ~allowed;
  if (bad) throw virtError(VIR_ERR_INVALID_ARG, `unsupported flags (0x${bad.toString(16)}) in function ${fn}`);
}
