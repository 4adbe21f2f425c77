/**
 * `npm run support-matrix`: writes docs/support-matrix.md from the built-in drivers (see
 * support-matrix-lib.ts for how drivers are probed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeBuiltinDrivers, renderMatrix } from './support-matrix-lib.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'support-matrix.md');

const cols = await probeBuiltinDrivers();
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, renderMatrix(cols));
for (const c of cols) {
  console.log(`${c.scheme}: ${c.methods ? `${c.methods.size} methods` : `not available (${c.unavailable})`}`);
}
console.log(`wrote ${OUT}`);
// Drivers may leave handles (timers, sockets) open; the matrix is written, so leave now.
process.exit(0);
