/**
 * Host requirements for suites that need a real binary or device.
 *
 * A suite calls `requireHost(this, ...)` in its `before` hook. When something is missing it
 * skips with a printed reason, unless VIRTKIT_REQUIRE_HOST=1 (as `.ci/run` sets), where a
 * missing requirement fails the suite instead: CI skips nothing that CI can install.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Context } from 'mocha';

/** Absolute path of `name` on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** What a suite needs: binaries on PATH, paths that must exist, root. */
export interface HostNeeds {
  binaries?: string[];
  paths?: string[];
  root?: boolean;
}

/** Returns the list of unmet needs (empty when the host has everything). */
export function missingNeeds(needs: HostNeeds): string[] {
  const missing: string[] = [];
  for (const b of needs.binaries ?? []) if (!which(b)) missing.push(`binary '${b}' not on PATH`);
  for (const p of needs.paths ?? []) {
    try {
      accessSync(p);
    } catch {
      missing.push(`'${p}' does not exist`);
    }
  }
  if (needs.root && process.getuid?.() !== 0) missing.push('must run as root');
  return missing;
}

/** Skips (or, under VIRTKIT_REQUIRE_HOST=1, fails) the suite when the host lacks something. */
export function requireHost(ctx: Context, needs: HostNeeds): void {
  const missing = missingNeeds(needs);
  if (missing.length === 0) return;
  const reason = missing.join('; ');
  if (process.env.VIRTKIT_REQUIRE_HOST === '1') {
    throw new Error(`host requirement missing (VIRTKIT_REQUIRE_HOST=1): ${reason}`);
  }
  console.log(`    skipped: ${reason} (run bash .ci/install-packages)`);
  ctx.skip();
}
