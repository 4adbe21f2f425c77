/**
 * The shared driver contract on `qemu:///embed?root=DIR` with firmware-only KVM guests
 * (acceptance 1 of issue 6). Guests have no OS, so ACPI shutdown is asynchronous (skipped
 * part); the Linux guest suite covers shutdown.
 */
import { rmSync } from 'node:fs';
import { missingNeeds } from '../support/host.js';
import { runDriverContract } from '../contract/driver-contract.js';
import { tempRoot } from '../../drivers/qemu/test/support/harness.js';

let root = '';

runDriverContract({
  name: 'QEMU driver (qemu:///embed, firmware-only KVM guests)',
  uri: () => `qemu:///embed?root=${root}`,
  newDomainXML: (name) =>
    `<domain type='kvm'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><memballoon model='none'/></devices></domain>`,
  // Pools come from the storage driver serving qemu:/// URIs beside the QEMU driver.
  newPoolXML: (name) => `<pool type='dir'><name>${name}</name><target><path>${root}/pools/${name}</path></target></pool>`,
  buildPool: true,
  supports: { syncShutdown: false },
  timeoutMs: 30_000,
  skip() {
    const missing = missingNeeds({ binaries: ['qemu-system-x86_64'], paths: ['/dev/kvm'] });
    if (missing.length === 0) return undefined;
    if (process.env.VIRTKIT_REQUIRE_HOST === '1') throw new Error(`host requirement missing: ${missing.join('; ')}`);
    return missing.join('; ');
  },
  before() {
    root = tempRoot('contract');
  },
  after() {
    if (root) rmSync(root, { recursive: true, force: true });
  },
});
