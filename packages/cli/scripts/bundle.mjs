/*
 * `npm run bundle`: builds dist/vksh.cjs, the single-file bin, with esbuild, then writes V8's
 * code cache for it (write-code-cache.cjs).
 *
 * A few Node builtins that bundled packages import at top level but use rarely (zlib for test
 * screenshots, crypto for generated UUIDs/MACs, fs/promises for save files, os, net for isIP) are replaced by
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
