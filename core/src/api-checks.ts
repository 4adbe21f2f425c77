/**
 * Argument checks libvirt's public API layer (libvirt-domain.c) makes before any driver is
 * called, with its exact messages: virCheckNonZeroArg, virCheckNullArg, virCheckNonNullArg and
 * friends all report VIR_ERR_INVALID_ARG from VIR_FROM_DOMAIN, without the generic prefix.
 */
import {
  VIR_DOMAIN_AFFECT_CONFIG,
  VIR_DOMAIN_AFFECT_LIVE,
  VIR_DOMAIN_METADATA_DESCRIPTION,
  VIR_DOMAIN_METADATA_ELEMENT,
  VIR_DOMAIN_METADATA_TITLE,
} from './constants/domain-lifecycle.js';
import { VIR_FROM_DOMAIN } from './constants/error-domains.js';
import { invalidArg } from './error-helpers.js';

/** virCheckNonZeroArg: "<arg> in <api> must not be zero". */
export function checkNonZero(value: number, arg: string, api: string): void {
  if (value === 0) throw invalidArg(`${arg} in ${api} must not be zero`, VIR_FROM_DOMAIN);
}

/** virCheckNonEmptyStringArg: "string <arg> in <api> must not be empty". */
export function checkNonEmpty(value: string, arg: string, api: string): void {
  if (value === '') throw invalidArg(`string ${arg} in ${api} must not be empty`, VIR_FROM_DOMAIN);
}

function mustBeNull(value: string | undefined, arg: string, api: string): void {
  if (value !== undefined) throw invalidArg(`${arg} in ${api} must be NULL`, VIR_FROM_DOMAIN);
}

function mustNotBeNull(value: string | undefined, arg: string, api: string): void {
  if (value === undefined) throw invalidArg(`${arg} in ${api} must not be NULL`, VIR_FROM_DOMAIN);
}

/** virDomainSetMetadata's checks of `metadata`, `key` and `uri` against the metadata type. */
export function checkSetMetadata(type: number, metadata: string | undefined, key: string | undefined, uri: string | undefined): void {
  const api = 'virDomainSetMetadata';
  if (type === VIR_DOMAIN_METADATA_TITLE && metadata?.includes('\n')) {
    throw invalidArg("metadata title can't contain newlines", VIR_FROM_DOMAIN);
  }
  // Titles and descriptions are plain text: no namespace, no key.
  if (type === VIR_DOMAIN_METADATA_TITLE || type === VIR_DOMAIN_METADATA_DESCRIPTION) {
    mustBeNull(uri, 'uri', api);
    mustBeNull(key, 'key', api);
  } else if (type === VIR_DOMAIN_METADATA_ELEMENT) {
    mustNotBeNull(uri, 'uri', api);
    if (metadata !== undefined) mustNotBeNull(key, 'key', api);
  }
}

/** virDomainGetMetadata's checks: LIVE and CONFIG exclusive, `uri` against the metadata type. */
export function checkGetMetadata(type: number, uri: string | undefined, flags: number): void {
  const api = 'virDomainGetMetadata';
  if (flags & VIR_DOMAIN_AFFECT_LIVE && flags & VIR_DOMAIN_AFFECT_CONFIG) {
    throw invalidArg("Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", VIR_FROM_DOMAIN);
  }
  if (type === VIR_DOMAIN_METADATA_TITLE || type === VIR_DOMAIN_METADATA_DESCRIPTION) mustBeNull(uri, 'uri', api);
  else if (type === VIR_DOMAIN_METADATA_ELEMENT) mustNotBeNull(uri, 'uri', api);
}
