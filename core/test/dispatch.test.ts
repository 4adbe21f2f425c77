import assert from 'node:assert/strict';
import {
  connect,
  registerDriver,
  unregisterDriver,
  VirtError,
  VIR_DOMAIN_AFFECT_LIVE,
  VIR_DOMAIN_MEM_MAXIMUM,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_XML_SECURE,
  VIR_ERR_INTERNAL_ERROR,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_INVALID_CONN,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_ABORTED,
  VIR_ERR_OPERATION_DENIED,
  VIR_ERR_OPERATION_INVALID,
  VIR_FROM_DOMAIN,
  VIR_FROM_NETWORK,
  VIR_FROM_STORAGE,
  VIR_FROM_TEST,
  type Connection,
} from '@virtkit/core';
import { fakeDriver, type FakeDriverHandle } from './fake-driver.js';

/** Asserts that `p` rejects with a VirtError of this code, message and (optionally) domain. */
async function rejectsWith(p: Promise<unknown>, code: number, message: string | RegExp, domain?: number): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof VirtError, `expected VirtError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    if (domain !== undefined) assert.equal(err.domain, domain);
    return true;
  });
}

describe('core dispatch', () => {
  let fake: FakeDriverHandle;
  let conn: Connection;

  beforeEach(async () => {
    fake = fakeDriver('fake-dispatch');
    registerDriver(fake.driver);
    conn = await connect('fake-dispatch:///x');
  });

  afterEach(async () => {
    await conn.close();
    unregisterDriver(fake.driver);
  });

  it('calls the driver method and wraps refs in objects', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    assert.equal(dom.getName(), 'alpha');
    assert.equal(dom.getID(), 1);
    assert.equal(dom.getUUIDString(), '11111111-2222-3333-4444-555555555555');
    assert.equal(dom.getConnect(), conn);
    await dom.suspend();
    assert.equal((await dom.getState()).state, VIR_DOMAIN_PAUSED);
  });

  it('turns a missing driver method into NO_SUPPORT naming the public API', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await rejectsWith(dom.getInfo(), VIR_ERR_NO_SUPPORT, 'this function is not supported by the connection driver: virDomainGetInfo', VIR_FROM_DOMAIN);
    await rejectsWith(dom.shutdown(), VIR_ERR_NO_SUPPORT, /: virDomainShutdown$/);
    await rejectsWith(dom.shutdown(1), VIR_ERR_NO_SUPPORT, /: virDomainShutdownFlags$/);
    await rejectsWith(conn.listAllNetworks(), VIR_ERR_NO_SUPPORT, /: virConnectListAllNetworks$/, VIR_FROM_NETWORK);
    await rejectsWith(conn.lookupStoragePoolByName('p'), VIR_ERR_NO_SUPPORT, /: virStoragePoolLookupByName$/, VIR_FROM_STORAGE);
  });

  it('passes driver errors through unchanged', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await rejectsWith(dom.resume(), VIR_ERR_OPERATION_INVALID, 'Requested operation is not valid: domain is not paused', VIR_FROM_TEST);
    await rejectsWith(dom.destroy(4), VIR_ERR_INVALID_ARG, 'unsupported flags (0x4) in function fakeDomainDestroyFlags', VIR_FROM_TEST);
  });

  it('wraps non-VirtError driver failures as INTERNAL_ERROR with the cause', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await assert.rejects(dom.reboot(), (err: unknown) => {
      assert.ok(err instanceof VirtError);
      assert.equal(err.code, VIR_ERR_INTERNAL_ERROR);
      assert.ok(err.cause instanceof TypeError);
      return true;
    });
  });

  it('maps setMemory/setMaxMemory to domainSetMemoryFlags with libvirt flags', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await dom.setMemory(1024);
    await dom.setMaxMemory(2048);
    await dom.setMemoryFlags(512, 2);
    assert.deepEqual(
      fake.calls.filter((c) => c.startsWith('domainSetMemoryFlags')),
      [`domainSetMemoryFlags:1024:${VIR_DOMAIN_AFFECT_LIVE}`, `domainSetMemoryFlags:2048:${VIR_DOMAIN_MEM_MAXIMUM}`, 'domainSetMemoryFlags:512:2'],
    );
    await rejectsWith(dom.setMemory(0), VIR_ERR_INVALID_ARG, 'memory in virDomainSetMemory must not be zero', VIR_FROM_DOMAIN);
  });

  it('checks arguments at the public API as libvirt does', async () => {
    await rejectsWith(conn.lookupDomainByID(-5), VIR_ERR_INVALID_ARG, 'id in virDomainLookupByID must be zero or greater', VIR_FROM_DOMAIN);
    await rejectsWith(conn.lookupDomainByUUIDString('bad'), VIR_ERR_INVALID_ARG, 'Invalid UUID', VIR_FROM_DOMAIN);
    const dom = await conn.lookupDomainByUUIDString('11111111222233334444555555555555');
    assert.equal(dom.getName(), 'alpha');
    await rejectsWith(dom.rename(''), VIR_ERR_INVALID_ARG, 'string new_name in virDomainRename must not be empty');
  });

  it('refreshes getID() after destroy and create', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await dom.destroy();
    assert.equal(dom.getID(), -1);
    await dom.create();
    assert.equal(dom.getID(), 2);
  });

  it('rejects calls after close with INVALID_CONN, and close is idempotent', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await conn.close();
    await conn.close();
    assert.equal(fake.closed, 1);
    await rejectsWith(dom.suspend(), VIR_ERR_INVALID_CONN, 'invalid connection pointer in virDomainSuspend');
    await rejectsWith(conn.lookupDomainByName('alpha'), VIR_ERR_INVALID_CONN, 'invalid connection pointer in virDomainLookupByName');
    assert.throws(() => conn.getURI(), (e: VirtError) => e.code === VIR_ERR_INVALID_CONN);
    assert.equal(dom.getName(), 'alpha', 'local getters keep working, as in libvirt');
  });

  it('aborts jobs: an aborted signal rejects before the driver, a late abort through it', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await rejectsWith(dom.save('/tmp/x', { signal: AbortSignal.abort() }), VIR_ERR_OPERATION_ABORTED, /^operation aborted: virDomainSave/);
    assert.ok(!fake.calls.includes('domainSave:/tmp/x'));
    const ac = new AbortController();
    const p = dom.save('/tmp/y', { signal: ac.signal });
    ac.abort();
    await rejectsWith(p, VIR_ERR_OPERATION_ABORTED, /virDomainSave canceled/);
    await assert.rejects(dom.save('/tmp/z', { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('falls back to the driver name for getType() and reports the lib version', async () => {
    assert.equal(await conn.getType(), 'Fake');
    assert.equal(await conn.getLibVersion(), 9000000);
    assert.equal(conn.getURI(), 'fake-dispatch:///x');
    assert.equal(await conn.getHostname(), 'fakehost');
  });
});

describe('core read-only connections', () => {
  let fake: FakeDriverHandle;
  let conn: Connection;

  before(async () => {
    fake = fakeDriver('fake-ro');
    registerDriver(fake.driver);
    conn = await connect('fake-ro:///x', { readOnly: true });
  });

  after(async () => {
    await conn.close();
    unregisterDriver(fake.driver);
  });

  it('tells the driver the connection is read-only', () => {
    assert.equal(fake.opened[0]!.readOnly, true);
    assert.equal(conn.readOnly, true);
  });

  it('refuses mutating APIs with OPERATION_DENIED before the driver is asked', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    await rejectsWith(dom.suspend(), VIR_ERR_OPERATION_DENIED, 'operation forbidden: read only access prevents virDomainSuspend', VIR_FROM_DOMAIN);
    await rejectsWith(dom.destroy(), VIR_ERR_OPERATION_DENIED, /prevents virDomainDestroy$/);
    await rejectsWith(dom.destroy(0), VIR_ERR_OPERATION_DENIED, /prevents virDomainDestroyFlags$/);
    // Read-only refusal comes before NO_SUPPORT, as in libvirt.
    await rejectsWith(conn.defineNetworkXML('<network/>'), VIR_ERR_OPERATION_DENIED, /prevents virNetworkDefineXML$/, VIR_FROM_NETWORK);
    assert.equal((await dom.getState()).state, 1, 'state unchanged');
  });

  it('allows read-only APIs, but not the secure XML flag', async () => {
    const dom = await conn.lookupDomainByName('alpha');
    assert.match(await dom.getXMLDesc(), /alpha/);
    await rejectsWith(dom.getXMLDesc(VIR_DOMAIN_XML_SECURE), VIR_ERR_OPERATION_DENIED, 'operation forbidden: virDomainGetXMLDesc with secure flag');
  });
});
