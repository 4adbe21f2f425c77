/**
 * Value formatting shared by the command groups: virsh's state and reason names, its
 * capacity pretty-printer and its `%-15s %s` field lines.
 */

const DOMAIN_STATES = ['no state', 'running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended'];

const DOMAIN_REASONS: readonly (readonly string[])[] = [
  ['unknown'],
  ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled', 'save canceled',
    'event wakeup', 'crashed', 'post-copy', 'post-copy failed'],
  ['unknown'],
  ['unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot', 'shutting down',
    'creating snapshot', 'crashed', 'starting up', 'post-copy', 'post-copy failed', 'api error'],
  ['unknown', 'user'],
  ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'],
  ['unknown', 'panicked'],
  ['unknown'],
];

/** virshDomainStateToString. */
export function domainStateName(state: number): string {
  return DOMAIN_STATES[state] ?? 'no state';
}

/** virshDomainStateReasonToString. */
export function domainReasonName(state: number, reason: number): string {
  return DOMAIN_REASONS[state]?.[reason] ?? 'unknown';
}

/** virshStoragePoolStateToString. */
export function poolStateName(state: number): string {
  return ['inactive', 'building', 'running', 'degraded', 'inaccessible'][state] ?? 'unknown';
}

/** virshVolumeTypeToString. */
export function volTypeName(type: number): string {
  return ['file', 'block', 'dir', 'network', 'netdir', 'ploop'][type] ?? 'unknown';
}

/** vshPrettyCapacity + `%.2lf %s`: `100.00 GiB`, `0.00 B`. */
export function prettyCapacity(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  let limit = 1024;
  while (i < units.length - 1 && bytes >= limit) {
    limit *= 1024;
    i++;
  }
  return `${(bytes / (limit / 1024)).toFixed(2)} ${units[i]}`;
}

/** virsh's `%-15s %s\n` information line. */
export function field(label: string, value: string | number, pad = 15): string {
  return `${label.padEnd(pad)} ${value}\n`;
}

/** `yes`/`no`, as virsh prints booleans in info output. */
export function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

/** libvirt's string case-insensitive order, used by virsh to sort names. */
export function byNameCI(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Ensures a document ends with exactly the newline libvirt's formatter leaves. */
export function withNewline(xml: string): string {
  return xml.endsWith('\n') ? xml : xml + '\n';
}
