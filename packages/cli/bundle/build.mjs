/*
 * `npm run bundle`: builds dist/vksh.cjs, the bin's bundle, with esbuild, then writes V8's
 * code cache for it (write-code-cache.cjs).
 *
 * Code a typical command never runs is split into chunks the bundle loads on first use,
 * through bin/vksh.js's loader with their own code caches: dist/vksh-xml.cjs (@virtkit/xml:
 * test:///default is built without parsing XML) and dist/vksh-help.cjs (help texts). Every
 * start reads, deserialises and initialises less. In the bundle, each chunk is a stand-in
 * module exporting the chunk's names: a name is a stand-in that loads the chunk when first
 * called, constructed or read, after which the binding is the real value (ESM bindings are
 * live, so later uses go straight to it).
 *
 * A few Node builtins that bundled packages import at top level but use rarely (zlib for test
 * screenshots, crypto for generated UUIDs/MACs, fs/promises for save files, os, net for isIP) are replaced by
 * lazy stand-ins: each exported function requires the real module on first call. Loading them
 * eagerly costs several milliseconds of every start.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const dist = join(pkg, 'dist');
const require = createRequire(import.meta.url);
const LAZY = ['node:zlib', 'node:crypto', 'node:fs/promises', 'node:os', 'node:net'];

/*
 * node:net's isIP family, as Node's own internal/net.js defines them: the test driver's XML
 * parsing calls isIP at every start, and loading node:net pulls in all of node:stream.
 */
const IP_SOURCE = String.raw`
const v4Seg = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const v4Str = '(?:' + v4Seg + '\.){3}' + v4Seg;
const IPv4Reg = new RegExp('^' + v4Str + '$');
const v6Seg = '(?:[0-9a-fA-F]{1,4})';
const IPv6Reg = new RegExp('^(?:' +
  '(?:' + v6Seg + ':){7}(?:' + v6Seg + '|:)|' +
  '(?:' + v6Seg + ':){6}(?:' + v4Str + '|:' + v6Seg + '|:)|' +
  '(?:' + v6Seg + ':){5}(?::' + v4Str + '|(?::' + v6Seg + '){1,2}|:)|' +
  '(?:' + v6Seg + ':){4}(?:(?::' + v6Seg + '){0,1}:' + v4Str + '|(?::' + v6Seg + '){1,3}|:)|' +
  '(?:' + v6Seg + ':){3}(?:(?::' + v6Seg + '){0,2}:' + v4Str + '|(?::' + v6Seg + '){1,4}|:)|' +
  '(?:' + v6Seg + ':){2}(?:(?::' + v6Seg + '){0,3}:' + v4Str + '|(?::' + v6Seg + '){1,5}|:)|' +
  '(?:' + v6Seg + ':){1}(?:(?::' + v6Seg + '){0,4}:' + v4Str + '|(?::' + v6Seg + '){1,6}|:)|' +
  '(?::(?:(?::' + v6Seg + '){0,5}:' + v4Str + '|(?::' + v6Seg + '){1,7}|:))' +
')(?:%[0-9a-zA-Z-.:]{1,})?$');
export function isIPv4(s) { return IPv4Reg.test(s); }
export function isIPv6(s) { return IPv6Reg.test(s); }
export function isIP(s) { return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0; }
`;
const PURE = { 'node:net': { names: ['isIP', 'isIPv4', 'isIPv6'], source: IP_SOURCE } };

/** Source of a stand-in module: every function of `spec`, loading `spec` when first called. */
function lazyModule(spec) {
  const real = require(spec);
  const pure = PURE[spec];
  const names = Object.keys(real).filter(
    (k) => typeof real[k] === 'function' && /^[A-Za-z_$][\w$]*$/.test(k) && !pure?.names.includes(k),
  );
  let src = `${pure?.source ?? ''}\nlet m; const get = () => (m ??= require(${JSON.stringify(spec)}));\n`;
  for (const n of names) {
    src += `export function ${n}(...a) { return new.target ? Reflect.construct(get().${n}, a) : get().${n}.apply(this, a); }\n`;
  }
  return src;
}

const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY.map((s) => s.replace(/[/]/g, '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      // the stand-ins themselves require the real module
      args.namespace === 'lazy-builtin' ? undefined : { path: args.path, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyModule(args.path), loader: 'js' }));
  },
};

/*
 * Large constant tables as JSON.parse of a string: V8 parses JSON faster than it builds the
 * same object literal, and the code cache holds one string instead of the literal's
 * boilerplate. A table that is not plain JSON is left as it is.
 */
const JSON_TABLES = [{ file: join(pkg, 'src', 'command-defs.ts'), name: 'COMMAND_DEFS' }];
const jsonTables = {
  name: 'json-tables',
  setup(b) {
    for (const table of JSON_TABLES) {
      const filter = new RegExp(`^${table.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      b.onLoad({ filter }, async (args) => {
        const src = await readFile(args.path, 'utf8');
        const re = new RegExp(`(export const ${table.name}\\b[^=]*=\\s*)(\\[[\\s\\S]*?\\n\\]);`);
        const m = re.exec(src);
        if (!m) return undefined;
        let value;
        try {
          value = JSON.parse(m[2].replace(/,(\s*)\]$/, '$1]'));
        } catch {
          return undefined;
        }
        const contents = src.slice(0, m.index) + `${m[1]}JSON.parse(${JSON.stringify(JSON.stringify(value))});` + src.slice(m.index + m[0].length);
        return { contents, loader: 'ts' };
      });
    }
  },
};

/** The chunks: what they replace in the bundle, their entry, what they take from the bundle. */
const CHUNKS = [
  { name: 'vksh-xml', filter: /^@virtkit\/xml$/, entry: '@virtkit/xml', shared: ['@virtkit/core'] },
  { name: 'vksh-help', filter: /command-help(\.js|\.ts)?$/, entry: join(pkg, 'src', 'command-help.ts'), shared: [] },
  // the QEMU and storage drivers with what they use, @virtkit/xml included (a copy: sharing
  // the XML chunk's stand-ins would give them proxies for constants); one core for all
  { name: 'vksh-drivers', filter: /^\.\/drivers\.js$/, entry: join(pkg, 'bundle', 'drivers.ts'), shared: ['@virtkit/core'], lazyBuiltins: false },
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  conditions: ['@virtkit/source'],
  logLevel: 'warning',
  absWorkingDir: pkg,
};

/** Builds a chunk; returns its export names. */
async function buildChunk(chunk) {
  const entry = { contents: `export * from ${JSON.stringify(chunk.entry)};`, resolveDir: pkg, loader: 'js' };
  // the names it exports (an ESM build's metafile lists them)
  const probe = await build({ ...common, stdin: entry, format: 'esm', write: false, metafile: true, external: chunk.shared, outfile: 'probe.mjs' });
  const names = Object.values(probe.metafile.outputs).find((o) => o.exports)?.exports ?? [];
  // and the names it imports from the bundle (the bundle keeps only what is used: no namespaces)
  const text = probe.outputFiles[0].text;
  const imports = chunk.shared.map((spec) => {
    const used = new Set();
    const re = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*${JSON.stringify(JSON.stringify(spec)).slice(1, -1)}`, 'g');
    for (const m of text.matchAll(re)) for (const part of m[1].split(',')) used.add(part.trim().split(/\s+as\s+/)[0]);
    if (new RegExp(`import\\s*\\*\\s*as\\s*\\S+\\s*from\\s*${JSON.stringify(JSON.stringify(spec)).slice(1, -1)}`).test(text)) return undefined;
    return [...used].filter(Boolean);
  });
  // the drivers chunk takes Node builtins as they are (execa reads os.constants); it is not on
  // the path of a test:///default start, which the stand-ins are for
  const plugins = chunk.lazyBuiltins === false ? [] : [lazyBuiltins];
  await build({ ...common, stdin: entry, format: 'cjs', outfile: join(dist, `${chunk.name}.cjs`), external: chunk.shared, plugins });
  return { names, imports };
}

/** Source of a chunk's stand-in module in the bundle. */
function standIn(chunk, { names, imports }) {
  let src = '';
  chunk.shared.forEach((spec, i) => {
    const used = imports[i];
    if (used === undefined) src += `import * as __s${i} from ${JSON.stringify(spec)};\n`;
    else {
      src += `import { ${used.map((n, j) => `${n} as __s${i}_${j}`).join(', ')} } from ${JSON.stringify(spec)};\n`;
      src += `const __s${i} = { ${used.map((n, j) => `${n}: __s${i}_${j}`).join(', ')} };\n`;
    }
  });
  const deps = `{ ${chunk.shared.map((spec, i) => `${JSON.stringify(spec)}: __s${i}`).join(', ')} }`;
  src += `let __m;
function __load() {
  if (__m) return __m;
  __m = __vkLoad(${JSON.stringify(chunk.name)}, ${deps});
${names.map((n, i) => `  __v${i} = __m[${JSON.stringify(n)}];`).join('\n')}
  return __m;
}
function __lazy(k) {
  const p = new Proxy(function () {}, {
    apply: (_, self, args) => Reflect.apply(__load()[k], self, args),
    construct: (_, args, nt) => { const real = __load()[k]; return Reflect.construct(real, args, nt === p ? real : nt); },
    get: (_, prop) => { const real = __load()[k]; const v = Reflect.get(real, prop); return typeof v === 'function' && prop !== 'prototype' && typeof real !== 'function' ? v.bind(real) : v; },
    has: (_, prop) => Reflect.has(__load()[k], prop),
  });
  return p;
}
`;
  names.forEach((n, i) => (src += `let __v${i} = /* @__PURE__ */ __lazy(${JSON.stringify(n)});\nexport { __v${i} as ${JSON.stringify(n)} };\n`));
  return src;
}

/** The names the bundle imports from each chunk (undefined: all, as for a dynamic import). */
async function namesUsed() {
  const probe = await build({
    ...common,
    entryPoints: [join(pkg, 'bundle', 'entry.ts')],
    format: 'esm',
    write: false,
    outfile: 'probe.mjs',
    plugins: [
      {
        name: 'chunks-external',
        setup(b) {
          for (const chunk of CHUNKS) b.onResolve({ filter: chunk.filter }, () => ({ path: chunk.name, external: true }));
        },
      },
      lazyBuiltins,
    ],
  });
  const text = probe.outputFiles[0].text;
  const used = new Map();
  for (const chunk of CHUNKS) {
    const from = `from\\s*"${chunk.name}"`;
    if (new RegExp(`import\\s*\\(\\s*"${chunk.name}"|import\\s*\\*\\s*as\\s*\\S+\\s*${from}`).test(text)) continue;
    const names = new Set();
    for (const m of text.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*${from}`, 'g'))) {
      for (const part of m[1].split(',')) names.add(part.trim().split(/\s+as\s+/)[0].replace(/^"(.*)"$/, '$1'));
    }
    used.set(chunk.name, names);
  }
  return used;
}

const used = await namesUsed();
const standIns = new Map();
for (const chunk of CHUNKS) {
  const built = await buildChunk(chunk);
  const wanted = used.get(chunk.name);
  // only what the bundle imports gets a stand-in (each is created at start)
  if (wanted) built.names = built.names.filter((n) => wanted.has(n));
  standIns.set(chunk.name, standIn(chunk, built));
}

const chunks = {
  name: 'chunks',
  setup(b) {
    for (const chunk of CHUNKS) {
      b.onResolve({ filter: chunk.filter }, (args) => (args.namespace === 'chunk' ? undefined : { path: chunk.name, namespace: 'chunk' }));
    }
    b.onLoad({ filter: /.*/, namespace: 'chunk' }, (args) => ({ contents: standIns.get(args.path), loader: 'js', resolveDir: pkg }));
  },
};

await build({
  entryPoints: [join(pkg, 'bundle', 'entry.ts')],
  outfile: join(pkg, 'dist', 'vksh.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  conditions: ['@virtkit/source'],
  logLevel: 'warning',
  plugins: [chunks, jsonTables, lazyBuiltins],
});

const cache = spawnSync(process.execPath, [join(here, 'write-code-cache.cjs')], { stdio: 'inherit' });
process.exit(cache.status ?? 1);
