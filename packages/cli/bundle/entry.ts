/**
 * Entry of the bundled bin (dist/vksh.cjs, built by `npm run bundle`): one CommonJS file,
 * loaded by bin/vksh.js through V8's code cache. It carries the test driver, initialised
 * lazily and registered with core only when a test:// URI is used. Kept outside src/ so the
 * CLI package has no compile-time dependency on any driver.
 */
import { setDriverLoader } from '../src/driver-loader.js';
import { main } from '../src/main.js';

setDriverLoader('test', () => import('@virtkit/driver-test') as Promise<{ driver: unknown }>);
void main();
