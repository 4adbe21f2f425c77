/**
 * The hypervisor family of a test-driver connection: node calls and every domain call,
 * bound to one driver state.
 */
import type { DomainRef, HypervisorDriver, JobOptions } from '@virtkit/core';
import type { DriverState } from './driver-state.js';
import * as dev from './domain-devices.js';
import * as life from './domain-lifecycle.js';
import * as meta from './domain-metadata.js';
import { domObj } from './domain-run.js';
import * as save from './domain-save.js';
import * as snap from './domain-snapshots.js';
import * as stats from './domain-stats.js';
import * as tune from './domain-tune.js';
import { createNodeCalls } from './node.js';

/** Builds the hypervisor family on `st`. */
export function createHypervisorDriver(st: DriverState): HypervisorDriver {
  return {
    ...createNodeCalls(st),
    connectListAllDomains: async (flags) => life.listAllDomains(st, flags),
    connectListDomains: async () => life.listDomainIDs(st),
    connectListDefinedDomains: async () => life.listDefinedNames(st),
    connectNumOfDomains: async () => life.countDomains(st, true),
    connectNumOfDefinedDomains: async () => life.countDomains(st, false),
    domainLookupByName: async (name) => life.lookupByName(st, name),
    domainLookupByID: async (id) => life.lookupByID(st, id),
    domainLookupByUUID: async (uuid) => life.lookupByUUID(st, uuid),
    domainDefineXML: async (xml, flags) => life.defineXML(st, xml, flags),
    domainCreateXML: async (xml, flags) => life.createXML(st, xml, flags),
    domainRestore: (file: string, dxml: string | undefined, flags: number, opts: JobOptions) => save.restore(st, file, dxml, flags, opts),

    domainGetOSType: async (dom) => (domObj(st, dom), 'linux'),
    domainGetInfo: async (dom) => life.getInfo(st, dom),
    domainGetState: async (dom, flags) => life.getState(st, dom, flags),
    domainGetXMLDesc: async (dom, flags) => life.getXMLDesc(st, dom, flags),
    domainIsActive: async (dom) => domObj(st, dom).isActive(),
    domainIsPersistent: async (dom) => domObj(st, dom).persistent,
    domainIsUpdated: async (dom) => (domObj(st, dom), false),
    domainCreate: async (dom, flags) => life.create(st, dom, flags),
    domainSuspend: async (dom) => life.suspend(st, dom),
    domainResume: async (dom) => life.resume(st, dom),
    domainShutdown: async (dom, flags) => life.shutdown(st, dom, flags),
    domainReboot: async (dom, flags) => life.reboot(st, dom, flags),
    domainReset: async (dom, flags) => life.reset(st, dom, flags),
    domainDestroy: async (dom, flags) => life.destroy(st, dom, flags),
    domainUndefine: async (dom, flags) => life.undefine(st, dom, flags),
    domainGetAutostart: async (dom) => tune.getAutostart(st, dom),
    domainSetAutostart: async (dom, on) => tune.setAutostart(st, dom, on),
    domainSetMemoryFlags: async (dom, kib, flags) => tune.setMemoryFlags(st, dom, kib, flags),
    domainGetMaxMemory: async (dom) => tune.getMaxMemory(st, dom),
    domainSetVcpusFlags: async (dom, n, flags) => tune.setVcpusFlags(st, dom, n, flags),
    domainGetVcpusFlags: async (dom, flags) => tune.getVcpusFlags(st, dom, flags),
    domainGetVcpus: async (dom) => stats.getVcpus(st, dom),
    domainGetMaxVcpus: async (dom) => tune.getMaxVcpus(st, dom),
    domainSave: (dom: DomainRef, file: string, dxml: string | undefined, flags: number, opts: JobOptions) => save.save(st, dom, file, dxml, flags, opts),
    domainManagedSave: (dom: DomainRef, flags: number, opts: JobOptions) => save.managedSave(st, dom, flags, opts),
    domainHasManagedSaveImage: async (dom, flags) => save.hasManagedSaveImage(st, dom, flags),
    domainManagedSaveRemove: async (dom, flags) => save.managedSaveRemove(st, dom, flags),
    domainCoreDump: (dom: DomainRef, file: string, flags: number, opts: JobOptions) => save.coreDump(st, dom, file, flags, opts),
    domainAttachDeviceFlags: async (dom, xml, flags) => dev.attachDeviceFlags(st, dom, xml, flags),
    domainDetachDeviceFlags: async (dom, xml, flags) => dev.detachDeviceFlags(st, dom, xml, flags),
    domainUpdateDeviceFlags: async (dom, xml, flags) => dev.updateDeviceFlags(st, dom, xml, flags),
    domainGetMetadata: async (dom, type, uri, flags) => meta.getMetadata(st, dom, type, uri, flags),
    domainSetMetadata: async (dom, type, md, key, uri, flags) => meta.setMetadata(st, dom, type, md, key, uri, flags),
    domainRename: async (dom, name, flags) => tune.rename(st, dom, name, flags),
    domainScreenshot: async (dom, screen, flags) => stats.screenshot(st, dom, screen, flags),
    domainBlockStats: async (dom, disk) => stats.blockStats(st, dom, disk),
    domainInterfaceStats: async (dom, device) => stats.interfaceStats(st, dom, device),
    domainMemoryStats: async (dom, nr, flags) => stats.memoryStats(st, dom, nr, flags),

    domainSnapshotCreateXML: async (dom, xml, flags) => snap.snapshotCreateXML(st, dom, xml, flags),
    domainListAllSnapshots: async (dom, flags) => snap.listAllSnapshots(st, dom, flags),
    domainSnapshotNum: async (dom, flags) => snap.snapshotNum(st, dom, flags),
    domainSnapshotLookupByName: async (dom, name, flags) => snap.snapshotLookupByName(st, dom, name, flags),
    domainSnapshotCurrent: async (dom, flags) => snap.snapshotCurrent(st, dom, flags),
    domainHasCurrentSnapshot: async (dom, flags) => snap.hasCurrentSnapshot(st, dom, flags),
    domainSnapshotGetXMLDesc: async (s, flags) => snap.snapshotGetXMLDesc(st, s, flags),
    domainSnapshotGetParent: async (s, flags) => snap.snapshotGetParent(st, s, flags),
    domainSnapshotListAllChildren: async (s, flags) => snap.snapshotListAllChildren(st, s, flags),
    domainSnapshotIsCurrent: async (s, flags) => snap.snapshotIsCurrent(st, s, flags),
    domainSnapshotHasMetadata: async (s, flags) => snap.snapshotHasMetadata(st, s, flags),
    domainRevertToSnapshot: async (s, flags) => snap.revertToSnapshot(st, s, flags),
    domainSnapshotDelete: async (s, flags) => snap.snapshotDelete(st, s, flags),
  };
}
