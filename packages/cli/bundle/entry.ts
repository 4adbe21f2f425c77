/**
 * Entry of the bundled bin (dist/vksh.cjs, built by `npm run bundle`): one CommonJS file,
 * loaded by bin/vksh.js through V8's code cache. It carries the test driver, initialised
 * lazily and registered with core only when a test:// URI is used, and the QEMU and storage
 * drivers in a chunk loaded for qemu:// and storage:// URIs (drivers.ts). Kept outside src/ so the
 * CLI package has no compile-time dependency on any driver.
 */
import { provideBuiltinDriver } from '@virtkit/core';
import { setDriverLoader } from '../src/driver-loader.js';
import { main } from '../src/main.js';
import { hypervisorDrivers } from './drivers.js';

setDriverLoader('test', () => import('@virtkit/driver-test') as Promise<{ driver: unknown }>);
// qemu:// and storage:// from the drivers chunk; the storage driver also serves qemu:// as a
// secondary driver, which core looks up by package name: the bundle provides that package
setDriverLoader('qemu', async () => ({ driver: hypervisorDrivers().qemu }));
setDriverLoader('storage', async () => ({ driver: hypervisorDrivers().storage }));
provideBuiltinDriver('@virtkit/driver-storage', async () => ({ driver: hypervisorDrivers().storage }));
provideBuiltinDriver('@virtkit/driver-qemu', async () => ({ driver: hypervisorDrivers().qemu }));
void main();
