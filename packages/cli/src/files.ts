/**
 * Reading the XML files commands take, with libvirt's virFileReadAll error text.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CmdError, type Ctl } from './context.js';

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  EPERM: 'Operation not permitted',
};

/** strerror() for a Node system error. */
export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return ERRNO_TEXT[code] ?? (e instanceof Error ? e.message : String(e));
}

/** Resolves a user-given file name against the invocation's working directory. */
export function userPath(ctl: Ctl, file: string): string {
  return resolve(ctl.cwd, file);
}

/**
 * Reads a whole text file, failing as virsh does: "Failed to open file 'F': <strerror>".
 * Synchronous on purpose: node:fs/promises alone costs milliseconds of start-up.
 */
export async function readInput(ctl: Ctl, file: string): Promise<string> {
  try {
    return readFileSync(userPath(ctl, file), 'utf8');
  } catch (e) {
    const what = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open';
    throw new CmdError(`Failed to ${what} file '${file}': ${strerror(e)}`);
  }
}
