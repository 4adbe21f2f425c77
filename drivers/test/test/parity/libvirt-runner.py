#!/usr/bin/python3
"""Runs a parity sequence (JSON on stdin) on libvirt's test driver and prints one JSON
result per step: {"ok": value} or {"err": code}, plus the events the step raised."""
import json
import sys

import libvirt

libvirt.virEventRegisterDefaultImpl()
libvirt.registerErrorHandler(lambda ctx, err: None, None)

steps = json.load(sys.stdin)
uri = sys.argv[1] if len(sys.argv) > 1 else 'test:///default'
conn = libvirt.open(uri)
events = []


def dom_cb(_c, dom, event, detail, _o):
    events.append(['domain', dom.name(), event, detail])


def net_cb(_c, net, event, detail, _o):
    events.append(['network', net.name(), event, detail])


def pool_cb(_c, pool, event, detail, _o):
    events.append(['pool', pool.name(), event, detail])


def pool_refresh_cb(_c, pool, _o):
    events.append(['pool-refresh', pool.name()])


conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom_cb, None)
conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, net_cb, None)
conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, pool_cb, None)
conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH, pool_refresh_cb, None)


def pump():
    # A zero timer keeps the loop from blocking; two turns flush the driver's queue.
    tid = libvirt.virEventAddTimeout(0, lambda *_: None, None)
    libvirt.virEventRunDefaultImpl()
    libvirt.virEventRunDefaultImpl()
    libvirt.virEventRemoveTimeout(tid)


def dom(name):
    return conn.lookupByName(name)


def snap(name, s):
    return dom(name).snapshotLookupByName(s, 0)


def pool(name):
    return conn.storagePoolLookupByName(name)


def vol(p, v):
    return pool(p).storageVolLookupByName(v)


OPS = {
    'listDomains': lambda f=0: sorted([d.name(), d.ID()] + d.state() for d in conn.listAllDomains(f)),
    'numOfDomains': lambda: [conn.numOfDomains(), conn.numOfDefinedDomains()],
    'lookupByName': lambda n: [dom(n).name(), dom(n).ID()],
    'lookupByID': lambda i: conn.lookupByID(i).name(),
    'lookupByUUID': lambda u: conn.lookupByUUIDString(u).name(),
    'define': lambda x, f=0: conn.defineXMLFlags(x, f).name(),
    'createXML': lambda x, f=0: [conn.createXML(x, f).name()],
    'undefine': lambda n, f=0: dom(n).undefineFlags(f),
    'create': lambda n, f=0: dom(n).createWithFlags(f),
    'suspend': lambda n: dom(n).suspend(),
    'resume': lambda n: dom(n).resume(),
    'shutdown': lambda n, f=0: dom(n).shutdownFlags(f),
    'reboot': lambda n, f=0: dom(n).reboot(f),
    'reset': lambda n: dom(n).reset(0),
    'destroy': lambda n, f=0: dom(n).destroyFlags(f),
    'state': lambda n: dom(n).state(),
    'info': lambda n: dom(n).info()[:4],
    'isActive': lambda n: [dom(n).isActive(), dom(n).isPersistent()],
    'setMemory': lambda n, m, f=None: dom(n).setMemory(m) if f is None else dom(n).setMemoryFlags(m, f),
    'setMaxMemory': lambda n, m: dom(n).setMaxMemory(m),
    'setVcpus': lambda n, v, f=None: dom(n).setVcpus(v) if f is None else dom(n).setVcpusFlags(v, f),
    'vcpusFlags': lambda n, f: dom(n).vcpusFlags(f),
    'setAutostart': lambda n, a: dom(n).setAutostart(a),
    'autostart': lambda n: dom(n).autostart(),
    'rename': lambda n, new: dom(n).rename(new, 0),
    'save': lambda n, f: dom(n).save(f),
    'restore': lambda f: conn.restore(f),
    'managedSave': lambda n, f=0: dom(n).managedSave(f),
    'hasManagedSave': lambda n: dom(n).hasManagedSaveImage(0),
    'managedSaveRemove': lambda n: dom(n).managedSaveRemove(0),
    'coreDump': lambda n, f, fl=0: dom(n).coreDump(f, fl),
    'maxMemory': lambda n: dom(n).maxMemory(),
    'osType': lambda n: dom(n).OSType(),
    'memoryStats': lambda n: sorted(dom(n).memoryStats().items()),
    'blockStats': lambda n, d: len(dom(n).blockStats(d)),
    'vcpus': lambda n: [[v[0], v[1], v[3]] for v in dom(n).vcpus()[0]],
    'setMetadata': lambda n, t, m, k, u, f=0: dom(n).setMetadata(t, m, k, u, f),
    'metadata': lambda n, t, u, f=0: dom(n).metadata(t, u, f),
    'snapshotCreate': lambda n, x, f=0: dom(n).snapshotCreateXML(x, f).getName(),
    'snapshotList': lambda n, f=0: sorted(s.getName() for s in dom(n).listAllSnapshots(f)),
    'snapshotNum': lambda n, f=0: dom(n).snapshotNum(f),
    'snapshotCurrent': lambda n: dom(n).snapshotCurrent(0).getName(),
    'snapshotLookup': lambda n, s: snap(n, s).getName(),
    'hasCurrentSnapshot': lambda n: dom(n).hasCurrentSnapshot(0),
    'snapshotParent': lambda n, s: snap(n, s).getParent(0).getName(),
    'snapshotChildren': lambda n, s, f=0: sorted(c.getName() for c in snap(n, s).listAllChildren(f)),
    'snapshotIsCurrent': lambda n, s: snap(n, s).isCurrent(0),
    'snapshotRevert': lambda n, s, f=0: dom(n).revertToSnapshot(snap(n, s), f),
    'snapshotDelete': lambda n, s, f=0: snap(n, s).delete(f),
    'listNetworks': lambda: sorted([x.name(), x.isActive(), x.isPersistent()] for x in conn.listAllNetworks(0)),
    'netLookup': lambda n: conn.networkLookupByName(n).name(),
    'netDefine': lambda x: conn.networkDefineXML(x).name(),
    'netCreateXML': lambda x: conn.networkCreateXML(x).name(),
    'netCreate': lambda n: conn.networkLookupByName(n).create(),
    'netDestroy': lambda n: conn.networkLookupByName(n).destroy(),
    'netUndefine': lambda n: conn.networkLookupByName(n).undefine(),
    'netBridge': lambda n: conn.networkLookupByName(n).bridgeName(),
    'netAutostart': lambda n, a: conn.networkLookupByName(n).setAutostart(a),
    'netGetAutostart': lambda n: conn.networkLookupByName(n).autostart(),
    'listPools': lambda: sorted([x.name(), x.isActive(), x.isPersistent()] for x in conn.listAllStoragePools(0)),
    'poolLookup': lambda n: pool(n).name(),
    'poolDefine': lambda x: conn.storagePoolDefineXML(x, 0).name(),
    'poolCreateXML': lambda x: conn.storagePoolCreateXML(x, 0).name(),
    'poolBuild': lambda n: pool(n).build(0),
    'poolCreate': lambda n: pool(n).create(0),
    'poolDestroy': lambda n: pool(n).destroy(),
    'poolDelete': lambda n: pool(n).delete(0),
    'poolUndefine': lambda n: pool(n).undefine(),
    'poolRefresh': lambda n: pool(n).refresh(0),
    'poolInfo': lambda n: pool(n).info(),
    'poolAutostart': lambda n, a: pool(n).setAutostart(a),
    'poolGetAutostart': lambda n: pool(n).autostart(),
    'poolNumVols': lambda n: pool(n).numOfVolumes(),
    'listVols': lambda n: sorted(v.name() for v in pool(n).listAllVolumes(0)),
    'volCreate': lambda p, x: pool(p).createXML(x, 0).name(),
    'volClone': lambda p, x, src: pool(p).createXMLFrom(x, vol(p, src), 0).name(),
    'volLookup': lambda p, v: [vol(p, v).name(), vol(p, v).key()],
    'volByPath': lambda path: conn.storageVolLookupByPath(path).name(),
    'volByKey': lambda key: conn.storageVolLookupByKey(key).name(),
    'volInfo': lambda p, v: vol(p, v).info(),
    'volPath': lambda p, v: vol(p, v).path(),
    'volDelete': lambda p, v: vol(p, v).delete(0),
    'findSources': lambda t, spec=None: conn.findStoragePoolSources(t, spec, 0),
    'ifaceStats': lambda n, d: len(dom(n).interfaceStats(d)),
    'screenshotMime': lambda n: dom(n).screenshot(conn.newStream(0), 0, 0),
    'nodeInfo': lambda: conn.getInfo(),
    'maxVcpus': lambda: conn.getMaxVcpus(None),
    'freeMemory': lambda: conn.getFreeMemory(),
    'type': lambda: [conn.getType(), conn.getVersion()],
}

out = []
for step in steps:
    op, args = step[0], step[1:]
    try:
        val = OPS[op](*args)
        res = {'ok': val}
    except libvirt.libvirtError as e:
        res = {'err': e.get_error_code(), 'msg': e.get_error_message()}
    events.clear()
    pump()
    res['events'] = list(events)
    out.append(res)
json.dump(out, sys.stdout)
