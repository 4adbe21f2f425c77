/**
 * libvirt 9.0's names of virErrorDomain values (virErrorDomainTypeToString), as its default
 * error handler prints them: "libvirt: Test Driver error : Domain not found".
 */
const NAMES: readonly string[] = [
  '', 'Xen Driver', 'Xen Daemon', 'Xen Store', 'S-Expression',
  'XML Util', 'Domain', 'XML-RPC', 'Proxy Daemon', 'Config File',
  'QEMU Driver', 'Network', 'Test Driver', 'Remote Driver', 'OpenVZ Driver',
  'Xen XM Driver', 'Linux Statistics', 'LXC Driver', 'Storage Driver', 'Network Driver',
  'Domain Config', 'User Mode Linux Driver', 'Node Device Driver', 'Xen Inotify Driver', 'Security Driver',
  'VirtualBox Driver', 'Network Interface Driver', 'Open Nebula Driver', 'ESX Driver', 'Power Hypervisor Driver',
  'Secrets Driver', 'CPU Driver', 'XenAPI Driver', 'Network Filter Driver', 'Lifecycle Hook',
  'Domain Snapshot', 'Audit Utils', 'Sysinfo Utils', 'I/O Stream Utils', 'VMware Driver',
  'Event Loop', 'Xen Light Driver', 'Lock Driver', 'Hyper-V Driver', 'Capabilities Utils',
  'URI Utils', 'Authentication Utils', 'DBus Utils', 'Parallels Cloud Server', 'Device Config',
  'SSH transport layer', 'Lock Space', 'Init control', 'Identity', 'Cgroup',
  'Access Manager', 'Systemd', 'Bhyve', 'Crypto', 'Firewall',
  'Polkit', 'Thread jobs', 'Admin Interface', 'Log Manager', 'Xen XL Config',
  'Perf', 'Libssh transport layer', 'Resource control', 'FirewallD', 'Domain Checkpoint',
  'TPM', 'BPF',
];

/** The name libvirt prints for a virErrorDomain (VIR_FROM_TEST -> "Test Driver"); "Unknown" when out of range. */
export function errorDomainName(domain: number): string {
  return NAMES[domain] ?? 'Unknown';
}

/**
 * The line libvirt's default error handler writes to stderr for `err`:
 * "libvirt: Test Driver error : Domain not found".
 */
export function formatLibvirtError(err: { domain: number; level?: number; message: string }): string {
  const level = err.level === 1 ? 'warning' : err.level === 0 ? '' : 'error';
  return `libvirt: ${errorDomainName(err.domain)} ${level} : ${err.message}`;
}
