/**
 * Device attach/detach (filled in below as it lands).
 */
import type { HypervisorDriver } from '@virtkit/core';
import type { QemuDriverState } from './driver-state.js';

/** The device methods. */
export function deviceMethods(_st: QemuDriverState): Partial<HypervisorDriver> {
  return {};
}
