/**
 * Unit-testing an application with the test driver and its fault injection: the guard retries
 * failed starts and restarts a crashed domain.
 */
import { strict as assert } from 'node:assert';
import { connect, VirtError, type Connection } from '@virtkit/core';
import { testControl } from '@virtkit/driver-test';
import { VmGuard } from './vm-guard.js';

const XML = "<domain type='test'><name>web</name><memory unit='MiB'>512</memory><os><type>hvm</type></os></domain>";

describe('example: VmGuard on the test driver with fault injection', () => {
  let conn: Connection;
  beforeEach(async () => {
    conn = await connect('test:///default');
    await conn.defineDomainXML(XML);
  });
  afterEach(async () => {
    testControl('test:///default').clearFaults();
    await conn.close();
  });

  it('retries a start that fails twice', async () => {
    testControl('test:///default').failNext('virDomainCreate', { code: 1, detail: 'hypervisor busy' }, 2);
    const dom = await new VmGuard(conn, 'web', { attempts: 3, backoffMs: 1 }).ensureRunning();
    assert.deepEqual(await dom.getState(), { state: 1, reason: 1 });
  });

  it('gives up after its attempts with the last error', async () => {
    testControl('test:///default').failNext('virDomainCreate', { code: 1, detail: 'hypervisor busy' }, 5);
    await assert.rejects(new VmGuard(conn, 'web', { attempts: 2, backoffMs: 1 }).ensureRunning(), (e: unknown) => e instanceof VirtError && /hypervisor busy/.test(e.message));
  });

  it('restarts the domain when it crashes', async () => {
    const guard = new VmGuard(conn, 'web', { backoffMs: 1 });
    await guard.ensureRunning();
    testControl('test:///default').crash('web');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await guard.idle();
    assert.equal(guard.restarts, 1);
    assert.deepEqual(await (await conn.lookupDomainByName('web')).getState(), { state: 1, reason: 1 });
  });
});
