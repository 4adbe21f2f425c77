/**
 * One public API call per SPI method, made on objects that do not exist (or with input that is
 * not valid), so it can never change a driver's state: the driver either lacks the method
 * (core answers VIR_ERR_NO_SUPPORT) or has it and fails for another reason (or succeeds, for
 * harmless reads). The contract suite and the support matrix read this table.
 */
import {
  VIR_DOMAIN_METADATA_DESCRIPTION,
  type Connection,
  type Domain,
  type DomainSnapshot,
  type Network,
  type SpiMethodName,
  type StoragePool,
  type StorageVol,
} from '@virtkit/core';

/** Objects the calls act on: all of them refer to things that do not exist. */
export interface GhostObjects {
  conn: Connection;
  dom: Domain;
  snap: DomainSnapshot;
  net: Network;
  pool: StoragePool;
  vol: StorageVol;
}

const GHOST = 'virtkit-contract-ghost';
const GHOST_UUID = 'b1e55ed0-dead-4bad-8bad-000000c0ffee';
const NOWHERE = '/nonexistent/virtkit-contract-ghost';
const BAD_XML = '<virtkit-not-valid';

/** Builds the ghost objects on `conn`. */
export function ghostObjects(conn: Connection): GhostObjects {
  const dom = conn.domainFromRef({ name: GHOST, uuid: GHOST_UUID, id: 999999 });
  return {
    conn,
    dom,
    snap: dom.snapshotFromName(GHOST),
    net: conn.networkFromRef({ name: GHOST, uuid: GHOST_UUID }),
    pool: conn.storagePoolFromRef({ name: GHOST, uuid: GHOST_UUID }),
    vol: conn.storageVolFromRef({ pool: GHOST, name: GHOST, key: NOWHERE }),
  };
}

type Call = (o: GhostObjects) => Promise<unknown>;

/** The public call exercising each SPI method. */
export const PUBLIC_CALLS: Readonly<Record<SpiMethodName, Call>> = {
  connectGetType: (o) => o.conn.getType(),
  connectGetVersion: (o) => o.conn.getVersion(),
  connectGetHostname: (o) => o.conn.getHostname(),
  connectGetCapabilities: (o) => o.conn.getCapabilities(),
  connectGetDomainCapabilities: (o) => o.conn.getDomainCapabilities({ virttype: GHOST }),
  connectGetMaxVcpus: (o) => o.conn.getMaxVcpus(),
  connectIsAlive: (o) => o.conn.isAlive(),
  connectIsSecure: (o) => o.conn.isSecure(),
  connectIsEncrypted: (o) => o.conn.isEncrypted(),
  nodeGetInfo: (o) => o.conn.getNodeInfo(),
  nodeGetFreeMemory: (o) => o.conn.getFreeMemory(),
  connectListAllDomains: (o) => o.conn.listAllDomains(),
  connectListDomains: (o) => o.conn.listDomains(),
  connectListDefinedDomains: (o) => o.conn.listDefinedDomains(),
  connectNumOfDomains: (o) => o.conn.numOfDomains(),
  connectNumOfDefinedDomains: (o) => o.conn.numOfDefinedDomains(),
  domainLookupByName: (o) => o.conn.lookupDomainByName(GHOST),
  domainLookupByID: (o) => o.conn.lookupDomainByID(999999),
  domainLookupByUUID: (o) => o.conn.lookupDomainByUUIDString(GHOST_UUID),
  domainDefineXML: (o) => o.conn.defineDomainXML(BAD_XML),
  domainCreateXML: (o) => o.conn.createDomainXML(BAD_XML),
  domainRestore: (o) => o.conn.restoreDomain(NOWHERE),
  domainGetOSType: (o) => o.dom.getOSType(),
  domainGetInfo: (o) => o.dom.getInfo(),
  domainGetState: (o) => o.dom.getState(),
  domainGetXMLDesc: (o) => o.dom.getXMLDesc(),
  domainIsActive: (o) => o.dom.isActive(),
  domainIsPersistent: (o) => o.dom.isPersistent(),
  domainIsUpdated: (o) => o.dom.isUpdated(),
  domainCreate: (o) => o.dom.create(),
  domainSuspend: (o) => o.dom.suspend(),
  domainResume: (o) => o.dom.resume(),
  domainShutdown: (o) => o.dom.shutdown(),
  domainReboot: (o) => o.dom.reboot(),
  domainReset: (o) => o.dom.reset(),
  domainDestroy: (o) => o.dom.destroy(),
  domainUndefine: (o) => o.dom.undefine(),
  domainGetAutostart: (o) => o.dom.getAutostart(),
  domainSetAutostart: (o) => o.dom.setAutostart(false),
  domainSetMemoryFlags: (o) => o.dom.setMemory(1024),
  domainGetMaxMemory: (o) => o.dom.getMaxMemory(),
  domainSetVcpusFlags: (o) => o.dom.setVcpus(1),
  domainGetVcpusFlags: (o) => o.dom.getVcpusFlags(),
  domainGetVcpus: (o) => o.dom.getVcpus(),
  domainGetMaxVcpus: (o) => o.dom.getMaxVcpus(),
  domainSave: (o) => o.dom.save(NOWHERE),
  domainManagedSave: (o) => o.dom.managedSave(),
  domainHasManagedSaveImage: (o) => o.dom.hasManagedSaveImage(),
  domainManagedSaveRemove: (o) => o.dom.managedSaveRemove(),
  domainCoreDump: (o) => o.dom.coreDump(NOWHERE),
  domainAttachDeviceFlags: (o) => o.dom.attachDevice(BAD_XML),
  domainDetachDeviceFlags: (o) => o.dom.detachDevice(BAD_XML),
  domainUpdateDeviceFlags: (o) => o.dom.updateDeviceFlags(BAD_XML, 0),
  domainGetMetadata: (o) => o.dom.getMetadata(VIR_DOMAIN_METADATA_DESCRIPTION),
  domainSetMetadata: (o) => o.dom.setMetadata(VIR_DOMAIN_METADATA_DESCRIPTION, 'x'),
  domainRename: (o) => o.dom.rename(`${GHOST}-renamed`),
  domainScreenshot: (o) => o.dom.screenshot(),
  domainBlockStats: (o) => o.dom.blockStats('vda'),
  domainInterfaceStats: (o) => o.dom.interfaceStats('vnet0'),
  domainMemoryStats: (o) => o.dom.memoryStats(),
  domainQemuMonitorCommand: (o) => o.dom.qemuMonitorCommand('{"execute":"query-status"}'),
  domainSnapshotCreateXML: (o) => o.dom.snapshotCreateXML(BAD_XML),
  domainListAllSnapshots: (o) => o.dom.listAllSnapshots(),
  domainSnapshotNum: (o) => o.dom.snapshotNum(),
  domainSnapshotLookupByName: (o) => o.dom.snapshotLookupByName(GHOST),
  domainSnapshotCurrent: (o) => o.dom.snapshotCurrent(),
  domainHasCurrentSnapshot: (o) => o.dom.hasCurrentSnapshot(),
  domainSnapshotGetXMLDesc: (o) => o.snap.getXMLDesc(),
  domainSnapshotGetParent: (o) => o.snap.getParent(),
  domainSnapshotListAllChildren: (o) => o.snap.listAllChildren(),
  domainSnapshotIsCurrent: (o) => o.snap.isCurrent(),
  domainSnapshotHasMetadata: (o) => o.snap.hasMetadata(),
  domainRevertToSnapshot: (o) => o.snap.revert(),
  domainSnapshotDelete: (o) => o.snap.delete(),

  connectListAllNetworks: (o) => o.conn.listAllNetworks(),
  connectNumOfNetworks: (o) => o.conn.numOfNetworks(),
  connectNumOfDefinedNetworks: (o) => o.conn.numOfDefinedNetworks(),
  networkLookupByName: (o) => o.conn.lookupNetworkByName(GHOST),
  networkLookupByUUID: (o) => o.conn.lookupNetworkByUUIDString(GHOST_UUID),
  networkDefineXML: (o) => o.conn.defineNetworkXML(BAD_XML),
  networkCreateXML: (o) => o.conn.createNetworkXML(BAD_XML),
  networkCreate: (o) => o.net.create(),
  networkDestroy: (o) => o.net.destroy(),
  networkUndefine: (o) => o.net.undefine(),
  networkGetXMLDesc: (o) => o.net.getXMLDesc(),
  networkGetBridgeName: (o) => o.net.getBridgeName(),
  networkGetAutostart: (o) => o.net.getAutostart(),
  networkSetAutostart: (o) => o.net.setAutostart(false),
  networkIsActive: (o) => o.net.isActive(),
  networkIsPersistent: (o) => o.net.isPersistent(),

  connectListAllStoragePools: (o) => o.conn.listAllStoragePools(),
  connectNumOfStoragePools: (o) => o.conn.numOfStoragePools(),
  connectNumOfDefinedStoragePools: (o) => o.conn.numOfDefinedStoragePools(),
  connectFindStoragePoolSources: (o) => o.conn.findStoragePoolSources(GHOST),
  storagePoolLookupByName: (o) => o.conn.lookupStoragePoolByName(GHOST),
  storagePoolLookupByUUID: (o) => o.conn.lookupStoragePoolByUUIDString(GHOST_UUID),
  storagePoolLookupByVolume: (o) => o.conn.lookupStoragePoolByVolume(o.vol),
  storagePoolDefineXML: (o) => o.conn.defineStoragePoolXML(BAD_XML),
  storagePoolCreateXML: (o) => o.conn.createStoragePoolXML(BAD_XML),
  storagePoolBuild: (o) => o.pool.build(),
  storagePoolCreate: (o) => o.pool.create(),
  storagePoolDestroy: (o) => o.pool.destroy(),
  storagePoolDelete: (o) => o.pool.delete(),
  storagePoolUndefine: (o) => o.pool.undefine(),
  storagePoolRefresh: (o) => o.pool.refresh(),
  storagePoolGetInfo: (o) => o.pool.getInfo(),
  storagePoolGetXMLDesc: (o) => o.pool.getXMLDesc(),
  storagePoolGetAutostart: (o) => o.pool.getAutostart(),
  storagePoolSetAutostart: (o) => o.pool.setAutostart(false),
  storagePoolIsActive: (o) => o.pool.isActive(),
  storagePoolIsPersistent: (o) => o.pool.isPersistent(),
  storagePoolNumOfVolumes: (o) => o.pool.numOfVolumes(),
  storagePoolListAllVolumes: (o) => o.pool.listAllVolumes(),
  storageVolLookupByName: (o) => o.pool.lookupStorageVolByName(GHOST),
  storageVolLookupByKey: (o) => o.conn.lookupStorageVolByKey(NOWHERE),
  storageVolLookupByPath: (o) => o.conn.lookupStorageVolByPath(NOWHERE),
  storageVolCreateXML: (o) => o.pool.createVolXML(BAD_XML),
  storageVolCreateXMLFrom: (o) => o.pool.createVolXMLFrom(BAD_XML, o.vol),
  storageVolDelete: (o) => o.vol.delete(),
  storageVolWipePattern: (o) => o.vol.wipe(),
  storageVolResize: (o) => o.vol.resize(1),
  storageVolUpload: (o) => o.vol.upload(),
  storageVolDownload: (o) => o.vol.download(),
  storageVolUploadFromFile: (o) => o.vol.uploadFromFile(NOWHERE),
  storageVolDownloadToFile: (o) => o.vol.downloadToFile(NOWHERE),
  storageVolGetInfo: (o) => o.vol.getInfo(),
  storageVolGetXMLDesc: (o) => o.vol.getXMLDesc(),
  storageVolGetPath: (o) => o.vol.getPath(),
};

/** SPI methods whose public API does not answer NO_SUPPORT when missing (libvirt falls back). */
export const FALLBACK_METHODS: ReadonlySet<SpiMethodName> = new Set<SpiMethodName>([
  'connectGetType',
  // StorageVol.uploadFromFile / downloadToFile fall back to the upload / download streams
  'storageVolUploadFromFile',
  'storageVolDownloadToFile',
]);
