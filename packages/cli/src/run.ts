/**
 * Runs the vksh program from the unbundled build (dist/run.js). bin/vksh.js uses it for URIs
 * whose driver the bundle does not carry (qemu://, ...), so core and the driver it loads from
 * node_modules are one and the same copy.
 */
import { main } from './main.js';

void main();
