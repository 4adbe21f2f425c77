/**
 * The contract's bad-input checks: malformed XML, duplicate names and UUIDs, unknown flags and
 * missing objects give VirtErrors with libvirt's codes and leave the driver's state unchanged
 * (compared before and after).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  VirtError,
  VIR_ERR_DOM_EXIST,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_OPERATION_FAILED,
  VIR_ERR_XML_DETAIL,
  VIR_ERR_XML_ERROR,
  type Connection,
  type SpiMethodName,
} from '@virtkit/core';

/** What the bad-input test needs from the suite. */
export interface BadInputHarness {
  conn(): Connection;
  newName(): string;
  needs(ctx: Mocha.Context, ...methods: SpiMethodName[]): void;
  newDomainXML(name: string): string;
}

async function snapshot(conn: Connection): Promise<string[]> {
  const out: string[] = [];
  for (const dom of await conn.listAllDomains()) {
    const { state, reason } = await dom.getState();
    out.push(`${dom.getName()} ${dom.getUUIDString()} ${dom.getID()} ${state}/${reason}`);
  }
  return out.sort();
}

async function failsWithOneOf(p: Promise<unknown>, codes: number[], what: string): Promise<void> {
  let caught: unknown;
  await p.then(
    () => assert.fail(`${what}: expected an error`),
    (err: unknown) => (caught = err),
  );
  assert.ok(caught instanceof VirtError, `${what}: expected a VirtError, got ${String(caught)}`);
  assert.ok(codes.includes(caught.code), `${what}: code ${caught.code} (${caught.message}) not in ${codes.join(', ')}`);
}

/** Adds a uuid element to a domain XML (after `<name>`). */
function withUUID(xml: string, uuid: string): string {
  return xml.replace(/(<\/name>)/, `$1<uuid>${uuid}</uuid>`);
}

/** Registers the bad-input test (call inside the suite's describe). */
export function badInputTests(h: BadInputHarness): void {
  it('bad input gives the right VirtError and leaves the driver state unchanged', async function () {
    h.needs(this, 'connectListAllDomains', 'domainDefineXML', 'domainCreateXML', 'domainGetState', 'domainLookupByName', 'domainUndefine');
    const conn = h.conn();
    const name = h.newName();
    const uuid = randomUUID();
    const dom = await conn.defineDomainXML(withUUID(h.newDomainXML(name), uuid));
    try {
      const before = await snapshot(conn);
      const xmlCodes = [VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL];
      await failsWithOneOf(conn.defineDomainXML('<domain'), xmlCodes, 'define of malformed XML');
      await failsWithOneOf(conn.defineDomainXML('<network/>'), xmlCodes, 'define of a non-domain document');
      await failsWithOneOf(conn.createDomainXML('<domain'), xmlCodes, 'create of malformed XML');
      const dupCodes = [VIR_ERR_OPERATION_FAILED, VIR_ERR_DOM_EXIST];
      await failsWithOneOf(conn.defineDomainXML(withUUID(h.newDomainXML(name), randomUUID())), dupCodes, 'define of a duplicate name');
      await failsWithOneOf(conn.defineDomainXML(withUUID(h.newDomainXML(h.newName()), uuid)), dupCodes, 'define of a duplicate UUID');
      await failsWithOneOf(conn.createDomainXML(withUUID(h.newDomainXML(name), randomUUID())), dupCodes, 'create of a duplicate name');
      await failsWithOneOf(conn.listAllDomains(1 << 30), [VIR_ERR_INVALID_ARG], 'listAllDomains with unknown flags');
      await failsWithOneOf(dom.getState(1 << 30), [VIR_ERR_INVALID_ARG], 'getState with unknown flags');
      await failsWithOneOf(dom.undefine(1 << 30), [VIR_ERR_INVALID_ARG], 'undefine with unknown flags');
      await failsWithOneOf(conn.lookupDomainByName(h.newName()), [VIR_ERR_NO_DOMAIN], 'lookup of a missing domain');
      assert.deepEqual(await snapshot(conn), before, 'driver state unchanged');
    } finally {
      await dom.undefine();
    }
  });
}
