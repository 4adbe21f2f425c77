/**
 * Entry of the bundled bin (dist/vksh.mjs, built by `npm run bundle`). It carries the test
 * driver as a lazily loaded chunk and registers it with core only when a test:// URI is used.
 * Kept outside src/ so the CLI package keeps no compile-time dependency on any driver.
 */
import { setDriverLoader } from '../src/driver-loader.js';
import { main } from '../src/main.js';

setDriverLoader('test', () => import('@virtkit/driver-test') as Promise<{ driver: unknown }>);
await main();
