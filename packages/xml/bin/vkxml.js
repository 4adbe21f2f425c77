#!/usr/bin/env node
// vkxml: format or validate libvirt XML (see src/cli/vkxml.ts).
import { main } from '../dist/cli/vkxml.js';

process.exitCode = main(process.argv.slice(2));
