/**
 * The contract's concurrency check: 100 mixed calls on one domain at once, then the state,
 * the id, the lists and the event stream must all tell the same story.
 */
import assert from 'node:assert/strict';
import {
  VirtError,
  VIR_CONNECT_LIST_DOMAINS_ACTIVE,
  VIR_DOMAIN_EVENT_RESUMED,
  VIR_DOMAIN_EVENT_STARTED,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_SUSPENDED,
  VIR_DOMAIN_PAUSED,
  VIR_DOMAIN_RUNNING,
  VIR_DOMAIN_SHUTOFF,
  VIR_ERR_INTERNAL_ERROR,
  VIR_ERR_OPERATION_INVALID,
  type Connection,
  type Domain,
} from '@virtkit/core';

/** Inputs of the concurrency check. */
export interface ConcurrencyCheck {
  conn: Connection;
  /** A running domain. */
  dom: Domain;
  /** Whether the driver emits lifecycle events. */
  events: boolean;
  /** The domain's lifecycle events since the check started. */
  eventsOf(): [number, number][];
  /** Error codes conflicting calls may give besides OPERATION_INVALID and INTERNAL_ERROR. */
  allowedErrors: number[];
}

const OPS = ['suspend', 'resume', 'destroy', 'create', 'getInfo', 'getState', 'getXMLDesc', 'isActive'] as const;
type Op = (typeof OPS)[number];
/** Which lifecycle event a successful mutating call emits. */
const EVENT_OF: Partial<Record<Op, number>> = {
  suspend: VIR_DOMAIN_EVENT_SUSPENDED,
  resume: VIR_DOMAIN_EVENT_RESUMED,
  destroy: VIR_DOMAIN_EVENT_STOPPED,
  create: VIR_DOMAIN_EVENT_STARTED,
};

/** A small deterministic PRNG, so a failing mix can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The state each event leads to, and the states it may come from. */
const TRANSITIONS: Record<number, { from: number[]; to: number }> = {
  [VIR_DOMAIN_EVENT_STARTED]: { from: [VIR_DOMAIN_SHUTOFF], to: VIR_DOMAIN_RUNNING },
  [VIR_DOMAIN_EVENT_SUSPENDED]: { from: [VIR_DOMAIN_RUNNING], to: VIR_DOMAIN_PAUSED },
  [VIR_DOMAIN_EVENT_RESUMED]: { from: [VIR_DOMAIN_PAUSED], to: VIR_DOMAIN_RUNNING },
  [VIR_DOMAIN_EVENT_STOPPED]: { from: [VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED], to: VIR_DOMAIN_SHUTOFF },
};

/** Runs the 100 calls and checks consistency (throws an assertion error on mismatch). */
export async function runConcurrencyCheck(c: ConcurrencyCheck): Promise<void> {
  const seed = Number(process.env.VIRTKIT_CONTRACT_SEED ?? 20260101);
  const rand = lcg(seed);
  const ops: Op[] = Array.from({ length: 100 }, () => OPS[Math.floor(rand() * OPS.length)]!);
  const allowed = new Set([VIR_ERR_OPERATION_INVALID, VIR_ERR_INTERNAL_ERROR, ...c.allowedErrors]);
  const results = await Promise.allSettled(ops.map((op) => (c.dom[op] as () => Promise<unknown>).call(c.dom)));

  const succeeded = new Map<number, number>();
  results.forEach((r, i) => {
    const op = ops[i]!;
    if (r.status === 'rejected') {
      const err = r.reason as unknown;
      assert.ok(err instanceof VirtError, `call ${i} (${op}, seed ${seed}) rejected with a non-VirtError: ${String(err)}`);
      assert.ok(allowed.has(err.code), `call ${i} (${op}, seed ${seed}) failed with unexpected code ${err.code}: ${err.message}`);
    } else if (EVENT_OF[op] !== undefined) {
      succeeded.set(EVENT_OF[op]!, (succeeded.get(EVENT_OF[op]!) ?? 0) + 1);
    }
  });

  const { state } = await c.dom.getState();
  assert.ok([VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTOFF].includes(state), `unexpected final state ${state}`);
  assert.equal((await c.dom.getInfo()).state, state, 'getInfo and getState agree');
  const active = state !== VIR_DOMAIN_SHUTOFF;
  assert.equal(await c.dom.isActive(), active, 'isActive agrees with the state');
  const fresh = await c.conn.lookupDomainByName(c.dom.getName());
  assert.equal(fresh.getID() > 0, active, `a fresh lookup's id (${fresh.getID()}) agrees with the state`);
  const listed = (await c.conn.listAllDomains(VIR_CONNECT_LIST_DOMAINS_ACTIVE)).some((d) => d.getName() === c.dom.getName());
  assert.equal(listed, active, 'listAllDomains(ACTIVE) agrees with the state');

  if (!c.events) return;
  const expected = [...succeeded.values()].reduce((a, b) => a + b, 0);
  const deadline = Date.now() + 2000;
  while (c.eventsOf().length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const evs = c.eventsOf();
  for (const [event, count] of succeeded) {
    assert.equal(evs.filter(([e]) => e === event).length, count, `one event ${event} per successful call`);
  }
  let current: number = VIR_DOMAIN_RUNNING;
  for (const [event] of evs) {
    const t = TRANSITIONS[event];
    if (!t) continue;
    assert.ok(t.from.includes(current), `event ${event} arrived in state ${current}: events out of order`);
    current = t.to;
  }
  assert.equal(current, state, 'the event stream ends in the final state');
}
