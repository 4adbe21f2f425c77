/**
 * libvirt 9.0's virErrorMsg table (src/util/virerror.c): for each virErrorNumber the generic
 * text used without detail, and the format used with one (`%s` = the detail).
 *
 * The two forms differ in more than a suffix ("missing name information" vs "missing name
 * information in %s", "this domain exists already" vs "domain %s exists already"), which is
 * why both are kept rather than derived.
 */
import * as E from './constants/error-codes.js';

/** `[without detail, with detail]` per code. */
const MESSAGES: Readonly<Record<number, readonly [string, string]>> = {
  [E.VIR_ERR_INTERNAL_ERROR]: ['internal error', 'internal error: %s'],
  [E.VIR_ERR_NO_MEMORY]: ['out of memory', 'out of memory: %s'],
  [E.VIR_ERR_NO_SUPPORT]: [
    'this function is not supported by the connection driver',
    'this function is not supported by the connection driver: %s',
  ],
  [E.VIR_ERR_UNKNOWN_HOST]: ['unknown host', 'unknown host %s'],
  [E.VIR_ERR_NO_CONNECT]: ['no connection driver available', 'no connection driver available for %s'],
  [E.VIR_ERR_INVALID_CONN]: ['invalid connection pointer in', 'invalid connection pointer in %s'],
  [E.VIR_ERR_INVALID_DOMAIN]: ['invalid domain pointer in', 'invalid domain pointer in %s'],
  [E.VIR_ERR_INVALID_ARG]: ['invalid argument', 'invalid argument: %s'],
  [E.VIR_ERR_OPERATION_FAILED]: ['operation failed', 'operation failed: %s'],
  [E.VIR_ERR_GET_FAILED]: ['GET operation failed', 'GET operation failed: %s'],
  [E.VIR_ERR_POST_FAILED]: ['POST operation failed', 'POST operation failed: %s'],
  [E.VIR_ERR_HTTP_ERROR]: ['got unknown HTTP error code', 'got unknown HTTP error code %s'],
  [E.VIR_ERR_SEXPR_SERIAL]: ['failed to serialize S-Expr', 'failed to serialize S-Expr: %s'],
  [E.VIR_ERR_NO_XEN]: ['could not use Xen hypervisor entry', 'could not use Xen hypervisor entry %s'],
  [E.VIR_ERR_XEN_CALL]: ['failed Xen syscall', 'failed Xen syscall %s'],
  [E.VIR_ERR_OS_TYPE]: ['unknown OS type', 'unknown OS type %s'],
  [E.VIR_ERR_NO_KERNEL]: ['missing kernel information', 'missing kernel information: %s'],
  [E.VIR_ERR_NO_ROOT]: ['missing root device information', 'missing root device information in %s'],
  [E.VIR_ERR_NO_SOURCE]: ['missing source information for device', 'missing source information for device %s'],
  [E.VIR_ERR_NO_TARGET]: ['missing target information for device', 'missing target information for device %s'],
  [E.VIR_ERR_NO_NAME]: ['missing name information', 'missing name information in %s'],
  [E.VIR_ERR_NO_OS]: ['missing operating system information', 'missing operating system information for %s'],
  [E.VIR_ERR_NO_DEVICE]: ['missing devices information', 'missing devices information for %s'],
  [E.VIR_ERR_NO_XENSTORE]: ['could not connect to Xen Store', 'could not connect to Xen Store %s'],
  [E.VIR_ERR_DRIVER_FULL]: ['too many drivers registered', 'too many drivers registered in %s'],
  [E.VIR_ERR_CALL_FAILED]: ['library call failed', 'library call failed: %s'],
  [E.VIR_ERR_XML_ERROR]: ['XML description is invalid or not well formed', 'XML error: %s'],
  [E.VIR_ERR_DOM_EXIST]: ['this domain exists already', 'domain %s exists already'],
  [E.VIR_ERR_OPERATION_DENIED]: ['operation forbidden for read only access', 'operation forbidden: %s'],
  [E.VIR_ERR_OPEN_FAILED]: ['failed to open configuration file', 'failed to open configuration file %s'],
  [E.VIR_ERR_READ_FAILED]: ['failed to read configuration file', 'failed to read configuration file %s'],
  [E.VIR_ERR_PARSE_FAILED]: ['failed to parse configuration file', 'failed to parse configuration file %s'],
  [E.VIR_ERR_CONF_SYNTAX]: ['configuration file syntax error', 'configuration file syntax error: %s'],
  [E.VIR_ERR_WRITE_FAILED]: ['failed to write configuration file', 'failed to write configuration file: %s'],
  [E.VIR_ERR_XML_DETAIL]: ['parser error', '%s'],
  [E.VIR_ERR_INVALID_NETWORK]: ['invalid network pointer in', 'invalid network pointer in %s'],
  [E.VIR_ERR_NETWORK_EXIST]: ['this network exists already', 'network %s exists already'],
  [E.VIR_ERR_SYSTEM_ERROR]: ['system call error', '%s'],
  [E.VIR_ERR_RPC]: ['RPC error', '%s'],
  [E.VIR_ERR_GNUTLS_ERROR]: ['GNUTLS call error', '%s'],
  [E.VIR_WAR_NO_NETWORK]: ['Failed to find the network', 'Failed to find the network: %s'],
  [E.VIR_ERR_NO_DOMAIN]: ['Domain not found', 'Domain not found: %s'],
  [E.VIR_ERR_NO_NETWORK]: ['Network not found', 'Network not found: %s'],
  [E.VIR_ERR_INVALID_MAC]: ['invalid MAC address', 'invalid MAC address: %s'],
  [E.VIR_ERR_AUTH_FAILED]: ['authentication failed', 'authentication failed: %s'],
  [E.VIR_ERR_INVALID_STORAGE_POOL]: ['invalid storage pool pointer in', 'invalid storage pool pointer in %s'],
  [E.VIR_ERR_INVALID_STORAGE_VOL]: ['invalid storage volume pointer in', 'invalid storage volume pointer in %s'],
  [E.VIR_WAR_NO_STORAGE]: ['Failed to find a storage driver', 'Failed to find a storage driver: %s'],
  [E.VIR_ERR_NO_STORAGE_POOL]: ['Storage pool not found', 'Storage pool not found: %s'],
  [E.VIR_ERR_NO_STORAGE_VOL]: ['Storage volume not found', 'Storage volume not found: %s'],
  [E.VIR_WAR_NO_NODE]: ['Failed to find a node driver', 'Failed to find a node driver: %s'],
  [E.VIR_ERR_INVALID_NODE_DEVICE]: ['invalid node device pointer', 'invalid node device pointer in %s'],
  [E.VIR_ERR_NO_NODE_DEVICE]: ['Node device not found', 'Node device not found: %s'],
  [E.VIR_ERR_NO_SECURITY_MODEL]: ['Security model not found', 'Security model not found: %s'],
  [E.VIR_ERR_OPERATION_INVALID]: ['Requested operation is not valid', 'Requested operation is not valid: %s'],
  [E.VIR_WAR_NO_INTERFACE]: ['Failed to find the interface', 'Failed to find the interface: %s'],
  [E.VIR_ERR_NO_INTERFACE]: ['Interface not found', 'Interface not found: %s'],
  [E.VIR_ERR_INVALID_INTERFACE]: ['invalid interface pointer in', 'invalid interface pointer in %s'],
  [E.VIR_ERR_MULTIPLE_INTERFACES]: ['multiple matching interfaces found', 'multiple matching interfaces found: %s'],
  [E.VIR_WAR_NO_NWFILTER]: ['Failed to start the nwfilter driver', 'Failed to start the nwfilter driver: %s'],
  [E.VIR_ERR_INVALID_NWFILTER]: ['Invalid network filter', 'Invalid network filter: %s'],
  [E.VIR_ERR_NO_NWFILTER]: ['Network filter not found', 'Network filter not found: %s'],
  [E.VIR_ERR_BUILD_FIREWALL]: ['Error while building firewall', 'Error while building firewall: %s'],
  [E.VIR_WAR_NO_SECRET]: ['Failed to find a secret storage driver', 'Failed to find a secret storage driver: %s'],
  [E.VIR_ERR_INVALID_SECRET]: ['Invalid secret', 'Invalid secret: %s'],
  [E.VIR_ERR_NO_SECRET]: ['Secret not found', 'Secret not found: %s'],
  [E.VIR_ERR_CONFIG_UNSUPPORTED]: ['unsupported configuration', 'unsupported configuration: %s'],
  [E.VIR_ERR_OPERATION_TIMEOUT]: ['Timed out during operation', 'Timed out during operation: %s'],
  [E.VIR_ERR_MIGRATE_PERSIST_FAILED]: [
    'Failed to make domain persistent after migration',
    'Failed to make domain persistent after migration: %s',
  ],
  [E.VIR_ERR_HOOK_SCRIPT_FAILED]: ['Hook script execution failed', 'Hook script execution failed: %s'],
  [E.VIR_ERR_INVALID_DOMAIN_SNAPSHOT]: ['Invalid domain snapshot', 'Invalid domain snapshot: %s'],
  [E.VIR_ERR_NO_DOMAIN_SNAPSHOT]: ['Domain snapshot not found', 'Domain snapshot not found: %s'],
  [E.VIR_ERR_INVALID_STREAM]: ['invalid stream pointer', 'invalid stream pointer in %s'],
  [E.VIR_ERR_ARGUMENT_UNSUPPORTED]: ['argument unsupported', 'argument unsupported: %s'],
  [E.VIR_ERR_STORAGE_PROBE_FAILED]: ['Storage pool probe failed', 'Storage pool probe failed: %s'],
  [E.VIR_ERR_STORAGE_POOL_BUILT]: ['Storage pool already built', 'Storage pool already built: %s'],
  [E.VIR_ERR_SNAPSHOT_REVERT_RISKY]: ['revert requires force', 'revert requires force: %s'],
  [E.VIR_ERR_OPERATION_ABORTED]: ['operation aborted', 'operation aborted: %s'],
  [E.VIR_ERR_AUTH_CANCELLED]: ['authentication cancelled', 'authentication cancelled: %s'],
  [E.VIR_ERR_NO_DOMAIN_METADATA]: ['metadata not found', 'metadata not found: %s'],
  [E.VIR_ERR_MIGRATE_UNSAFE]: ['Unsafe migration', 'Unsafe migration: %s'],
  [E.VIR_ERR_OVERFLOW]: ['numerical overflow', 'numerical overflow: %s'],
  [E.VIR_ERR_BLOCK_COPY_ACTIVE]: ['block copy still active', 'block copy still active: %s'],
  [E.VIR_ERR_OPERATION_UNSUPPORTED]: ['Operation not supported', 'Operation not supported: %s'],
  [E.VIR_ERR_SSH]: ['SSH transport error', 'SSH transport error: %s'],
  [E.VIR_ERR_AGENT_UNRESPONSIVE]: ['Guest agent is not responding', 'Guest agent is not responding: %s'],
  [E.VIR_ERR_RESOURCE_BUSY]: ['resource busy', 'resource busy: %s'],
  [E.VIR_ERR_ACCESS_DENIED]: ['access denied', 'access denied: %s'],
  [E.VIR_ERR_DBUS_SERVICE]: ['error from service', 'error from service: %s'],
  [E.VIR_ERR_STORAGE_VOL_EXIST]: ['this storage volume exists already', 'storage volume %s exists already'],
  [E.VIR_ERR_CPU_INCOMPATIBLE]: ['the CPU is incompatible with host CPU', 'the CPU is incompatible with host CPU: %s'],
  [E.VIR_ERR_XML_INVALID_SCHEMA]: [
    'XML document failed to validate against schema',
    'XML document failed to validate against schema: %s',
  ],
  [E.VIR_ERR_MIGRATE_FINISH_OK]: ['migration successfully aborted', 'migration successfully aborted: %s'],
  [E.VIR_ERR_AUTH_UNAVAILABLE]: ['authentication unavailable', 'authentication unavailable: %s'],
  [E.VIR_ERR_NO_SERVER]: ['Server not found', 'Server not found: %s'],
  [E.VIR_ERR_NO_CLIENT]: ['Client not found', 'Client not found: %s'],
  [E.VIR_ERR_AGENT_UNSYNCED]: [
    'guest agent replied with wrong id to guest-sync command',
    'guest agent replied with wrong id to guest-sync command: %s',
  ],
  [E.VIR_ERR_LIBSSH]: ['libssh transport error', 'libssh transport error: %s'],
  [E.VIR_ERR_DEVICE_MISSING]: ['device not found', 'device not found: %s'],
  [E.VIR_ERR_INVALID_NWFILTER_BINDING]: ['Invalid network filter binding', 'Invalid network filter binding: %s'],
  [E.VIR_ERR_NO_NWFILTER_BINDING]: ['Network filter binding not found', 'Network filter binding not found: %s'],
  [E.VIR_ERR_INVALID_DOMAIN_CHECKPOINT]: ['Invalid domain checkpoint', 'Invalid domain checkpoint: %s'],
  [E.VIR_ERR_NO_DOMAIN_CHECKPOINT]: ['Domain checkpoint not found', 'Domain checkpoint not found: %s'],
  [E.VIR_ERR_NO_DOMAIN_BACKUP]: ['Domain backup job id not found', 'Domain backup job id not found: %s'],
  [E.VIR_ERR_INVALID_NETWORK_PORT]: ['Invalid network port pointer', 'Invalid network port pointer: %s'],
  [E.VIR_ERR_NETWORK_PORT_EXIST]: ['this network port exists already', 'network port %s exists already'],
  [E.VIR_ERR_NO_NETWORK_PORT]: ['network port not found', 'network port not found: %s'],
  [E.VIR_ERR_NO_HOSTNAME]: ['no hostname found', 'no hostname found: %s'],
  [E.VIR_ERR_CHECKPOINT_INCONSISTENT]: ['checkpoint inconsistent', 'checkpoint inconsistent: %s'],
  [E.VIR_ERR_MULTIPLE_DOMAINS]: ['multiple matching domains found', 'multiple matching domains found: %s'],
};

/** Whether `code` is a virErrorNumber libvirt 9.0 knows (VIR_ERR_OK excluded). */
export function isKnownErrorCode(code: number): boolean {
  return Object.hasOwn(MESSAGES, code);
}

/**
 * The message libvirt prints for `code` with the optional detail, as virErrorMsg + printf:
 * `errorMessageFor(42)` -> "Domain not found", `errorMessageFor(42, "x")` -> "Domain not found: x".
 * An empty detail counts as none, as libvirt treats an empty formatted message.
 */
export function errorMessageFor(code: number, detail?: string): string {
  const entry = MESSAGES[code];
  if (entry === undefined) {
    // libvirt has no text for codes outside its table; keep the detail rather than lose it.
    return detail ? `unknown error ${code}: ${detail}` : `unknown error ${code}`;
  }
  // A function replacement, so '$' sequences in the detail are copied verbatim.
  return detail ? entry[1].replace('%s', () => detail) : entry[0];
}
