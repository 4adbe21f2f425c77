import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connect,
  loadBuiltinDriver,
  provideBuiltinDriver,
  registerDriver,
  registeredDrivers,
  unregisterDriver,
  VirtError,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_CONNECT,
  VIR_ERR_OPERATION_ABORTED,
  VIR_FROM_NONE,
  type DriverConnection,
  type VirtDriver,
} from '@virtkit/core';
import { fakeDriver } from './fake-driver.js';

function noConnect(uri: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof VirtError);
    assert.equal(err.code, VIR_ERR_NO_CONNECT);
    assert.equal(err.domain, VIR_FROM_NONE);
    assert.equal(err.message, `no connection driver available for ${uri}`);
    return true;
  };
}

describe('core registry and connect()', () => {
  it('refuses an unknown scheme with libvirt\'s NO_CONNECT message', async () => {
    await assert.rejects(connect('foo:///bar'), noConnect('foo:///bar'));
  });

  it('refuses remote hosts and transports for local-only drivers', async () => {
    const fake = fakeDriver('fake-reg-remote');
    registerDriver(fake.driver);
    try {
      await assert.rejects(connect('fake-reg-remote://elsewhere/x'), noConnect('fake-reg-remote://elsewhere/x'));
      await assert.rejects(connect('fake-reg-remote+ssh:///x'), noConnect('fake-reg-remote+ssh:///x'));
      assert.equal(fake.opened.length, 0);
    } finally {
      unregisterDriver(fake.driver);
    }
  });

  it('reports a built-in package that is not installed as unavailable, not as a crash', async () => {
    const result = await loadBuiltinDriver('@virtkit/driver-does-not-exist');
    assert.ok(result instanceof Error);
    assert.match(result.message, /is not installed/);
  });

  it('uses a module the application provides for a built-in package instead of importing it (bundles)', async () => {
    const fake = fakeDriver('fake-reg-provided');
    let loads = 0;
    provideBuiltinDriver('@virtkit/driver-provided-by-bundle', async () => {
      loads++;
      return { driver: fake.driver };
    });
    try {
      assert.equal(await loadBuiltinDriver('@virtkit/driver-provided-by-bundle'), fake.driver);
      assert.equal(await loadBuiltinDriver('@virtkit/driver-provided-by-bundle'), fake.driver);
      assert.equal(loads, 1, 'loaded once, on first use');
      assert.ok(registeredDrivers().includes(fake.driver));
    } finally {
      unregisterDriver(fake.driver);
    }
  });

  it('rejects an aborted open, and makes open failures VirtErrors', async () => {
    await assert.rejects(connect('test:///default', { signal: AbortSignal.abort() }), { name: 'AbortError', code: VIR_ERR_OPERATION_ABORTED });
    const broken: VirtDriver = {
      name: 'Broken',
      schemes: ['fake-reg-broken'],
      async open() {
        throw new Error('cannot reach the hypervisor');
      },
    };
    registerDriver(broken);
    try {
      await assert.rejects(connect('fake-reg-broken:///'), (err: unknown) => {
        assert.ok(err instanceof VirtError);
        assert.match(err.message, /^internal error: virConnectOpen: cannot reach the hypervisor$/);
        return true;
      });
    } finally {
      unregisterDriver(broken);
    }
  });

  it('validates drivers at registration', () => {
    assert.throws(() => registerDriver({ name: 'x' } as unknown as VirtDriver), (e: VirtError) => e.code === VIR_ERR_INVALID_ARG);
  });

  it('opens registered drivers, passing the parsed URI, and unregisters them', async () => {
    const fake = fakeDriver('fake-reg');
    registerDriver(fake.driver);
    assert.ok(registeredDrivers().includes(fake.driver));
    const conn = await connect('fake-reg:///path?a=b');
    assert.equal(fake.opened[0]!.uri.path, '/path');
    assert.deepEqual(fake.opened[0]!.uri.query, { a: 'b' });
    await conn.close();
    unregisterDriver(fake.driver);
    assert.ok(!registeredDrivers().includes(fake.driver));
    await assert.rejects(connect('fake-reg:///path'), noConnect('fake-reg:///path'));
  });

  it('uses VIRTKIT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, when no URI is given', async () => {
    const fake = fakeDriver('fake-reg-default');
    registerDriver(fake.driver);
    const saved = { v: process.env.VIRTKIT_DEFAULT_URI, l: process.env.LIBVIRT_DEFAULT_URI };
    try {
      process.env.VIRTKIT_DEFAULT_URI = '';
      process.env.LIBVIRT_DEFAULT_URI = 'fake-reg-default:///from-libvirt-env';
      const conn = await connect();
      assert.equal(conn.getURI(), 'fake-reg-default:///from-libvirt-env');
      await conn.close();
      process.env.VIRTKIT_DEFAULT_URI = 'fake-reg-default:///from-virtkit-env';
      const conn2 = await connect();
      assert.equal(conn2.getURI(), 'fake-reg-default:///from-virtkit-env');
      await conn2.close();
    } finally {
      for (const [k, v] of [['VIRTKIT_DEFAULT_URI', saved.v], ['LIBVIRT_DEFAULT_URI', saved.l]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      unregisterDriver(fake.driver);
    }
  });

  it('completes a connection with a secondary driver for families the primary lacks', async () => {
    const fake = fakeDriver('fake-reg-primary');
    let closedSecondary = 0;
    const secondary: VirtDriver = {
      name: 'FakeStorage',
      schemes: [],
      accepts: (uri) => uri.scheme === 'fake-reg-primary',
      async open(): Promise<DriverConnection> {
        return {
          storage: {
            async connectNumOfStoragePools() {
              return 7;
            },
          },
          async close() {
            closedSecondary++;
          },
        };
      },
    };
    registerDriver(fake.driver);
    registerDriver(secondary);
    try {
      const conn = await connect('fake-reg-primary:///x');
      assert.equal(await conn.numOfStoragePools(), 7);
      assert.equal(await conn.getHostname(), 'fakehost', 'hypervisor family still from the primary');
      await conn.close();
      assert.equal(closedSecondary, 1);
    } finally {
      unregisterDriver(secondary);
      unregisterDriver(fake.driver);
    }
  });

  it('attaches the built-in storage driver as secondary on qemu URIs', async function () {
    const storage = await loadBuiltinDriver('@virtkit/driver-storage').catch((e: unknown) => e as Error);
    if (storage instanceof Error) {
      console.log(`      (skipped: ${storage.message})`);
      this.skip();
    }
    const fake = fakeDriver('qemu');
    registerDriver(fake.driver);
    const root = mkdtempSync(join(tmpdir(), 'virtkit-core-secondary-'));
    try {
      const conn = await connect(`qemu:///embed?root=${root}`);
      assert.equal(await conn.getHostname(), 'fakehost', 'hypervisor from the primary');
      assert.deepEqual(await conn.listAllStoragePools(), [], 'storage from the storage driver');
      assert.ok(conn.hasDriverMethod('storageVolCreateXML'));
      await conn.close();
    } finally {
      unregisterDriver(fake.driver);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a registered driver overrides the built-in one for its scheme', async () => {
    const fake = fakeDriver('test');
    registerDriver(fake.driver);
    try {
      const conn = await connect('test:///default');
      assert.equal(await conn.getType(), 'Fake');
      await conn.close();
    } finally {
      unregisterDriver(fake.driver);
    }
  });
});
