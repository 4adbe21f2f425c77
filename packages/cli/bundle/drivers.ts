/**
 * The hypervisor drivers of the vksh bundle, in a chunk of their own (dist/vksh-drivers.cjs)
 * that loads when a qemu:// or storage:// URI is first used: a test:///default start never
 * reads it. A function, not the driver objects, is exported: the bundle sees a chunk's exports
 * through stand-ins until the chunk loads, and a call returns the real objects.
 */
import { driver as qemu } from '@virtkit/driver-qemu';
import { driver as storage } from '@virtkit/driver-storage';

/** The QEMU and storage drivers. */
export function hypervisorDrivers(): { qemu: typeof qemu; storage: typeof storage } {
  return { qemu, storage };
}
