#!/usr/bin/env node
// The vksh command: the esbuild bundle (npm run bundle -w @virtkit/cli builds it).
import '../dist/bundle/vksh.mjs';
