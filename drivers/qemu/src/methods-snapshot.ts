/**
 * Internal snapshots (filled in below as it lands).
 */
import type { HypervisorDriver } from '@virtkit/core';
import type { QemuDriverState } from './driver-state.js';

/** The snapshot methods. */
export function snapshotMethods(_st: QemuDriverState): Partial<HypervisorDriver> {
  return {};
}
