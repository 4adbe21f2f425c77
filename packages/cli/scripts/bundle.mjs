/*
 * `npm run bundle`: builds dist/vksh.cjs, the single-file bin, with esbuild, then writes V8's
 * code cache for it (write-code-cache.cjs).
 *
 * A few Node builtins that bundled packages import at top level but use rarely (zlib for test
 * screenshots, crypto for generated UUIDs/MACs, fs/promises for save files, os) are replaced by
 * lazy stand-ins: each exported function requires the real module on first call. Loading them
 * eagerly costs several milliseconds of every start.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const require = createRequire(import.meta.url);
const LAZY = ['node:zlib', 'node:crypto', 'node:fs/promises', 'node:os'];

/** Source of a stand-in module: every function of `spec`, loading `spec` when first called. */
function lazyModule(spec) {
  const real = require(spec);
  const names = Object.keys(real).filter((k) => typeof real[k] === 'function' && /^[A-Za-z_$][\w$]*$/.test(k));
  let src = `let m; const get = () => (m ??= require(${JSON.stringify(spec)}));\n`;
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
  plugins: [lazyBuiltins],
});

const cache = spawnSync(process.execPath, [join(here, 'write-code-cache.cjs')], { stdio: 'inherit' });
process.exit(cache.status ?? 1);
