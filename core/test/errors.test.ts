import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  checkFlags,
  errorDomainName,
  formatLibvirtError,
  errorMessageFor,
  invalidArg,
  isKnownErrorCode,
  noSupport,
  readOnlyDenied,
  VirtError,
  virtError,
  VIR_ERR_DOM_EXIST,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_MULTIPLE_DOMAINS,
  VIR_ERR_NO_NAME,
  VIR_ERR_OPERATION_DENIED,
  VIR_FROM_DOMAIN,
  VIR_FROM_TEST,
} from '@virtkit/core';

const PYTHON = '/usr/bin/python3';

describe('VirtError and the libvirt message table', () => {
  it('builds libvirt messages from code and detail', () => {
    const err = virtError(42, "no domain with matching name 'x'");
    assert.ok(err instanceof VirtError);
    assert.equal(err.code, 42);
    assert.equal(err.message, "Domain not found: no domain with matching name 'x'");
    assert.equal(virtError(42).message, 'Domain not found');
  });

  it('instanceof VirtError holds for errors from another copy of core (dual CJS/ESM loading)', () => {
    const foreign = Object.assign(new Error('Domain not found'), { code: 42, domain: 0, level: 2 });
    assert.ok(!(foreign instanceof VirtError));
    Object.defineProperty(foreign, Symbol.for('virtkit.VirtError'), { value: true });
    assert.ok(foreign instanceof VirtError);
    class SubError extends VirtError {}
    assert.ok(new SubError(1, 'x') instanceof SubError);
    assert.ok(!(virtError(1) instanceof SubError), 'subclasses keep the normal check');
  });

  it('knows every virErrorNumber of libvirt 9.0 in both forms', () => {
    for (let code = 1; code <= VIR_ERR_MULTIPLE_DOMAINS; code++) {
      assert.ok(isKnownErrorCode(code), `code ${code}`);
      assert.ok(errorMessageFor(code, 'D').includes('D'), `code ${code} with detail`);
      assert.ok(!errorMessageFor(code).includes('%s'), `code ${code} without detail`);
    }
    assert.equal(errorMessageFor(VIR_ERR_NO_NAME), 'missing name information');
    assert.equal(errorMessageFor(VIR_ERR_NO_NAME, 'x'), 'missing name information in x');
    assert.equal(errorMessageFor(VIR_ERR_DOM_EXIST, 'vm1'), 'domain vm1 exists already');
    assert.equal(errorMessageFor(55, 'domain is not running'), 'Requested operation is not valid: domain is not running');
    assert.equal(errorMessageFor(84, 'x'), 'Operation not supported: x');
    assert.equal(errorMessageFor(38, 'open failed'), 'open failed', 'system errors carry no prefix');
    assert.equal(errorMessageFor(1, '$& $1'), 'internal error: $& $1', 'detail copied verbatim');
  });

  it('checkFlags reports unknown bits as libvirt\'s virCheckFlags (no generic prefix)', () => {
    assert.doesNotThrow(() => checkFlags(3, 3, 'testFn'));
    assert.throws(
      () => checkFlags(99, 1, 'testDomainDestroyFlags', VIR_FROM_TEST),
      (e: VirtError) => {
        assert.equal(e.code, VIR_ERR_INVALID_ARG);
        assert.equal(e.domain, VIR_FROM_TEST);
        assert.equal(e.message, 'unsupported flags (0x62) in function testDomainDestroyFlags');
        return true;
      },
    );
    assert.throws(() => checkFlags(0x80000000, 0, 'f'), /unsupported flags \(0x80000000\)/);
    assert.throws(() => checkFlags(-1, 0, 'f'), (e: VirtError) => e.code === VIR_ERR_INVALID_ARG);
  });

  it('names error domains as libvirt prints them', () => {
    assert.equal(errorDomainName(VIR_FROM_TEST), 'Test Driver');
    assert.equal(errorDomainName(VIR_FROM_DOMAIN), 'Domain Config');
    assert.equal(errorDomainName(71), 'BPF');
    assert.equal(errorDomainName(999), 'Unknown');
    assert.equal(formatLibvirtError(virtError(42, undefined, VIR_FROM_TEST)), 'libvirt: Test Driver error : Domain not found');
  });

  it('read-only refusals read as libvirt\'s', () => {
    const e = readOnlyDenied('virDomainSuspend', VIR_FROM_DOMAIN);
    assert.equal(e.code, VIR_ERR_OPERATION_DENIED);
    assert.equal(e.message, 'operation forbidden: read only access prevents virDomainSuspend');
  });

  describe('against python3-libvirt on test:///default', function () {
    let libvirt: Record<string, [number, number, string]> & { table?: [number, string, string, string | null][] } = {};

    before(function () {
      if (!existsSync(PYTHON)) this.skip();
      const script = `
import json, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
out = {}
def grab(key, f):
    try: f()
    except libvirt.libvirtError as e: out[key] = [e.get_error_code(), e.get_error_domain(), e.get_error_message()]
c = libvirt.open('test:///default'); r = libvirt.openReadOnly('test:///default')
d = c.lookupByName('test'); rd = r.lookupByName('test')
grab('ro', lambda: rd.suspend())
grab('nosupport', lambda: d.blockPull('vda'))
grab('flags', lambda: d.destroyFlags(99))
grab('nodomain', lambda: c.lookupByName(''))
grab('nonet', lambda: c.networkLookupByName('zz'))
grab('zero', lambda: d.setMemory(0))
grab('secure', lambda: rd.XMLDesc(1))
grab('id', lambda: c.lookupByID(-5))
table = []
def fmt(f):
    try: f()
    except libvirt.libvirtError as e: table.append([e.get_error_code(), e.get_error_message(), e.get_str1(), e.get_str2()])
X = "<domain type='test'><name>test</name><memory>8192</memory><os><type>hvm</type></os></domain>"
p = c.storagePoolLookupByName('default-pool')
for f in [lambda: c.lookupByName('nope'), lambda: c.networkLookupByName('nope'), lambda: c.storagePoolLookupByName('nope'),
          lambda: c.storageVolLookupByPath('/nope'), lambda: d.snapshotCurrent(0), lambda: c.defineXML('<x/>'), lambda: c.defineXML(''),
          lambda: c.createXML(X, 0), lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_TITLE, None, 0), lambda: d.setMemory(1 << 40),
          lambda: d.create(), lambda: p.create(0), lambda: c.restore('/nonexistent/file'), lambda: d.rename('test', 0)]:
    fmt(f)
out['table'] = table
print(json.dumps(out))`;
      try {
        libvirt = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      } catch (err) {
        console.log(`    (skipped: python3-libvirt unavailable: ${String(err).split('\n')[0]})`);
        this.skip();
      }
    });

    const same = (key: string, ours: VirtError): void => {
      assert.deepEqual([ours.code, ours.domain, ours.message], libvirt[key]);
    };

    it('read-only, NO_SUPPORT, flags, not-found and invalid-arg errors match', () => {
      same('ro', readOnlyDenied('virDomainSuspend', VIR_FROM_DOMAIN));
      same('nosupport', noSupport('virDomainBlockPull', VIR_FROM_DOMAIN));
      assert.throws(() => checkFlags(99, 1, 'testDomainDestroyFlags', VIR_FROM_TEST), (e: VirtError) => (same('flags', e), true));
      same('nodomain', virtError(42, undefined, VIR_FROM_TEST));
      same('nonet', virtError(43, "no network with matching name 'zz'", VIR_FROM_TEST));
      same('zero', invalidArg('memory in virDomainSetMemory must not be zero', VIR_FROM_DOMAIN));
      same('secure', virtError(VIR_ERR_OPERATION_DENIED, 'virDomainGetXMLDesc with secure flag', VIR_FROM_DOMAIN));
      same('id', invalidArg('id in virDomainLookupByID must be zero or greater', VIR_FROM_DOMAIN));
    });

    it('every format libvirt used (its str1) is the table\'s, with and without detail', () => {
      const table = libvirt.table ?? [];
      assert.ok(table.length >= 10, 'collected errors');
      for (const [code, message, str1, str2] of table) {
        if (str2 === null) {
          assert.equal(errorMessageFor(code), str1, `code ${code} without detail`);
        } else {
          assert.equal(errorMessageFor(code, '%s'), str1, `code ${code} format`);
          assert.equal(errorMessageFor(code, str2), message, `code ${code} message`);
        }
      }
    });
  });
});
