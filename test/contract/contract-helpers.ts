/**
 * Small assertion helpers shared by the contract suite's files.
 */
import assert from 'node:assert/strict';
import { VirtError } from '@virtkit/core';

/** Polls `check` until it passes or `ms` elapse (drivers may emit events asynchronously). */
export async function eventually(check: () => void, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Asserts `p` rejects with a VirtError of `code`. */
export async function rejectsCode(p: Promise<unknown>, code: number, what: string): Promise<VirtError> {
  let caught: unknown;
  await p.then(
    () => assert.fail(`${what}: expected error code ${code}, but it succeeded`),
    (err: unknown) => (caught = err),
  );
  assert.ok(caught instanceof VirtError, `${what}: expected a VirtError, got ${String(caught)}`);
  assert.equal(caught.code, code, `${what}: expected code ${code}, got ${caught.code} (${caught.message})`);
  return caught;
}
