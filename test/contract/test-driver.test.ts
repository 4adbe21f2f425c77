/**
 * The driver contract on the in-memory test driver (test:///default), with libvirt's test
 * driver's codes for invalid transitions (verified against python3-libvirt 9.0).
 */
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_OPERATION_INVALID } from '@virtkit/core';
import { runDriverContract } from './driver-contract.js';

runDriverContract({
  name: 'test driver (test:///default)',
  uri: 'test:///default',
  newDomainXML: (name) =>
    `<domain type='test'><name>${name}</name><memory unit='KiB'>8192</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`,
  newNetworkXML: (name) => `<network><name>${name}</name></network>`,
  newPoolXML: (name) => `<pool type='dir'><name>${name}</name><target><path>/tmp/${name}</path></target></pool>`,
  transitionErrors: {
    suspendInactive: VIR_ERR_INTERNAL_ERROR,
    resumeInactive: VIR_ERR_INTERNAL_ERROR,
    resumeRunning: VIR_ERR_INTERNAL_ERROR,
    createRunning: VIR_ERR_INTERNAL_ERROR,
    destroyInactive: VIR_ERR_OPERATION_INVALID,
  },
  async skip() {
    try {
      const mod = (await import('@virtkit/driver-test')) as { driver?: unknown };
      return mod.driver ? undefined : "@virtkit/driver-test does not export 'driver' yet";
    } catch (err) {
      return `@virtkit/driver-test cannot be imported: ${String(err).split('\n')[0]}`;
    }
  },
});
