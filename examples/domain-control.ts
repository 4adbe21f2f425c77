/**
 * The classic libvirt Python example, in TypeScript: for each running domain print its state,
 * suspend it, print again, resume it, print again, and destroy it.
 *
 *   npx tsx examples/domain-control.ts [URI]      (default test:///default)
 */
import { connect } from '@virtkit/core';

const uri = process.argv[2] ?? 'test:///default';
const conn = await connect(uri);
try {
  for (const id of await conn.listDomains()) {
    const dom = await conn.lookupDomainByID(id);
    console.log(`Dom ${dom.getName()}  State ${(await dom.getInfo()).state}`);
    await dom.suspend();
    console.log(`Dom ${dom.getName()}  State ${(await dom.getInfo()).state} (after suspend)`);
    await dom.resume();
    console.log(`Dom ${dom.getName()}  State ${(await dom.getInfo()).state} (after resume)`);
    await dom.destroy();
  }
} finally {
  await conn.close();
}
