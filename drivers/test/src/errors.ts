/**
 * The errors the test driver raises, worded as libvirt 9.0's test driver words them.
 * Generic prefixes come from core's `virtError` table; the few errors libvirt reports without
 * the generic prefix (virCheckFlags, system errors) are built whole here.
 */
import { VirtError, checkFlags as coreCheckFlags, virtError } from '@virtkit/core';
import { Err, From } from './consts.js';

/** An error with libvirt's generic prefix for `code` and the test driver's error domain. */
export function testError(code: number, detail?: string, domain: number = From.TEST): VirtError {
  return virtError(code, detail, domain);
}

/**
 * virCheckFlags with the test driver's error domain: VIR_ERR_INVALID_ARG "unsupported flags
 * (0x..) in function NAME"; `fn` is libvirt's C function name, kept for parity.
 */
export function checkFlags(flags: number, allowed: number, fn: string): void {
  coreCheckFlags(flags, allowed, fn, From.TEST);
}

/** virReportSystemError: "<message>: <strerror>", VIR_ERR_SYSTEM_ERROR, no generic prefix. */
export function systemError(message: string, cause: unknown): VirtError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const text = code ? (STRERROR[code] ?? code) : String((cause as Error | undefined)?.message ?? cause);
  const full = `${message}: ${text}`;
  return new VirtError(Err.SYSTEM_ERROR, full, { domain: From.TEST, detail: full, cause });
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
};

/** VIR_ERR_NO_DOMAIN for a ref whose domain is gone. */
export function noDomainByUUID(uuid: string, name: string): VirtError {
  return testError(Err.NO_DOMAIN, `no domain with matching uuid '${uuid}' (${name})`);
}

/** VIR_ERR_OPERATION_INVALID "domain is not running" (virDomainObjCheckActive). */
export function notActive(): VirtError {
  return testError(Err.OPERATION_INVALID, 'domain is not running');
}

/** Wraps a non-VirtError thrown by a parser as libvirt's XML error. */
export function asVirtError(e: unknown, domain: number = From.DOMAIN): VirtError {
  if (e instanceof VirtError) return e;
  return testError(Err.XML_ERROR, e instanceof Error ? e.message : String(e), domain);
}
