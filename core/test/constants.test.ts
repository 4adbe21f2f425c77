import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as core from '@virtkit/core';

describe('libvirt constants', () => {
  it('exports libvirt names with libvirt numbers', () => {
    assert.equal(core.VIR_DOMAIN_RUNNING, 1);
    assert.equal(core.VIR_DOMAIN_EVENT_STOPPED_DESTROYED, 1);
    assert.equal(core.VIR_CONNECT_LIST_DOMAINS_ACTIVE, 1);
    assert.equal(core.VIR_ERR_NO_DOMAIN, 42);
    assert.equal(core.VIR_FROM_TEST, 12);
    assert.equal(core.VIR_ERR_ERROR, 2);
  });

  it('matches every VIR_* integer of the python3-libvirt 9.0 binding', function () {
    if (!existsSync('/usr/bin/python3')) this.skip();
    let values: Record<string, number>;
    try {
      const script = 'import json, libvirt\nprint(json.dumps({n: getattr(libvirt, n) for n in dir(libvirt) if n.startswith("VIR_") and isinstance(getattr(libvirt, n), int)}))';
      values = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      console.log('      (skipped: python3-libvirt unavailable)');
      this.skip();
    }
    const exported = core as unknown as Record<string, unknown>;
    const wrong = Object.entries(values).filter(([name, value]) => exported[name] !== value);
    assert.deepEqual(wrong, []);
    assert.ok(Object.keys(values).length >= 959);
  });
});
