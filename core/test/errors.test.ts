import assert from 'node:assert/strict';
import { VirtError, virtError } from '@virtkit/core';

describe('VirtError', () => {
  it('builds libvirt messages from code and detail', () => {
    const err = virtError(42, "no domain with matching name 'x'");
    assert.ok(err instanceof VirtError);
    assert.equal(err.code, 42);
    assert.equal(err.message, "Domain not found: no domain with matching name 'x'");
  });
});
