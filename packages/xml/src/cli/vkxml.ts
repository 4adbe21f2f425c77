/**
 * `vkxml`: format or validate a libvirt XML document.
 *
 *   vkxml format [--kind K] [--inactive] [--secure] [--document-order] FILE   prints the normalised document
 *   vkxml validate [--kind K] FILE                         checks it as libvirt would
 *
 * FILE may be '-' for stdin. The kind is guessed from the root element when omitted. Errors
 * print `error: <message>` on stderr and exit 1.
 */
import { readFileSync } from 'node:fs';
import { VirtError } from '@virtkit/core';
import { guessDocumentKind, KIND_ROOTS, normalizeXML, type DocumentKind } from '../kinds.js';

/** Where vkxml writes and reads; injectable for tests. */
export interface VkxmlIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
}

const USAGE = `usage: vkxml format [--kind KIND] [--inactive] [--secure] [--document-order] FILE
       vkxml validate [--kind KIND] FILE
KIND: ${Object.keys(KIND_ROOTS).join('|')}; FILE '-' reads stdin
`;

const defaultIO: VkxmlIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readFile: (p) => readFileSync(p === '-' ? 0 : p, 'utf8'),
};

class UsageError extends Error {}

/** Runs vkxml with `argv` (without node and script); returns the exit code. */
export function main(argv: readonly string[], io: VkxmlIO = defaultIO): number {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (command !== 'format' && command !== 'validate') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    let kind: DocumentKind | undefined;
    let file: string | undefined;
    const opts = { inactive: false, secure: false, documentOrder: false };
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--kind' || a.startsWith('--kind=')) {
        const v = a === '--kind' ? rest[++i] : a.slice(7);
        if (!v || !(v in KIND_ROOTS)) throw new UsageError(`unknown kind '${v ?? ''}'`);
        kind = v as DocumentKind;
      } else if (a === '--inactive' && command === 'format') opts.inactive = true;
      else if (a === '--secure' && command === 'format') opts.secure = true;
      else if (a === '--document-order' && command === 'format') opts.documentOrder = true;
      else if (a.startsWith('--') || file !== undefined) throw new UsageError(`unexpected argument '${a}'`);
      else file = a;
    }
    if (file === undefined) throw new UsageError('missing FILE');
    let xml: string;
    try {
      xml = io.readFile(file);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'No such file or directory' : err.code === 'EISDIR' ? 'Is a directory' : err.message;
      io.stderr(`error: Failed to open file '${file}': ${why}\n`);
      return 1;
    }
    const k = kind ?? guessDocumentKind(xml);
    const out = normalizeXML(k, xml, opts);
    io.stdout(command === 'format' ? out : `${file} validates\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n${USAGE}`);
      return 1;
    }
    if (e instanceof VirtError) {
      io.stderr(`error: ${e.message}\n`);
      return 1;
    }
    io.stderr(`error: ${(e as Error).message}\n`);
    return 1;
  }
}
