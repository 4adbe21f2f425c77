import assert from 'node:assert/strict';
import { defaultURI, formatURI, parseURI, VirtError, VIR_ERR_INTERNAL_ERROR, VIR_ERR_NO_CONNECT } from '@virtkit/core';

describe('core URI parsing', () => {
  it('parses local URIs', () => {
    assert.deepEqual(parseURI('test:///default'), {
      raw: 'test:///default',
      scheme: 'test',
      path: '/default',
      query: {},
    });
    assert.equal(parseURI('test:///abs/path/node.xml').path, '/abs/path/node.xml');
    assert.deepEqual(parseURI('qemu:///embed?root=/tmp/x').query, { root: '/tmp/x' });
    assert.equal(parseURI('storage://').path, '');
  });

  it('parses remote URIs: transport, user, host, port, query', () => {
    const u = parseURI('qemu+ssh://root@host.example:2222/system?keyfile=/k%20x&no_verify=1');
    assert.equal(u.scheme, 'qemu');
    assert.equal(u.transport, 'ssh');
    assert.equal(u.user, 'root');
    assert.equal(u.host, 'host.example');
    assert.equal(u.port, 2222);
    assert.equal(u.path, '/system');
    assert.deepEqual(u.query, { keyfile: '/k x', no_verify: '1' });
    assert.equal(parseURI('qemu+tcp://[::1]:16509/system').host, '::1');
    assert.equal(parseURI('xen://h:0/').port, undefined, 'port 0 means none');
  });

  it('round-trips through formatURI', () => {
    for (const s of ['qemu+ssh://root@h:22/system?keyfile=%2Fk', 'test:///default', 'qemu+tcp://[::1]:16509/system']) {
      assert.equal(formatURI(parseURI(s)), s);
    }
  });

  it('rejects URIs without a driver name, unparsable ones and the missing-slash mistake', () => {
    assert.throws(() => parseURI('/just/a/path'), (e: VirtError) => {
      assert.equal(e.code, VIR_ERR_NO_CONNECT);
      assert.equal(e.message, "no connection driver available for URI '/just/a/path' does not include a driver name");
      return true;
    });
    assert.throws(() => parseURI('qemu://h:99999/system'), (e: VirtError) => e.code === VIR_ERR_INTERNAL_ERROR);
    assert.throws(() => parseURI('qemu://system'), (e: VirtError) => {
      assert.equal(e.message, 'internal error: invalid URI qemu://system (maybe you want qemu:///system)');
      return true;
    });
  });

  it('defaults from VIRTKIT_DEFAULT_URI, then LIBVIRT_DEFAULT_URI, ignoring empty values', () => {
    assert.equal(defaultURI({ VIRTKIT_DEFAULT_URI: 'test:///a', LIBVIRT_DEFAULT_URI: 'test:///b' }), 'test:///a');
    assert.equal(defaultURI({ VIRTKIT_DEFAULT_URI: '', LIBVIRT_DEFAULT_URI: 'test:///b' }), 'test:///b');
    assert.equal(defaultURI({}), undefined);
  });
});
