/**
 * VirtError: every failure in virtkit, with libvirt's virErrorNumber, virErrorDomain and
 * message format ("<generic message for the code>: <detail>").
 *
 * SKELETON pinned by the architect: the class shape and `virtError()` signature are the
 * contract; the message table is completed in errors-messages.ts.
 */
import { errorMessageFor } from './error-messages.js';

/** virErrorLevel. */
export const VIR_ERR_NONE = 0;
export const VIR_ERR_WARNING = 1;
export const VIR_ERR_ERROR = 2;

/** A libvirt error: `code` is virErrorNumber, `domain` virErrorDomain, `level` virErrorLevel. */
export class VirtError extends Error {
  /** virErrorNumber (VIR_ERR_*). */
  readonly code: number;
  /** virErrorDomain (VIR_FROM_*): which part of the system raised it. */
  readonly domain: number;
  /** virErrorLevel. */
  readonly level: number;
  /** The detail text without the generic prefix (libvirt's str1/info). */
  readonly detail?: string;

  constructor(code: number, message: string, options: { domain?: number; level?: number; detail?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VirtError';
    this.code = code;
    this.domain = options.domain ?? 0;
    this.level = options.level ?? VIR_ERR_ERROR;
    this.detail = options.detail;
  }
}

/**
 * Builds a VirtError the way libvirt's virReportError does: the generic message for `code`,
 * then ": detail" when a detail is given (e.g. code 42 + "no domain with matching name 'x'"
 * -> "Domain not found: no domain with matching name 'x'").
 */
export function virtError(code: number, detail?: string, domain = 0): VirtError {
  return new VirtError(code, errorMessageFor(code, detail), { domain, detail });
}
