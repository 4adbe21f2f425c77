/**
 * The driver contract on the storage driver as primary driver (`storage:///embed?root=TMP`):
 * no hypervisor family, so the domain parts skip; the NO_SUPPORT sweep, read-only refusal and
 * a pool round trip on a dir pool in a temporary directory run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDriverContract } from './driver-contract.js';

let root = '';

runDriverContract({
  name: 'storage driver (storage:///embed)',
  uri: () => `storage:///embed?root=${root}`,
  newDomainXML: (name) => `<domain type='kvm'><name>${name}</name></domain>`,
  newPoolXML: (name) => `<pool type='dir'><name>${name}</name><target><path>${join(root, 'pools', name)}</path></target></pool>`,
  buildPool: true,
  before() {
    root = mkdtempSync(join(tmpdir(), 'virtkit-contract-storage-'));
  },
  after() {
    rmSync(root, { recursive: true, force: true });
  },
  async skip() {
    try {
      const mod = (await import('@virtkit/driver-storage')) as { driver?: unknown };
      return mod.driver ? undefined : "@virtkit/driver-storage does not export 'driver' yet";
    } catch (err) {
      return `@virtkit/driver-storage cannot be imported: ${String(err).split('\n')[0]}`;
    }
  },
});
