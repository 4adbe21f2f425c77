/**
 * Bundles a benchmark worker and the virtkit sources it imports with esbuild into one ES module
 * run by plain node, so that virtkit is measured as an application runs it: without tsx's
 * loader and the name-keeping wrappers its transform adds to every function.
 */
import { fileURLToPath } from 'node:url';

/** The worker: an entry file, or TypeScript source text (resolved from test/bench/). */
export type WorkerSource = { file: string } | { source: string };

/** Writes the bundle of `worker` to `outfile`; returns `outfile`. */
export async function bundleWorker(worker: WorkerSource, outfile: string): Promise<string> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    ...('file' in worker
      ? { entryPoints: [worker.file] }
      : { stdin: { contents: worker.source, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' as const } }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@virtkit/source'],
    outfile,
    // CommonJS dependencies (execa's) require() Node built-ins
    banner: { js: "import { createRequire as __vkCreateRequire } from 'node:module'; const require = __vkCreateRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}
