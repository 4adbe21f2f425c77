/**
 * Connection URIs: libvirt's grammar `driver[+transport]://[user@][host][:port]/path?query`,
 * and how the default URI is chosen when the caller gives none.
 */
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_NO_CONNECT } from './constants/error-codes.js';
import { VIR_FROM_NONE, VIR_FROM_URI } from './constants/error-domains.js';
import { virtError } from './errors.js';
import type { ConnectURI } from './spi.js';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;

/** libvirt's "Unable to parse URI %s" (VIR_ERR_INTERNAL_ERROR from VIR_FROM_URI). */
function unparsable(uri: string, why: string): Error {
  return virtError(VIR_ERR_INTERNAL_ERROR, `Unable to parse URI ${uri} (${why})`, VIR_FROM_URI);
}

function decode(uri: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw unparsable(uri, `bad percent-encoding in '${part}'`);
  }
}

/** Splits `[user@]host[:port]`, with `[v6]` hosts as libxml2 accepts them. */
function parseAuthority(uri: string, authority: string): Pick<ConnectURI, 'user' | 'host' | 'port'> {
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? decode(uri, authority.slice(0, at)) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) throw unparsable(uri, `bad host or port '${hostPort}'`);
  const rawHost = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  const host = rawHost === '' ? undefined : decode(uri, rawHost);
  let port: number | undefined;
  if (m[2] !== undefined && m[2] !== '') {
    port = Number(m[2]);
    if (port > 65535) throw unparsable(uri, `port ${m[2]} out of range`);
    // libvirt treats port 0 as "no port".
    if (port === 0) port = undefined;
  }
  return { user: user === '' ? undefined : user, host, port };
}

/** Decodes `a=1&b=2` (also `;`-separated, `+` as space) into an object, last value winning. */
function parseQuery(uri: string, query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of query.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(uri, (eq >= 0 ? pair.slice(0, eq) : pair).replace(/\+/g, ' '));
    const value = eq >= 0 ? decode(uri, pair.slice(eq + 1).replace(/\+/g, ' ')) : '';
    out[name] = value;
  }
  return out;
}

/**
 * Parses a connection URI as libvirt does (virURIParse + virConnectOpenInternal's checks).
 *
 * - No scheme -> VIR_ERR_NO_CONNECT "URI '<uri>' does not include a driver name".
 * - Unparsable -> VIR_ERR_INTERNAL_ERROR "Unable to parse URI ...".
 * - `qemu://system` (the classic missing slash) -> VIR_ERR_INTERNAL_ERROR naming the fix.
 */
export function parseURI(uri: string): ConnectURI {
  const m = SCHEME.exec(uri);
  if (!m) {
    if (/^[^/:?#]*:/.test(uri) || uri.includes('://')) throw unparsable(uri, 'bad scheme');
    throw virtError(VIR_ERR_NO_CONNECT, `URI '${uri}' does not include a driver name`, VIR_FROM_NONE);
  }
  const [, fullScheme, rest] = m as unknown as [string, string, string];
  const plus = fullScheme.indexOf('+');
  const scheme = plus >= 0 ? fullScheme.slice(0, plus) : fullScheme;
  const transport = plus >= 0 ? fullScheme.slice(plus + 1) : undefined;
  if (scheme === '' || transport === '') throw unparsable(uri, 'empty driver or transport');

  let remainder = rest;
  const hash = remainder.indexOf('#');
  if (hash >= 0) remainder = remainder.slice(0, hash);
  const qmark = remainder.indexOf('?');
  const query = qmark >= 0 ? parseQuery(uri, remainder.slice(qmark + 1)) : {};
  if (qmark >= 0) remainder = remainder.slice(0, qmark);

  let authority: Pick<ConnectURI, 'user' | 'host' | 'port'> = {};
  let path = remainder;
  if (remainder.startsWith('//')) {
    const slash = remainder.indexOf('/', 2);
    authority = parseAuthority(uri, slash >= 0 ? remainder.slice(2, slash) : remainder.slice(2));
    path = slash >= 0 ? remainder.slice(slash) : '';
  }
  const parsed = { raw: uri, scheme, transport, ...authority, path: decode(uri, path), query } as Record<string, unknown>;
  // Absent parts are absent keys, so parsed URIs compare and print cleanly.
  for (const key of Object.keys(parsed)) if (parsed[key] === undefined) delete parsed[key];
  checkMissingSlash(parsed as unknown as ConnectURI);
  return parsed as unknown as ConnectURI;
}

/** Schemes whose drivers mandate a path (`/system`, `/session`), as virConnectCheckURIMissingSlash. */
const PATH_SCHEMES = new Set(['qemu', 'vbox', 'vz', 'parallels', 'bhyve', 'lxc', 'libxl', 'xen']);

function checkMissingSlash(uri: ConnectURI): void {
  if (!PATH_SCHEMES.has(uri.scheme) || uri.host === undefined) return;
  if (uri.host === 'session' || uri.host === 'system') {
    throw virtError(
      VIR_ERR_INTERNAL_ERROR,
      `invalid URI ${uri.raw} (maybe you want ${uri.scheme}:///${uri.host})`,
      VIR_FROM_NONE,
    );
  }
}

/**
 * The URI to open when the caller gives none (or ''): VIRTKIT_DEFAULT_URI, then
 * LIBVIRT_DEFAULT_URI (empty values count as unset, as in libvirt). Undefined when neither is
 * set; connect() then probes built-in drivers.
 */
export function defaultURI(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['VIRTKIT_DEFAULT_URI', 'LIBVIRT_DEFAULT_URI'] as const) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Formats a parsed URI back to its string form (what getURI() reports for probed URIs). */
export function formatURI(uri: Omit<ConnectURI, 'raw'>): string {
  const scheme = uri.transport ? `${uri.scheme}+${uri.transport}` : uri.scheme;
  const host = uri.host?.includes(':') ? `[${uri.host}]` : (uri.host ?? '');
  const user = uri.user ? `${encodeURIComponent(uri.user)}@` : '';
  const port = uri.port ? `:${uri.port}` : '';
  const query = Object.entries(uri.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${scheme}://${user}${host}${port}${uri.path}${query ? `?${query}` : ''}`;
}
