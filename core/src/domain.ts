/**
 * Domain: one guest, as libvirt's virDomainPtr. Methods are libvirt's minus the `virDomain`
 * prefix; every call goes through the connection's dispatch.
 */
import { VIR_ERR_NO_DOMAIN } from './constants/error-codes.js';
import {
  VIR_DOMAIN_AFFECT_LIVE,
  VIR_DOMAIN_MEM_MAXIMUM,
  VIR_DOMAIN_VCPU_GUEST,
  VIR_DOMAIN_XML_SECURE,
} from './constants/domain-lifecycle.js';
import { VIR_DOMAIN_MEMORY_STAT_NR } from './constants/domain-stats.js';
import type { Connection } from './connection.js';
import type { ConnectionCore } from './dispatch.js';
import { DomainSnapshot } from './domain-snapshot.js';
import { checkGetMetadata, checkNonEmpty, checkNonZero, checkSetMetadata } from './api-checks.js';
import { isVirtError } from './error-helpers.js';
import type {
  DomainBlockStats,
  DomainInfo,
  DomainInterfaceStats,
  DomainMemoryStat,
  DomainRef,
  DomainStateInfo,
  JobOptions,
  Screenshot,
  VcpuInfo,
} from './spi.js';

/** Options of save(): virDomainSaveFlags' `dxml` and `flags`, plus a job's signal and progress. */
export interface DomainSaveOptions extends JobOptions {
  /** A replacement domain XML stored in the image. */
  readonly dxml?: string;
  /** VIR_DOMAIN_SAVE_* flags. */
  readonly flags?: number;
}

/** `ref` with id -1; read property by property, as a driver's ref may define them as getters. */
function inactiveRef(ref: DomainRef): DomainRef {
  return { name: ref.name, uuid: ref.uuid, id: -1 };
}

/** A domain (virDomainPtr). Obtain one from a Connection; never construct it directly. */
export class Domain {
  #core: ConnectionCore;
  #ref: DomainRef;

  /** @internal Created by core from a driver's ref. */
  constructor(core: ConnectionCore, ref: DomainRef) {
    this.#core = core;
    this.#ref = ref;
  }

  /** The driver-level ref this object stands for (as of the last call that changed it). */
  get ref(): DomainRef {
    return this.#ref;
  }

  /** The connection this domain belongs to (virDomainGetConnect). */
  getConnect(): Connection {
    return this.#core.owner;
  }

  /** virDomainGetName. */
  getName(): string {
    return this.#ref.name;
  }

  /** virDomainGetID: the hypervisor id, -1 while inactive (refreshed by lifecycle calls). */
  getID(): number {
    return this.#ref.id;
  }

  /** virDomainGetUUIDString. */
  getUUIDString(): string {
    return this.#ref.uuid;
  }

  /** After a call that always leaves the domain inactive: id -1, as libvirt's drivers set it. */
  #stopped(): void {
    this.#ref = inactiveRef(this.#ref);
  }

  /**
   * Re-reads the ref (its id) after calls whose outcome the caller cannot know (shutdown may be
   * asynchronous, a core dump may crash the guest, a revert may start or stop it).
   */
  async #refresh(): Promise<void> {
    if (!this.#core.has('domainLookupByUUID')) return;
    try {
      this.#ref = await this.#core.call('domainLookupByUUID', [this.#ref.uuid]);
    } catch (err) {
      // A transient domain that stopped is gone: its pointer stays, with id -1 as in libvirt.
      if (isVirtError(err, VIR_ERR_NO_DOMAIN)) this.#ref = inactiveRef(this.#ref);
    }
  }

  /** virDomainGetOSType, e.g. `hvm`. */
  getOSType(): Promise<string> {
    return this.#core.call('domainGetOSType', [this.#ref]);
  }

  /** virDomainGetInfo: `{ state, maxMem, memory, nrVirtCpu, cpuTime }` (KiB, ns). */
  getInfo(): Promise<DomainInfo> {
    return this.#core.call('domainGetInfo', [this.#ref]);
  }

  /** virDomainGetState: `{ state, reason }`. */
  getState(flags = 0): Promise<DomainStateInfo> {
    return this.#core.call('domainGetState', [this.#ref, flags]);
  }

  /** virDomainGetXMLDesc. VIR_DOMAIN_XML_SECURE needs a read-write connection. */
  getXMLDesc(flags = 0): Promise<string> {
    const secure = (flags & VIR_DOMAIN_XML_SECURE) !== 0;
    return this.#core.call('domainGetXMLDesc', [this.#ref, flags], {
      denyReadOnly: secure ? 'virDomainGetXMLDesc with secure flag' : undefined,
    });
  }

  /** virDomainIsActive. */
  isActive(): Promise<boolean> {
    return this.#core.call('domainIsActive', [this.#ref]);
  }

  /** virDomainIsPersistent. */
  isPersistent(): Promise<boolean> {
    return this.#core.call('domainIsPersistent', [this.#ref]);
  }

  /** virDomainIsUpdated. */
  isUpdated(): Promise<boolean> {
    return this.#core.call('domainIsUpdated', [this.#ref]);
  }

  /** virDomainCreate (virDomainCreateWithFlags when `flags` is given): starts the domain. */
  async create(flags?: number): Promise<void> {
    const api = flags === undefined ? 'virDomainCreate' : 'virDomainCreateWithFlags';
    this.#ref = await this.#core.call('domainCreate', [this.#ref, flags ?? 0], { api });
  }

  /** virDomainSuspend. */
  suspend(): Promise<void> {
    return this.#core.call('domainSuspend', [this.#ref]);
  }

  /** virDomainResume. */
  resume(): Promise<void> {
    return this.#core.call('domainResume', [this.#ref]);
  }

  /** virDomainShutdown (virDomainShutdownFlags when `flags` is given). */
  async shutdown(flags?: number): Promise<void> {
    const api = flags === undefined ? 'virDomainShutdown' : 'virDomainShutdownFlags';
    await this.#core.call('domainShutdown', [this.#ref, flags ?? 0], { api });
    await this.#refresh();
  }

  /** virDomainReboot. */
  reboot(flags = 0): Promise<void> {
    return this.#core.call('domainReboot', [this.#ref, flags]);
  }

  /** virDomainReset. */
  reset(flags = 0): Promise<void> {
    return this.#core.call('domainReset', [this.#ref, flags]);
  }

  /** virDomainDestroy (virDomainDestroyFlags when `flags` is given). */
  async destroy(flags?: number): Promise<void> {
    const api = flags === undefined ? 'virDomainDestroy' : 'virDomainDestroyFlags';
    await this.#core.call('domainDestroy', [this.#ref, flags ?? 0], { api });
    this.#stopped();
  }

  /** virDomainUndefine (virDomainUndefineFlags when `flags` is given). */
  undefine(flags?: number): Promise<void> {
    const api = flags === undefined ? 'virDomainUndefine' : 'virDomainUndefineFlags';
    return this.#core.call('domainUndefine', [this.#ref, flags ?? 0], { api });
  }

  /** virDomainGetAutostart. */
  getAutostart(): Promise<boolean> {
    return this.#core.call('domainGetAutostart', [this.#ref]);
  }

  /** virDomainSetAutostart. */
  setAutostart(autostart: boolean): Promise<void> {
    return this.#core.call('domainSetAutostart', [this.#ref, autostart]);
  }

  /** virDomainSetMemory: the live balloon target in KiB (flags VIR_DOMAIN_AFFECT_LIVE). */
  async setMemory(memoryKiB: number): Promise<void> {
    await this.#core.call('domainSetMemoryFlags', [this.#ref, memoryKiB, VIR_DOMAIN_AFFECT_LIVE], {
      api: 'virDomainSetMemory',
      validate: () => checkNonZero(memoryKiB, 'memory', 'virDomainSetMemory'),
    });
  }

  /** virDomainSetMaxMemory: the maximum memory in KiB (flags VIR_DOMAIN_MEM_MAXIMUM). */
  async setMaxMemory(memoryKiB: number): Promise<void> {
    await this.#core.call('domainSetMemoryFlags', [this.#ref, memoryKiB, VIR_DOMAIN_MEM_MAXIMUM], {
      api: 'virDomainSetMaxMemory',
      validate: () => checkNonZero(memoryKiB, 'memory', 'virDomainSetMaxMemory'),
    });
  }

  /** virDomainSetMemoryFlags (KiB; VIR_DOMAIN_AFFECT_* and VIR_DOMAIN_MEM_MAXIMUM). */
  async setMemoryFlags(memoryKiB: number, flags: number): Promise<void> {
    await this.#core.call('domainSetMemoryFlags', [this.#ref, memoryKiB, flags], {
      validate: () => checkNonZero(memoryKiB, 'memory', 'virDomainSetMemoryFlags'),
    });
  }

  /** virDomainGetMaxMemory, in KiB. */
  getMaxMemory(): Promise<number> {
    return this.#core.call('domainGetMaxMemory', [this.#ref]);
  }

  /** virDomainSetVcpus: the live vCPU count (flags VIR_DOMAIN_AFFECT_LIVE). */
  async setVcpus(nvcpus: number): Promise<void> {
    await this.#core.call('domainSetVcpusFlags', [this.#ref, nvcpus, VIR_DOMAIN_AFFECT_LIVE], {
      api: 'virDomainSetVcpus',
      validate: () => checkNonZero(nvcpus, 'nvcpus', 'virDomainSetVcpus'),
    });
  }

  /** virDomainSetVcpusFlags. */
  async setVcpusFlags(nvcpus: number, flags: number): Promise<void> {
    await this.#core.call('domainSetVcpusFlags', [this.#ref, nvcpus, flags], {
      validate: () => checkNonZero(nvcpus, 'nvcpus', 'virDomainSetVcpusFlags'),
    });
  }

  /** virDomainGetVcpusFlags. */
  getVcpusFlags(flags = 0): Promise<number> {
    // Asking the guest agent needs write access (libvirt checks read-only for this flag only).
    const guest = (flags & VIR_DOMAIN_VCPU_GUEST) !== 0;
    return this.#core.call('domainGetVcpusFlags', [this.#ref, flags], {
      denyReadOnly: guest ? 'read only access prevents virDomainGetVcpusFlags' : undefined,
    });
  }

  /** virDomainGetVcpus: per-vCPU `{ number, state, cpuTime, cpu }`. */
  getVcpus(): Promise<VcpuInfo[]> {
    return this.#core.call('domainGetVcpus', [this.#ref]);
  }

  /** virDomainGetMaxVcpus. */
  getMaxVcpus(): Promise<number> {
    return this.#core.call('domainGetMaxVcpus', [this.#ref]);
  }

  /** virDomainSave (virDomainSaveFlags when `dxml` or `flags` is given): saves and stops. */
  async save(file: string, opts: DomainSaveOptions = {}): Promise<void> {
    const api = opts.dxml === undefined && opts.flags === undefined ? 'virDomainSave' : 'virDomainSaveFlags';
    const job: JobOptions = { signal: opts.signal, onProgress: opts.onProgress };
    await this.#core.call('domainSave', [this.#ref, file, opts.dxml, opts.flags ?? 0, job], { api, signal: opts.signal });
    this.#stopped();
  }

  /** virDomainManagedSave: saves to the driver-managed image and stops. */
  async managedSave(flags = 0, opts: JobOptions = {}): Promise<void> {
    await this.#core.call('domainManagedSave', [this.#ref, flags, opts], { signal: opts.signal });
    this.#stopped();
  }

  /** virDomainHasManagedSaveImage. */
  hasManagedSaveImage(flags = 0): Promise<boolean> {
    return this.#core.call('domainHasManagedSaveImage', [this.#ref, flags]);
  }

  /** virDomainManagedSaveRemove. */
  managedSaveRemove(flags = 0): Promise<void> {
    return this.#core.call('domainManagedSaveRemove', [this.#ref, flags]);
  }

  /** virDomainCoreDump. */
  async coreDump(file: string, flags = 0, opts: JobOptions = {}): Promise<void> {
    await this.#core.call('domainCoreDump', [this.#ref, file, flags, opts], { signal: opts.signal });
    await this.#refresh();
  }

  /** virDomainAttachDevice: to the live domain (flags VIR_DOMAIN_AFFECT_LIVE). */
  attachDevice(xml: string): Promise<void> {
    return this.#core.call('domainAttachDeviceFlags', [this.#ref, xml, VIR_DOMAIN_AFFECT_LIVE], { api: 'virDomainAttachDevice' });
  }

  /** virDomainAttachDeviceFlags. */
  attachDeviceFlags(xml: string, flags: number): Promise<void> {
    return this.#core.call('domainAttachDeviceFlags', [this.#ref, xml, flags]);
  }

  /** virDomainDetachDevice: from the live domain (flags VIR_DOMAIN_AFFECT_LIVE). */
  detachDevice(xml: string): Promise<void> {
    return this.#core.call('domainDetachDeviceFlags', [this.#ref, xml, VIR_DOMAIN_AFFECT_LIVE], { api: 'virDomainDetachDevice' });
  }

  /** virDomainDetachDeviceFlags. */
  detachDeviceFlags(xml: string, flags: number): Promise<void> {
    return this.#core.call('domainDetachDeviceFlags', [this.#ref, xml, flags]);
  }

  /** virDomainUpdateDeviceFlags. */
  updateDeviceFlags(xml: string, flags: number): Promise<void> {
    return this.#core.call('domainUpdateDeviceFlags', [this.#ref, xml, flags]);
  }

  /** virDomainGetMetadata: `type` is VIR_DOMAIN_METADATA_*; `uri` names an element's namespace. */
  getMetadata(type: number, uri?: string, flags = 0): Promise<string> {
    return this.#core.call('domainGetMetadata', [this.#ref, type, uri, flags], {
      validate: () => checkGetMetadata(type, uri, flags),
    });
  }

  /** virDomainSetMetadata; `metadata` undefined removes it. */
  setMetadata(type: number, metadata: string | undefined, key?: string, uri?: string, flags = 0): Promise<void> {
    return this.#core.call('domainSetMetadata', [this.#ref, type, metadata, key, uri, flags], {
      validate: () => checkSetMetadata(type, metadata, key, uri),
    });
  }

  /** virDomainRename: this object takes the new name. */
  async rename(newName: string, flags = 0): Promise<void> {
    this.#ref = await this.#core.call('domainRename', [this.#ref, newName, flags], {
      validate: () => checkNonEmpty(newName, 'new_name', 'virDomainRename'),
    });
  }

  /** virDomainScreenshot: the image of `screen` with its MIME type. */
  screenshot(screen = 0, flags = 0): Promise<Screenshot> {
    return this.#core.call('domainScreenshot', [this.#ref, screen, flags]);
  }

  /** virDomainBlockStats of one disk (target name or source path). */
  blockStats(disk: string): Promise<DomainBlockStats> {
    return this.#core.call('domainBlockStats', [this.#ref, disk]);
  }

  /** virDomainInterfaceStats of one interface (target device or MAC). */
  interfaceStats(device: string): Promise<DomainInterfaceStats> {
    return this.#core.call('domainInterfaceStats', [this.#ref, device]);
  }

  /** virDomainMemoryStats: `{ tag, val }` records (tags VIR_DOMAIN_MEMORY_STAT_*). */
  memoryStats(nrStats: number = VIR_DOMAIN_MEMORY_STAT_NR, flags = 0): Promise<DomainMemoryStat[]> {
    return this.#core.call('domainMemoryStats', [this.#ref, nrStats, flags]);
  }

  /** virDomainQemuMonitorCommand (QEMU driver only): a QMP command, or HMP with its flag. */
  qemuMonitorCommand(cmd: string, flags = 0): Promise<string> {
    return this.#core.call('domainQemuMonitorCommand', [this.#ref, cmd, flags]);
  }

  /** Wraps a snapshot name of this domain as a DomainSnapshot without a driver call. */
  snapshotFromName(name: string): DomainSnapshot {
    return new DomainSnapshot(this.#core, this, { domain: this.#ref, name });
  }

  /** virDomainSnapshotCreateXML. */
  async snapshotCreateXML(xml: string, flags = 0): Promise<DomainSnapshot> {
    return new DomainSnapshot(this.#core, this, await this.#core.call('domainSnapshotCreateXML', [this.#ref, xml, flags]));
  }

  /** virDomainListAllSnapshots (VIR_DOMAIN_SNAPSHOT_LIST_* flags). */
  async listAllSnapshots(flags = 0): Promise<DomainSnapshot[]> {
    const refs = await this.#core.call('domainListAllSnapshots', [this.#ref, flags]);
    return refs.map((r) => new DomainSnapshot(this.#core, this, r));
  }

  /** virDomainSnapshotNum. */
  snapshotNum(flags = 0): Promise<number> {
    return this.#core.call('domainSnapshotNum', [this.#ref, flags]);
  }

  /** virDomainSnapshotLookupByName. */
  async snapshotLookupByName(name: string, flags = 0): Promise<DomainSnapshot> {
    return new DomainSnapshot(this.#core, this, await this.#core.call('domainSnapshotLookupByName', [this.#ref, name, flags]));
  }

  /** virDomainSnapshotCurrent. */
  async snapshotCurrent(flags = 0): Promise<DomainSnapshot> {
    return new DomainSnapshot(this.#core, this, await this.#core.call('domainSnapshotCurrent', [this.#ref, flags]));
  }

  /** virDomainHasCurrentSnapshot. */
  hasCurrentSnapshot(flags = 0): Promise<boolean> {
    return this.#core.call('domainHasCurrentSnapshot', [this.#ref, flags]);
  }

  /** virDomainRevertToSnapshot. */
  async revertToSnapshot(snapshot: DomainSnapshot, flags = 0): Promise<void> {
    await this.#core.call('domainRevertToSnapshot', [snapshot.ref, flags]);
    await this.#refresh();
  }
}
