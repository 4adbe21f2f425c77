#!/usr/bin/env node
/*
 * The vksh command. CommonJS on purpose: it avoids the ESM loader and the eager node:fs
 * facade that ESM builds for builtins, both measurable at start-up. It runs the esbuild
 * bundle (dist/vksh.cjs, `npm run bundle -w @virtkit/cli`) through vm.Script with V8's code
 * cache (dist/vksh.cjs.cache), so the bundle is not recompiled on every start; the bundle
 * loads its chunks (dist/vksh-xml.cjs, dist/vksh-help.cjs) the same way, on first use.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The URI this invocation connects to: -c/--connect before the command, else the env. */
function requestedURI(argv) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('--connect=')) return a.slice('--connect='.length);
    if (a === '--connect') return argv[i + 1];
    if (!a.startsWith('-') || a === '-') break;
    if (!a.startsWith('--')) {
      // a cluster such as -qrc URI: the first option taking a value ends it
      for (let j = 1; j < a.length; j++) {
        if ('cdeklK'.includes(a[j])) {
          const value = a.length > j + 1 ? a.slice(j + 1) : argv[++i];
          if (a[j] === 'c') return value;
          break;
        }
      }
    } else if (/^--(debug|escape|keepalive-interval|keepalive-count|log)$/.test(a)) {
      i++;
    }
  }
  return process.env.VIRTKIT_DEFAULT_URI || process.env.LIBVIRT_DEFAULT_URI || undefined;
}

// The bundle carries the test driver, and the QEMU and storage drivers in a chunk. Other
// drivers load from node_modules, and must see the same core as vksh: those URIs (and the
// default one, found by probing) run the unbundled build. (Node 20 also drops dynamic
// import() support from code restored from a code cache.)
const uri = requestedURI(process.argv.slice(2));
const bundled = /^(qemu|storage)(\+[^:]*)?:/i.test(uri ?? '')
  ? fs.existsSync(path.join(__dirname, '..', 'dist', 'vksh-drivers.cjs')) // a bundle built before the chunk existed: unbundled
  : /^test(\+[^:]*)?:/i.test(uri ?? '');
if (!bundled) {
  import(path.join(__dirname, '..', 'dist', 'run.js'));
  return;
}

const vm = require('node:vm');
const dist = path.join(__dirname, '..', 'dist');
// VKSH_WRITE_CODE_CACHE (the bundle step): 1 stores the cache of every script loaded, or a
// comma-separated list names the ones to store, after a representative run, so a cache holds
// the functions that run compiled too; a cache V8 rejects is rebuilt the same way.
const writeCache = process.env.VKSH_WRITE_CODE_CACHE;
const toWrite = [];
// VKSH_TRACE_LOAD=1 names each script as it loads (the tests check what a start loads)
const trace = process.env.VKSH_TRACE_LOAD === '1';

/**
 * Runs dist/<name>.cjs (a CommonJS module) with its code cache and returns its exports;
 * `shared` maps module names to what the bundle shares with a chunk (one core for both).
 */
function load(name, shared) {
  if (trace) fs.writeSync(2, `vksh: loading ${name}\n`);
  const file = path.join(dist, `${name}.cjs`);
  const cacheFile = `${file}.cache`;
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`error: ${file} is missing: run 'npm run bundle -w @virtkit/cli'\n`);
    process.exit(1);
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The CommonJS wrapper by hand: node:module would load Node's ESM loader as well.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __vkLoad) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (
    (writeCache !== undefined && (writeCache === '1' || writeCache.split(',').includes(name))) ||
    (cachedData && script.cachedDataRejected)
  ) {
    if (toWrite.length === 0) process.once('exit', writeCaches);
    toWrite.push([script, cacheFile]);
  }
  const mod = { exports: {} };
  // The bundle requires Node builtins (and a chunk what the bundle shares), which resolve here.
  const req = shared ? (id) => (Object.prototype.hasOwnProperty.call(shared, id) ? shared[id] : require(id)) : require;
  script.runInThisContext()(mod.exports, req, mod, file, dist, load);
  return mod.exports;
}

function writeCaches() {
  for (const [script, cacheFile] of toWrite) {
    // write then rename: a concurrent vksh never reads half a cache
    const tmp = `${cacheFile}.${process.pid}`;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // a read-only install keeps working, just without the cache
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
  }
}

load('vksh');
