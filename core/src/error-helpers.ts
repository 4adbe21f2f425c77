/**
 * Helpers that raise libvirt's errors the way libvirt raises them, for core and for drivers.
 *
 * Some libvirt errors carry the generic prefix (virReportError: "Domain not found: ..."), others
 * do not: virReportInvalidArg and virCheckFlags format the message alone ("unsupported flags
 * (0x2) in function testDomainDestroyFlags", code VIR_ERR_INVALID_ARG). Both forms live here so
 * drivers never hand-build either.
 */
import { VIR_FROM_NONE } from './constants/error-domains.js';
import {
  VIR_ERR_INTERNAL_ERROR,
  VIR_ERR_INVALID_ARG,
  VIR_ERR_INVALID_CONN,
  VIR_ERR_NO_SUPPORT,
  VIR_ERR_OPERATION_ABORTED,
  VIR_ERR_OPERATION_DENIED,
} from './constants/error-codes.js';
import { VirtError, virtError } from './errors.js';

/** Whether `err` is a VirtError, optionally with the given code. */
export function isVirtError(err: unknown, code?: number): err is VirtError {
  return err instanceof VirtError && (code === undefined || err.code === code);
}

/**
 * VIR_ERR_INVALID_ARG with `message` as the whole text, as libvirt's virReportInvalidArg
 * (e.g. "memory in virDomainSetMemory must not be zero").
 */
export function invalidArg(message: string, domain: number = VIR_FROM_NONE): VirtError {
  return new VirtError(VIR_ERR_INVALID_ARG, message, { domain, detail: message });
}

/**
 * libvirt's virCheckFlags: throws VIR_ERR_INVALID_ARG "unsupported flags (0x%x) in function %s"
 * naming the bits outside `allowed`. `fnName` is the driver function libvirt would name (e.g.
 * `testDomainDestroyFlags`); `domain` is the driver's VIR_FROM_* (VIR_FROM_TEST, ...).
 */
export function checkFlags(flags: number, allowed: number, fnName: string, domain: number = VIR_FROM_NONE): void {
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
    throw invalidArg(`flags in ${fnName} must be an unsigned 32-bit integer, got ${String(flags)}`, domain);
  }
  // >>> 0 keeps the result unsigned when bit 31 is set.
  const unknown = (flags & ~allowed) >>> 0;
  if (unknown !== 0) throw invalidArg(`unsupported flags (0x${unknown.toString(16)}) in function ${fnName}`, domain);
}

/** VIR_ERR_NO_SUPPORT "this function is not supported by the connection driver: <api>". */
export function noSupport(api: string, domain: number = VIR_FROM_NONE): VirtError {
  return virtError(VIR_ERR_NO_SUPPORT, api, domain);
}

/** VIR_ERR_OPERATION_DENIED "operation forbidden: read only access prevents <api>". */
export function readOnlyDenied(api: string, domain: number = VIR_FROM_NONE): VirtError {
  return virtError(VIR_ERR_OPERATION_DENIED, `read only access prevents ${api}`, domain);
}

/** VIR_ERR_INVALID_CONN "invalid connection pointer in <api>" (used after close()). */
export function invalidConn(api: string, domain: number = VIR_FROM_NONE): VirtError {
  return virtError(VIR_ERR_INVALID_CONN, api, domain);
}

/**
 * VIR_ERR_OPERATION_ABORTED for a job whose AbortSignal fired; the signal's reason is the cause.
 * Its `name` is 'AbortError', so code that recognises aborts the DOM way (`err.name ===
 * 'AbortError'`) treats it as one, while it stays a VirtError with libvirt's code.
 */
export function abortedError(api: string, reason?: unknown, domain: number = VIR_FROM_NONE): VirtError {
  const err = new VirtError(VIR_ERR_OPERATION_ABORTED, `operation aborted: ${api} canceled by the caller`, {
    domain,
    detail: `${api} canceled by the caller`,
    cause: reason,
  });
  err.name = 'AbortError';
  return err;
}

/** Throws the aborted error when `signal` has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, api: string, domain: number = VIR_FROM_NONE): void {
  if (signal?.aborted) throw abortedError(api, signal.reason, domain);
}

/** Whether `err` is a DOM-style AbortError (what AbortSignal-aware Node APIs reject with). */
function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/**
 * Makes any failure a VirtError: VirtErrors pass through, AbortErrors become
 * VIR_ERR_OPERATION_ABORTED, anything else (a driver bug) VIR_ERR_INTERNAL_ERROR with the
 * original as `cause`, so every public API rejects with a VirtError.
 */
export function toVirtError(err: unknown, api: string, domain: number = VIR_FROM_NONE): VirtError {
  if (err instanceof VirtError) return err;
  if (isAbortError(err)) return abortedError(api, err, domain);
  const text = err instanceof Error ? err.message : String(err);
  return new VirtError(VIR_ERR_INTERNAL_ERROR, `internal error: ${api}: ${text}`, {
    domain,
    detail: `${api}: ${text}`,
    cause: err,
  });
}
