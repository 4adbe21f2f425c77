/**
 * What core knows about every SPI method: its family, the public libvirt API it implements,
 * whether read-only connections may call it, and the VIR_FROM_* its core-raised errors carry.
 *
 * Typed as a Record over every SPI method, so adding a method to spi.ts without describing it
 * here fails to compile. Dispatch, the support matrix and the contract suite all read it.
 */
import { VIR_FROM_DOM, VIR_FROM_DOMAIN, VIR_FROM_DOMAIN_SNAPSHOT, VIR_FROM_NETWORK, VIR_FROM_NONE, VIR_FROM_STORAGE } from './constants/error-domains.js';
import type { HypervisorDriver, NetworkDriver, StorageDriver } from './spi.js';

/** The driver families of a connection. */
export interface DriverFamilies {
  /** The connection, the node, domains and snapshots. */
  hypervisor: HypervisorDriver;
  /** Virtual networks. */
  network: NetworkDriver;
  /** Storage pools and volumes. */
  storage: StorageDriver;
}

/** A family name: `hypervisor`, `network` or `storage`. */
export type Family = keyof DriverFamilies;

/** Every SPI method, flattened across families (names are unique across them). */
export type SpiMethods = Required<HypervisorDriver & NetworkDriver & StorageDriver>;

/** The name of an SPI method, e.g. `domainSuspend`. */
export type SpiMethodName = keyof SpiMethods;

/** What the table says about one SPI method. */
export interface SpiMethodInfo {
  /** Which driver family serves it. */
  readonly family: Family;
  /** The public libvirt API it implements (the name in NO_SUPPORT and read-only errors). */
  readonly api: string;
  /** True when read-only connections may call it. */
  readonly readOnlyOk: boolean;
}

type Row = readonly [family: Family, api: string, readOnlyOk: boolean];
const H = 'hypervisor';
const N = 'network';
const S = 'storage';
const RO = true;
const RW = false;

const ROWS: Record<SpiMethodName, Row> = {
  connectGetType: [H, 'virConnectGetType', RO],
  connectGetVersion: [H, 'virConnectGetVersion', RO],
  connectGetHostname: [H, 'virConnectGetHostname', RO],
  connectGetCapabilities: [H, 'virConnectGetCapabilities', RO],
  connectGetDomainCapabilities: [H, 'virConnectGetDomainCapabilities', RO],
  connectGetMaxVcpus: [H, 'virConnectGetMaxVcpus', RO],
  connectIsAlive: [H, 'virConnectIsAlive', RO],
  connectIsSecure: [H, 'virConnectIsSecure', RO],
  connectIsEncrypted: [H, 'virConnectIsEncrypted', RO],
  nodeGetInfo: [H, 'virNodeGetInfo', RO],
  nodeGetFreeMemory: [H, 'virNodeGetFreeMemory', RO],
  connectListAllDomains: [H, 'virConnectListAllDomains', RO],
  connectListDomains: [H, 'virConnectListDomains', RO],
  connectListDefinedDomains: [H, 'virConnectListDefinedDomains', RO],
  connectNumOfDomains: [H, 'virConnectNumOfDomains', RO],
  connectNumOfDefinedDomains: [H, 'virConnectNumOfDefinedDomains', RO],
  domainLookupByName: [H, 'virDomainLookupByName', RO],
  domainLookupByID: [H, 'virDomainLookupByID', RO],
  domainLookupByUUID: [H, 'virDomainLookupByUUIDString', RO],
  domainDefineXML: [H, 'virDomainDefineXML', RW],
  domainCreateXML: [H, 'virDomainCreateXML', RW],
  domainRestore: [H, 'virDomainRestore', RW],
  domainGetOSType: [H, 'virDomainGetOSType', RO],
  domainGetInfo: [H, 'virDomainGetInfo', RO],
  domainGetState: [H, 'virDomainGetState', RO],
  domainGetXMLDesc: [H, 'virDomainGetXMLDesc', RO],
  domainIsActive: [H, 'virDomainIsActive', RO],
  domainIsPersistent: [H, 'virDomainIsPersistent', RO],
  domainIsUpdated: [H, 'virDomainIsUpdated', RO],
  domainCreate: [H, 'virDomainCreate', RW],
  domainSuspend: [H, 'virDomainSuspend', RW],
  domainResume: [H, 'virDomainResume', RW],
  domainShutdown: [H, 'virDomainShutdown', RW],
  domainReboot: [H, 'virDomainReboot', RW],
  domainReset: [H, 'virDomainReset', RW],
  domainDestroy: [H, 'virDomainDestroy', RW],
  domainUndefine: [H, 'virDomainUndefine', RW],
  domainGetAutostart: [H, 'virDomainGetAutostart', RO],
  domainSetAutostart: [H, 'virDomainSetAutostart', RW],
  domainSetMemoryFlags: [H, 'virDomainSetMemoryFlags', RW],
  domainGetMaxMemory: [H, 'virDomainGetMaxMemory', RO],
  domainSetVcpusFlags: [H, 'virDomainSetVcpusFlags', RW],
  domainGetVcpusFlags: [H, 'virDomainGetVcpusFlags', RO],
  domainGetVcpus: [H, 'virDomainGetVcpus', RO],
  domainGetMaxVcpus: [H, 'virDomainGetMaxVcpus', RO],
  domainSave: [H, 'virDomainSave', RW],
  domainManagedSave: [H, 'virDomainManagedSave', RW],
  domainHasManagedSaveImage: [H, 'virDomainHasManagedSaveImage', RO],
  domainManagedSaveRemove: [H, 'virDomainManagedSaveRemove', RW],
  domainCoreDump: [H, 'virDomainCoreDump', RW],
  domainAttachDeviceFlags: [H, 'virDomainAttachDeviceFlags', RW],
  domainDetachDeviceFlags: [H, 'virDomainDetachDeviceFlags', RW],
  domainUpdateDeviceFlags: [H, 'virDomainUpdateDeviceFlags', RW],
  domainGetMetadata: [H, 'virDomainGetMetadata', RO],
  domainSetMetadata: [H, 'virDomainSetMetadata', RW],
  domainRename: [H, 'virDomainRename', RW],
  domainScreenshot: [H, 'virDomainScreenshot', RW],
  domainBlockStats: [H, 'virDomainBlockStats', RO],
  domainInterfaceStats: [H, 'virDomainInterfaceStats', RO],
  domainMemoryStats: [H, 'virDomainMemoryStats', RO],
  domainQemuMonitorCommand: [H, 'virDomainQemuMonitorCommand', RW],
  domainSnapshotCreateXML: [H, 'virDomainSnapshotCreateXML', RW],
  domainListAllSnapshots: [H, 'virDomainListAllSnapshots', RO],
  domainSnapshotNum: [H, 'virDomainSnapshotNum', RO],
  domainSnapshotLookupByName: [H, 'virDomainSnapshotLookupByName', RO],
  domainSnapshotCurrent: [H, 'virDomainSnapshotCurrent', RO],
  domainHasCurrentSnapshot: [H, 'virDomainHasCurrentSnapshot', RO],
  domainSnapshotGetXMLDesc: [H, 'virDomainSnapshotGetXMLDesc', RO],
  domainSnapshotGetParent: [H, 'virDomainSnapshotGetParent', RO],
  domainSnapshotListAllChildren: [H, 'virDomainSnapshotListAllChildren', RO],
  domainSnapshotIsCurrent: [H, 'virDomainSnapshotIsCurrent', RO],
  domainSnapshotHasMetadata: [H, 'virDomainSnapshotHasMetadata', RO],
  domainRevertToSnapshot: [H, 'virDomainRevertToSnapshot', RW],
  domainSnapshotDelete: [H, 'virDomainSnapshotDelete', RW],

  connectListAllNetworks: [N, 'virConnectListAllNetworks', RO],
  connectNumOfNetworks: [N, 'virConnectNumOfNetworks', RO],
  connectNumOfDefinedNetworks: [N, 'virConnectNumOfDefinedNetworks', RO],
  networkLookupByName: [N, 'virNetworkLookupByName', RO],
  networkLookupByUUID: [N, 'virNetworkLookupByUUIDString', RO],
  networkDefineXML: [N, 'virNetworkDefineXML', RW],
  networkCreateXML: [N, 'virNetworkCreateXML', RW],
  networkCreate: [N, 'virNetworkCreate', RW],
  networkDestroy: [N, 'virNetworkDestroy', RW],
  networkUndefine: [N, 'virNetworkUndefine', RW],
  networkGetXMLDesc: [N, 'virNetworkGetXMLDesc', RO],
  networkGetBridgeName: [N, 'virNetworkGetBridgeName', RO],
  networkGetAutostart: [N, 'virNetworkGetAutostart', RO],
  networkSetAutostart: [N, 'virNetworkSetAutostart', RW],
  networkIsActive: [N, 'virNetworkIsActive', RO],
  networkIsPersistent: [N, 'virNetworkIsPersistent', RO],

  connectListAllStoragePools: [S, 'virConnectListAllStoragePools', RO],
  connectNumOfStoragePools: [S, 'virConnectNumOfStoragePools', RO],
  connectNumOfDefinedStoragePools: [S, 'virConnectNumOfDefinedStoragePools', RO],
  connectFindStoragePoolSources: [S, 'virConnectFindStoragePoolSources', RW],
  storagePoolLookupByName: [S, 'virStoragePoolLookupByName', RO],
  storagePoolLookupByUUID: [S, 'virStoragePoolLookupByUUIDString', RO],
  storagePoolLookupByVolume: [S, 'virStoragePoolLookupByVolume', RO],
  storagePoolDefineXML: [S, 'virStoragePoolDefineXML', RW],
  storagePoolCreateXML: [S, 'virStoragePoolCreateXML', RW],
  storagePoolBuild: [S, 'virStoragePoolBuild', RW],
  storagePoolCreate: [S, 'virStoragePoolCreate', RW],
  storagePoolDestroy: [S, 'virStoragePoolDestroy', RW],
  storagePoolDelete: [S, 'virStoragePoolDelete', RW],
  storagePoolUndefine: [S, 'virStoragePoolUndefine', RW],
  storagePoolRefresh: [S, 'virStoragePoolRefresh', RW],
  storagePoolGetInfo: [S, 'virStoragePoolGetInfo', RO],
  storagePoolGetXMLDesc: [S, 'virStoragePoolGetXMLDesc', RO],
  storagePoolGetAutostart: [S, 'virStoragePoolGetAutostart', RO],
  storagePoolSetAutostart: [S, 'virStoragePoolSetAutostart', RW],
  storagePoolIsActive: [S, 'virStoragePoolIsActive', RO],
  storagePoolIsPersistent: [S, 'virStoragePoolIsPersistent', RO],
  storagePoolNumOfVolumes: [S, 'virStoragePoolNumOfVolumes', RO],
  storagePoolListAllVolumes: [S, 'virStoragePoolListAllVolumes', RO],
  storageVolLookupByName: [S, 'virStorageVolLookupByName', RO],
  storageVolLookupByKey: [S, 'virStorageVolLookupByKey', RO],
  storageVolLookupByPath: [S, 'virStorageVolLookupByPath', RO],
  storageVolCreateXML: [S, 'virStorageVolCreateXML', RW],
  storageVolCreateXMLFrom: [S, 'virStorageVolCreateXMLFrom', RW],
  storageVolDelete: [S, 'virStorageVolDelete', RW],
  storageVolWipePattern: [S, 'virStorageVolWipePattern', RW],
  storageVolResize: [S, 'virStorageVolResize', RW],
  storageVolUpload: [S, 'virStorageVolUpload', RW],
  storageVolDownload: [S, 'virStorageVolDownload', RW],
  storageVolUploadFromFile: [S, 'virStorageVolUpload', RW],
  storageVolDownloadToFile: [S, 'virStorageVolDownload', RW],
  storageVolGetInfo: [S, 'virStorageVolGetInfo', RO],
  storageVolGetXMLDesc: [S, 'virStorageVolGetXMLDesc', RO],
  storageVolGetPath: [S, 'virStorageVolGetPath', RO],
};

/** Every SPI method with its family, public API name and read-only rule. */
export const SPI_METHODS: Readonly<Record<SpiMethodName, SpiMethodInfo>> = infoOfRows();

/** SPI_METHODS from ROWS: a plain loop (entries/map/destructuring cost every CLI start ~0.2 ms). */
function infoOfRows(): Record<SpiMethodName, SpiMethodInfo> {
  const out = {} as Record<SpiMethodName, SpiMethodInfo>;
  for (const method in ROWS) {
    const row = ROWS[method as SpiMethodName];
    out[method as SpiMethodName] = { family: row[0], api: row[1], readOnlyOk: row[2] };
  }
  return out;
}

/** The SPI method names, in table order. */
export const SPI_METHOD_NAMES: readonly SpiMethodName[] = Object.keys(ROWS) as SpiMethodName[];

/**
 * The VIR_FROM_* libvirt's public API layer reports its own errors with for `api` (the file's
 * VIR_FROM_THIS): libvirt-domain.c -> VIR_FROM_DOMAIN, libvirt-domain-snapshot.c ->
 * VIR_FROM_DOMAIN_SNAPSHOT, libvirt-network.c -> VIR_FROM_NETWORK, libvirt-storage.c ->
 * VIR_FROM_STORAGE, libvirt-qemu.c -> VIR_FROM_DOM, libvirt-host.c and libvirt.c -> VIR_FROM_NONE.
 */
export function errorDomainOfApi(api: string): number {
  if (api === 'virDomainQemuMonitorCommand') return VIR_FROM_DOM;
  if (/^virDomainSnapshot|^virDomain(ListAllSnapshots|HasCurrentSnapshot|RevertToSnapshot)$/.test(api)) {
    return VIR_FROM_DOMAIN_SNAPSHOT;
  }
  if (/^virDomain|^virConnect(ListAllDomains|ListDomains|ListDefinedDomains|NumOf(Defined)?Domains|GetDomainCapabilities)$/.test(api)) {
    return VIR_FROM_DOMAIN;
  }
  if (/^virNetwork|^virConnect(ListAllNetworks|NumOf(Defined)?Networks)$/.test(api)) return VIR_FROM_NETWORK;
  if (/^virStorage|^virConnect(ListAllStoragePools|NumOf(Defined)?StoragePools|FindStoragePoolSources)$/.test(api)) {
    return VIR_FROM_STORAGE;
  }
  return VIR_FROM_NONE;
}
