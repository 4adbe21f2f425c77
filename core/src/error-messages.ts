/**
 * libvirt's virErrorMsg table (src/util/virerror.c): the generic text for each code, with and
 * without detail. SKELETON: to be completed for every virErrorNumber.
 */
const WITH_DETAIL: Record<number, string> = {
  1: 'internal error: %s',
  3: 'this function is not supported by the connection driver: %s',
  8: 'invalid argument: %s',
  27: 'XML error: %s',
  35: 'XML error: %s',
  42: 'Domain not found: %s',
  55: 'Requested operation is not valid: %s',
};

/** The message libvirt prints for `code` with the optional detail. */
export function errorMessageFor(code: number, detail?: string): string {
  const fmt = WITH_DETAIL[code] ?? 'unknown error: %s';
  return detail === undefined ? fmt.replace(/: %s$/, '') : fmt.replace('%s', detail);
}
