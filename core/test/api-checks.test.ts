import assert from 'node:assert/strict';
import {
  connect,
  registerDriver,
  unregisterDriver,
  VirtError,
  VIR_DOMAIN_AFFECT_CONFIG,
  VIR_DOMAIN_AFFECT_LIVE,
  VIR_DOMAIN_METADATA_DESCRIPTION,
  VIR_DOMAIN_METADATA_ELEMENT,
  VIR_DOMAIN_METADATA_TITLE,
  VIR_DOMAIN_VCPU_GUEST,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_INVALID_CONN,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_DENIED,
  VIR_FROM_DOMAIN,
  type Connection,
} from '@virtkit/core';
import { fakeDriver, type FakeDriverHandle } from './fake-driver.js';

function failsWith(code: number, message?: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof VirtError, String(err));
    assert.equal(err.code, code, err.message);
    if (message !== undefined) {
      assert.equal(err.message, message);
      assert.equal(err.domain, VIR_FROM_DOMAIN);
    }
    return true;
  };
}

describe('core public-API argument checks', () => {
  let fake: FakeDriverHandle;
  let rw: Connection;
  let ro: Connection;

  beforeEach(async () => {
    fake = fakeDriver('fake-checks');
    registerDriver(fake.driver);
    rw = await connect('fake-checks:///');
    ro = await connect('fake-checks:///', { readOnly: true });
  });

  afterEach(async () => {
    await rw.close();
    await ro.close();
    unregisterDriver(fake.driver);
  });

  it('checks metadata arguments as virDomainSetMetadata / virDomainGetMetadata', async () => {
    const dom = await rw.lookupDomainByName('alpha');
    await assert.rejects(dom.setMetadata(VIR_DOMAIN_METADATA_DESCRIPTION, 'x', 'k'), failsWith(VIR_ERR_INVALID_ARG, 'key in virDomainSetMetadata must be NULL'));
    await assert.rejects(dom.setMetadata(VIR_DOMAIN_METADATA_TITLE, 'a\nb'), failsWith(VIR_ERR_INVALID_ARG, "metadata title can't contain newlines"));
    await assert.rejects(dom.setMetadata(VIR_DOMAIN_METADATA_ELEMENT, '<a/>'), failsWith(VIR_ERR_INVALID_ARG, 'uri in virDomainSetMetadata must not be NULL'));
    await assert.rejects(
      dom.setMetadata(VIR_DOMAIN_METADATA_ELEMENT, '<a/>', undefined, 'http://x'),
      failsWith(VIR_ERR_INVALID_ARG, 'key in virDomainSetMetadata must not be NULL'),
    );
    await assert.rejects(dom.getMetadata(VIR_DOMAIN_METADATA_DESCRIPTION, 'http://x'), failsWith(VIR_ERR_INVALID_ARG, 'uri in virDomainGetMetadata must be NULL'));
    await assert.rejects(dom.getMetadata(VIR_DOMAIN_METADATA_ELEMENT), failsWith(VIR_ERR_INVALID_ARG, 'uri in virDomainGetMetadata must not be NULL'));
    await assert.rejects(
      dom.getMetadata(VIR_DOMAIN_METADATA_DESCRIPTION, undefined, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
      failsWith(VIR_ERR_INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive"),
    );
    // Valid arguments reach the driver, which lacks the method here.
    await assert.rejects(dom.setMetadata(VIR_DOMAIN_METADATA_ELEMENT, '<a/>', 'k', 'http://x'), failsWith(VIR_ERR_NO_SUPPORT));
  });

  it('runs argument checks after the connection and read-only checks, as libvirt', async () => {
    const roDom = await ro.lookupDomainByName('alpha');
    await assert.rejects(roDom.setMemory(0), failsWith(VIR_ERR_OPERATION_DENIED));
    await assert.rejects(roDom.setMetadata(VIR_DOMAIN_METADATA_TITLE, 'a\nb'), failsWith(VIR_ERR_OPERATION_DENIED));
    await assert.rejects(roDom.getVcpusFlags(VIR_DOMAIN_VCPU_GUEST), failsWith(VIR_ERR_OPERATION_DENIED, 'operation forbidden: read only access prevents virDomainGetVcpusFlags'));
    await assert.rejects(roDom.getVcpusFlags(), failsWith(VIR_ERR_NO_SUPPORT), 'without the guest flag it is a read-only API');
    await rw.close();
    await assert.rejects(rw.lookupDomainByID(-1), failsWith(VIR_ERR_INVALID_CONN));
    await assert.rejects(rw.lookupDomainByUUIDString('nope'), failsWith(VIR_ERR_INVALID_CONN));
  });

  it('passes canonical UUIDs to drivers', async () => {
    const dom = await rw.lookupDomainByUUIDString(' 11111111-2222-3333-4444-555555555555'.toUpperCase());
    assert.equal(dom.getName(), 'alpha');
    await assert.rejects(rw.lookupNetworkByUUIDString('zz'), failsWith(VIR_ERR_INVALID_ARG));
  });
});
