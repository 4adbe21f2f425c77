/**
 * The libvirt error codes (virErrorNumber) and domains (virErrorDomain) this package raises,
 * and small builders for them.
 */
import { virtError, type VirtError } from '@virtkit/core';

/** VIR_ERR_INTERNAL_ERROR. */
export const VIR_ERR_INTERNAL_ERROR = 1;
/** VIR_ERR_INVALID_ARG. */
export const VIR_ERR_INVALID_ARG = 8;
/** VIR_ERR_NO_NAME. */
export const VIR_ERR_NO_NAME = 21;
/** VIR_ERR_NO_TARGET. */
export const VIR_ERR_NO_TARGET = 20;
/** VIR_ERR_XML_ERROR. */
export const VIR_ERR_XML_ERROR = 27;
/** VIR_ERR_CONFIG_UNSUPPORTED. */
export const VIR_ERR_CONFIG_UNSUPPORTED = 67;
/** VIR_ERR_OVERFLOW. */
export const VIR_ERR_OVERFLOW = 82;

/** VIR_FROM_XML. */
export const VIR_FROM_XML = 5;
/** VIR_FROM_STORAGE. */
export const VIR_FROM_STORAGE = 18;
/** VIR_FROM_NETWORK. */
export const VIR_FROM_NETWORK = 19;
/** VIR_FROM_DOMAIN. */
export const VIR_FROM_DOMAIN = 20;
/** VIR_FROM_DOMAIN_SNAPSHOT. */
export const VIR_FROM_DOMAIN_SNAPSHOT = 35;
/** VIR_FROM_CAPABILITIES. */
export const VIR_FROM_CAPABILITIES = 44;

/** VIR_ERR_XML_ERROR "XML error: detail". */
export function xmlError(detail: string, domain = VIR_FROM_DOMAIN): VirtError {
  return virtError(VIR_ERR_XML_ERROR, detail, domain);
}

/** libvirt's "Invalid value for attribute 'a' in element 'e': 'v'." (virXMLPropEnum). */
export function invalidAttr(attr: string, element: string, value: string): VirtError {
  return virtError(VIR_ERR_XML_ERROR, `Invalid value for attribute '${attr}' in element '${element}': '${value}'.`, VIR_FROM_XML);
}

/** libvirt's "Missing required attribute 'a' in element 'e'". */
export function missingAttr(attr: string, element: string): VirtError {
  return virtError(VIR_ERR_XML_ERROR, `Missing required attribute '${attr}' in element '${element}'`, VIR_FROM_XML);
}

/** Checks `value` against an enum like virXMLPropEnum; undefined passes. */
export function checkEnum<T extends string>(value: string | undefined, allowed: readonly T[], attr: string, element: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidAttr(attr, element, value);
  return value as T;
}

/** VIR_ERR_OPERATION_INVALID. */
export const VIR_ERR_OPERATION_INVALID = 55;

/**
 * virXMLPropUInt-style parsing of a non-negative integer attribute: "Expected non-negative
 * integer value" when not a number, "Zero is not permitted" when `nonzero` and 0.
 */
export function propUInt(value: string | undefined, attr: string, element: string, nonzero = false): number | undefined {
  if (value === undefined) return undefined;
  const ok = /^[ \t\n\v\f\r]*\+?[0-9]+$/.test(value) && Number(value) <= 4294967295;
  if (!ok) {
    throw virtError(VIR_ERR_XML_ERROR, `Invalid value for attribute '${attr}' in element '${element}': '${value}'. Expected non-negative integer value`, VIR_FROM_XML);
  }
  const n = Number(value);
  if (nonzero && n === 0) throw virtError(VIR_ERR_XML_ERROR, `Invalid value for attribute '${attr}' in element '${element}': Zero is not permitted`, VIR_FROM_XML);
  return n;
}

/** virXMLPropInt with VIR_XML_PROP_NONNEGATIVE: "Expected integer value" / "Expected non-negative value". */
export function propNonNegativeInt(value: string | undefined, attr: string, element: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[ \t\n\v\f\r]*[-+]?[0-9]+$/.test(value) || Math.abs(Number(value)) > 2147483647) {
    throw virtError(VIR_ERR_XML_ERROR, `Invalid value for attribute '${attr}' in element '${element}': '${value}'. Expected integer value`, VIR_FROM_XML);
  }
  const n = Number(value);
  if (n < 0) throw virtError(VIR_ERR_XML_ERROR, `Invalid value for attribute '${attr}' in element '${element}': '${value}'. Expected non-negative value`, VIR_FROM_XML);
  return n;
}

/** VIR_ERR_CONFIG_UNSUPPORTED "unsupported configuration: detail" from the domain code. */
export function unsupported(detail: string, domain = VIR_FROM_DOMAIN): VirtError {
  return virtError(VIR_ERR_CONFIG_UNSUPPORTED, detail, domain);
}

/** Checks `value` against `allowed`, else VIR_ERR_CONFIG_UNSUPPORTED with `message(value)`. */
export function checkSupported(value: string | undefined, allowed: readonly string[], message: (v: string) => string, domain = VIR_FROM_DOMAIN): void {
  if (value !== undefined && !allowed.includes(value)) throw unsupported(message(value), domain);
}
