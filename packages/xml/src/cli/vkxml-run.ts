/**
 * Runs vkxml from the TypeScript sources (`node --import tsx src/cli/vkxml-run.ts ...`).
 */
import { main } from './vkxml.js';

process.exitCode = main(process.argv.slice(2));
