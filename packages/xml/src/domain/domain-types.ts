/**
 * The typed domain definition. Numbers are normalised (memory in KiB); what the model does
 * not know is kept in `extra` carriers and written back.
 */
import type { HasExtra } from '../model/extra.js';
import type { XmlElement } from '../tree/xml-node.js';
import type { DomainDevices } from './device-types.js';

/** `<os>`: type, arch, machine, boot devices, direct kernel boot, firmware, container init. */
export interface DomainOs extends HasExtra {
  type: string;
  arch?: string;
  machine?: string;
  /** Extra attributes/children of `<type>`. */
  typeExtra?: HasExtra['extra'];
  /** `<boot dev='hd'/>` in order. */
  boot: string[];
  /** Unknown parts of each `<boot>` (same index as `boot`), when any. */
  bootExtras?: (HasExtra['extra'] | undefined)[];
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  dtb?: string;
  /** `<loader readonly='yes' type='pflash'>/path</loader>`. */
  loader?: { path?: string; readonly?: string; type?: string } & HasExtra;
  /** Container init binary (LXC). */
  init?: string;
  /** Container init arguments, in order. */
  initargs: string[];
}

/** `<vcpu placement='static' current='2' cpuset='...'>4</vcpu>`. */
export interface DomainVcpu extends HasExtra {
  count: number;
  current?: number;
  placement?: 'static' | 'auto';
  cpuset?: string;
}

/** `<maxMemory slots='16' unit='KiB'>...`. */
export interface DomainMaxMemory extends HasExtra {
  slots?: number;
  kib: number;
}

/** `<clock offset='utc'>` with its timers kept as extra. */
export interface DomainClock extends HasExtra {
  offset?: string;
}

/** `<features>`: the names of feature elements in order, each element kept whole. */
export interface DomainFeatures extends HasExtra {
  /** Each feature element (`acpi`, `apic`, `hyperv`...), verbatim. */
  items: XmlElement[];
}

/** `<cpu mode='host-model' match='exact'>` with model/topology; the rest is extra. */
export interface DomainCpu extends HasExtra {
  mode?: string;
  match?: string;
  check?: string;
  model?: string;
  modelExtra?: HasExtra['extra'];
  topology?: { sockets?: number; dies?: number; cores?: number; threads?: number } & HasExtra;
}

/** A libvirt domain definition. */
export interface DomainDef extends HasExtra {
  /** Hypervisor type: kvm, qemu, test, lxc, xen, ... */
  type: string;
  /** Live domain id (`<domain id='N'>`), only in live XML. */
  id?: number;
  name: string;
  /** Lowercase canonical UUID; undefined until define fills it. */
  uuid?: string;
  genid?: string;
  title?: string;
  description?: string;
  /** `<metadata>` kept verbatim (foreign namespaces included). */
  metadata?: XmlElement;
  /** Maximum memory in KiB. */
  memory: number;
  /** Extra attributes of `<memory>` (e.g. dumpCore). */
  memoryExtra?: HasExtra['extra'];
  /** Current (balloon) memory in KiB. */
  currentMemory?: number;
  maxMemory?: DomainMaxMemory;
  vcpu?: DomainVcpu;
  os: DomainOs;
  features?: DomainFeatures;
  cpu?: DomainCpu;
  clock?: DomainClock;
  onPoweroff?: string;
  onReboot?: string;
  onCrash?: string;
  devices: DomainDevices;
}
