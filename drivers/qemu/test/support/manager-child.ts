/**
 * A managing process for the reliability test: opens the root given as argv[2], starts
 * argv[3] firmware-only guests (pausing the odd ones), prints READY, then idles until killed.
 */
import { openRoot, firmwareXML } from './harness.js';

const root = process.argv[2]!;
const n = Number(process.argv[3] ?? 10);
const r = await openRoot(root);
await Promise.all(Array.from({ length: n }, async (_, i) => {
  const dom = await r.hv.domainCreate!(await r.hv.domainDefineXML!(firmwareXML(`rel-${i}`), 0), 0);
  if (i % 2 === 1) await r.hv.domainSuspend!(dom);
}));
process.stdout.write('READY\n');
setInterval(() => undefined, 1 << 30);
