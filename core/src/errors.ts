/**
 * VirtError: every failure in virtkit, with libvirt's virErrorNumber, virErrorDomain and
 * message format ("<generic message for the code>: <detail>").
 *
 * SKELETON pinned by the architect: the class shape and `virtError()` signature are the
 * contract; the message table is completed in errors-messages.ts.
 */
import { errorMessageFor } from './error-messages.js';

/** virErrorLevel: no error. */
export const VIR_ERR_NONE = 0;
/** virErrorLevel: a warning. */
export const VIR_ERR_WARNING = 1;
/** virErrorLevel: an error (every VirtError core raises). */
export const VIR_ERR_ERROR = 2;

/**
 * Marks VirtError instances across copies of this module. Test runners (tsx under mocha) and
 * nested installs can load core twice (CJS and ESM); a registered symbol makes `instanceof
 * VirtError` hold for errors raised by either copy.
 */
const BRAND: unique symbol = Symbol.for('virtkit.VirtError') as never;

/** A libvirt error: `code` is virErrorNumber, `domain` virErrorDomain, `level` virErrorLevel. */
export class VirtError extends Error {
  /** True for VirtErrors from any copy of @virtkit/core (see BRAND); subclasses check normally. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== VirtError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

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
    Object.defineProperty(this, BRAND, { value: true });
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
