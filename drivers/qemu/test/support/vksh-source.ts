/**
 * Runs vksh from its TypeScript sources (`node --import tsx vksh-source.ts ARGS...`), for the
 * e2e test when the bundled bin cannot load the QEMU driver.
 */
import { main } from '../../../../packages/cli/src/main.js';

await main();
