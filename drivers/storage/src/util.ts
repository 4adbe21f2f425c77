/**
 * Small helpers shared by the storage backends: errors in the storage domain, running
 * external tools (argument arrays, never a shell), and errno translation.
 */
import { execa } from 'execa';
import { abortedError, checkFlags as coreCheckFlags, throwIfAborted as coreThrowIfAborted, VirtError, virtError } from '@virtkit/core';
import {
  VIR_ERR_INTERNAL_ERROR,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_SYSTEM_ERROR,
  VIR_FROM_STORAGE,
} from './constants.js';

/** A VirtError raised by the storage driver (domain VIR_FROM_STORAGE). */
export function storageError(code: number, detail?: string): VirtError {
  return virtError(code, detail, VIR_FROM_STORAGE);
}

/** Whether `e` is a Node system error with the given errno code (e.g. 'ENOENT'). */
export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EBUSY: 'Device or resource busy',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
};

/** libvirt's virReportSystemError: "<what>: <strerror(errno)>" with VIR_ERR_SYSTEM_ERROR. */
export function systemError(what: string, e: unknown): VirtError {
  if (e instanceof VirtError) return e;
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  const text = STRERROR[code] ?? (e as Error)?.message ?? String(e);
  const err = storageError(VIR_ERR_SYSTEM_ERROR, `${what}: ${text}`);
  (err as { cause?: unknown }).cause = e;
  return err;
}

/** Throws VIR_ERR_OPERATION_ABORTED (core's abortedError) when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  coreThrowIfAborted(signal, what, VIR_FROM_STORAGE);
}

/** The VIR_ERR_OPERATION_ABORTED error of a job named `what`. */
export function aborted(what: string, signal?: AbortSignal): VirtError {
  return abortedError(what, signal?.reason, VIR_FROM_STORAGE);
}

/** Result of running a tool. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `file args...` and returns its output; a non-zero exit becomes libvirt's
 * "Child process (...) unexpected exit status N: stderr" internal error.
 */
export async function run(
  file: string,
  args: readonly string[],
  opts: { signal?: AbortSignal; input?: string; onStdout?: (text: string) => void } = {},
): Promise<RunResult> {
  const sub = execa(file, args, {
    reject: false,
    stripFinalNewline: true,
    cancelSignal: opts.signal,
    input: opts.input,
    env: { LC_ALL: 'C' },
  });
  if (opts.onStdout) sub.stdout?.on('data', (d: Buffer) => opts.onStdout!(d.toString('utf8')));
  const res = await sub;
  if (res.isCanceled) throw aborted(`${file} ${args[0] ?? ''}`.trim(), opts.signal);
  if (res.failed) {
    const cmd = [file, ...args].join(' ');
    if ((res as { code?: string }).code === 'ENOENT') {
      throw storageError(VIR_ERR_INTERNAL_ERROR, `Cannot find '${file}' in path: No such file or directory`);
    }
    const status = res.exitCode ?? -1;
    const err = String(res.stderr || res.stdout || '').trim();
    throw storageError(VIR_ERR_INTERNAL_ERROR, `Child process (${cmd}) unexpected exit status ${status}${err ? `: ${err}` : ''}`);
  }
  return { stdout: String(res.stdout), stderr: String(res.stderr) };
}

/** The longest volume/pool name we accept (NAME_MAX of the file systems we target). */
export const MAX_NAME_LENGTH = 255;

/**
 * Rejects names that could escape their pool: empty, '.', '..', containing '/' or NUL,
 * or longer than NAME_MAX bytes. `what` names the object in the message.
 */
export function checkName(name: unknown, what: 'volume' | 'pool'): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw storageError(VIR_ERR_INVALID_ARG, `${what} name must not be empty`);
  }
  if (name.includes('\0')) throw storageError(VIR_ERR_INVALID_ARG, `${what} name '${name.replace(/\0/g, '\\0')}' contains a NUL character`);
  if (name.includes('/')) throw storageError(VIR_ERR_INVALID_ARG, `${what} name '${name}' cannot contain '/'`);
  if (name === '.' || name === '..') throw storageError(VIR_ERR_INVALID_ARG, `${what} name '${name}' is not allowed`);
  if (Buffer.byteLength(name) > MAX_NAME_LENGTH) {
    throw storageError(VIR_ERR_INVALID_ARG, `${what} name '${name.slice(0, 32)}...' is longer than ${MAX_NAME_LENGTH} bytes`);
  }
  return name;
}

/** libvirt's virCheckFlags (core's checkFlags) in the storage error domain. */
export function checkFlags(flags: number, allowed: number, fn: string): void {
  coreCheckFlags(flags, allowed, fn, VIR_FROM_STORAGE);
}
