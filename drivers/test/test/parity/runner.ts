/**
 * Runs a parity sequence on virtkit's test driver through the driver SPI, producing the same
 * JSON shape as libvirt-runner.py: {ok: value} or {err: code, msg}, plus the step's events.
 */
import type { DomainRef, DriverConnection, DriverEventSink, StoragePoolRef } from '@virtkit/core';
import { VirtError, parseURI } from '@virtkit/core';
import { driver } from '../../src/index.js';
import type { ParityStep } from './sequence.js';

/** One step's outcome. */
export interface StepResult {
  ok?: unknown;
  err?: number;
  msg?: string;
  events: unknown[];
}

type Fn = (...args: any[]) => Promise<unknown>;

/** Opens `uri` on the driver with an event sink recording into `events`. */
export async function openWithEvents(uri: string, events: unknown[][]): Promise<DriverConnection> {
  const sink: DriverEventSink = {
    domainLifecycle: (d, e, det) => void events.push(['domain', d.name, e, det]),
    domainReboot: () => undefined,
    domainBalloonChange: () => undefined,
    domainDeviceRemoved: () => undefined,
    networkLifecycle: (n, e, det) => void events.push(['network', n.name, e, det]),
    storagePoolLifecycle: (p, e, det) => void events.push(['pool', p.name, e, det]),
    storagePoolRefresh: (p) => void events.push(['pool-refresh', p.name]),
  };
  return driver.open({ uri: parseURI(uri), readOnly: false, events: sink });
}

const b = (v: boolean): number => (v ? 1 : 0);

/** Runs `steps` on a fresh connection to `uri`. */
export async function runOurs(steps: ParityStep[], uri = 'test:///default'): Promise<StepResult[]> {
  const events: unknown[][] = [];
  const conn = await openWithEvents(uri, events);
  const hv = conn.hypervisor!;
  const net = conn.network!;
  const sto = conn.storage!;
  const job = {};
  const dom = (n: string): Promise<DomainRef> => hv.domainLookupByName!(n);
  const snap = async (n: string, s: string) => hv.domainSnapshotLookupByName!(await dom(n), s, 0);
  const pool = (n: string): Promise<StoragePoolRef> => sto.storagePoolLookupByName!(n);
  const vol = async (p: string, v: string) => sto.storageVolLookupByName!(await pool(p), v);
  const netRef = (n: string) => net.networkLookupByName!(n);
  const zero = async (p: Promise<unknown>): Promise<number> => (await p, 0);
  const ops: Record<string, Fn> = {
    listDomains: async (f = 0) => {
      const out = [];
      for (const d of await hv.connectListAllDomains!(f)) {
        const s = await hv.domainGetState!(d, 0);
        out.push([d.name, d.id, s.state, s.reason]);
      }
      return out.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    },
    numOfDomains: async () => [await hv.connectNumOfDomains!(), await hv.connectNumOfDefinedDomains!()],
    lookupByName: async (n) => {
      const d = await dom(n);
      return [d.name, d.id];
    },
    lookupByID: async (i) => (await hv.domainLookupByID!(i)).name,
    lookupByUUID: async (u) => (await hv.domainLookupByUUID!(u)).name,
    define: async (x, f = 0) => (await hv.domainDefineXML!(x, f)).name,
    createXML: async (x, f = 0) => [(await hv.domainCreateXML!(x, f)).name],
    undefine: async (n, f = 0) => zero(hv.domainUndefine!(await dom(n), f)),
    create: async (n, f = 0) => zero(hv.domainCreate!(await dom(n), f)),
    suspend: async (n) => zero(hv.domainSuspend!(await dom(n))),
    resume: async (n) => zero(hv.domainResume!(await dom(n))),
    shutdown: async (n, f = 0) => zero(hv.domainShutdown!(await dom(n), f)),
    reboot: async (n, f = 0) => zero(hv.domainReboot!(await dom(n), f)),
    reset: async (n) => zero(hv.domainReset!(await dom(n), 0)),
    destroy: async (n, f = 0) => zero(hv.domainDestroy!(await dom(n), f)),
    state: async (n) => {
      const s = await hv.domainGetState!(await dom(n), 0);
      return [s.state, s.reason];
    },
    info: async (n) => {
      const i = await hv.domainGetInfo!(await dom(n));
      return [i.state, i.maxMem, i.memory, i.nrVirtCpu];
    },
    isActive: async (n) => [b(await hv.domainIsActive!(await dom(n))), b(await hv.domainIsPersistent!(await dom(n)))],
    setMemory: async (n, m, f) => zero(hv.domainSetMemoryFlags!(await dom(n), m, f ?? 1)),
    setMaxMemory: async (n, m) => zero(hv.domainSetMemoryFlags!(await dom(n), m, 4)),
    setVcpus: async (n, v, f) => zero(hv.domainSetVcpusFlags!(await dom(n), v, f ?? 1)),
    vcpusFlags: async (n, f) => hv.domainGetVcpusFlags!(await dom(n), f),
    setAutostart: async (n, a) => zero(hv.domainSetAutostart!(await dom(n), !!a)),
    autostart: async (n) => b(await hv.domainGetAutostart!(await dom(n))),
    rename: async (n, nn) => zero(hv.domainRename!(await dom(n), nn, 0)),
    save: async (n, f) => zero(hv.domainSave!(await dom(n), f, undefined, 0, job)),
    restore: async (f) => zero(hv.domainRestore!(f, undefined, 0, job)),
    managedSave: async (n, f = 0) => zero(hv.domainManagedSave!(await dom(n), f, job)),
    hasManagedSave: async (n) => b(await hv.domainHasManagedSaveImage!(await dom(n), 0)),
    managedSaveRemove: async (n) => zero(hv.domainManagedSaveRemove!(await dom(n), 0)),
    coreDump: async (n, f, fl = 0) => zero(hv.domainCoreDump!(await dom(n), f, fl, job)),
    maxMemory: async (n) => hv.domainGetMaxMemory!(await dom(n)),
    osType: async (n) => hv.domainGetOSType!(await dom(n)),
    memoryStats: async (n) => {
      const names = ['swap_in', 'swap_out', 'major_fault', 'minor_fault', 'unused', 'available', 'actual', 'rss', 'usable', 'last_update', 'disk_caches', 'hugetlb_pgalloc', 'hugetlb_pgfail'];
      const st = await hv.domainMemoryStats!(await dom(n), 13, 0);
      return st.map((s) => [names[s.tag], s.val]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    },
    blockStats: async (n, d) => Object.keys(await hv.domainBlockStats!(await dom(n), d)).length,
    vcpus: async (n) => (await hv.domainGetVcpus!(await dom(n))).map((v) => [v.number, v.state, v.cpu]),
    setMetadata: async (n, t, m, k, u, f = 0) => zero(hv.domainSetMetadata!(await dom(n), t, m ?? undefined, k ?? undefined, u ?? undefined, f)),
    metadata: async (n, t, u, f = 0) => hv.domainGetMetadata!(await dom(n), t, u ?? undefined, f),
    snapshotCreate: async (n, x, f = 0) => (await hv.domainSnapshotCreateXML!(await dom(n), x, f)).name,
    snapshotList: async (n, f = 0) => (await hv.domainListAllSnapshots!(await dom(n), f)).map((s) => s.name).sort(),
    snapshotNum: async (n, f = 0) => hv.domainSnapshotNum!(await dom(n), f),
    snapshotCurrent: async (n) => (await hv.domainSnapshotCurrent!(await dom(n), 0)).name,
    snapshotLookup: async (n, s) => (await snap(n, s)).name,
    hasCurrentSnapshot: async (n) => b(await hv.domainHasCurrentSnapshot!(await dom(n), 0)),
    snapshotParent: async (n, s) => (await hv.domainSnapshotGetParent!(await snap(n, s), 0)).name,
    snapshotChildren: async (n, s, f = 0) => (await hv.domainSnapshotListAllChildren!(await snap(n, s), f)).map((c) => c.name).sort(),
    snapshotIsCurrent: async (n, s) => b(await hv.domainSnapshotIsCurrent!(await snap(n, s), 0)),
    snapshotRevert: async (n, s, f = 0) => zero(hv.domainRevertToSnapshot!(await snap(n, s), f)),
    snapshotDelete: async (n, s, f = 0) => zero(hv.domainSnapshotDelete!(await snap(n, s), f)),
    listNetworks: async () => {
      const out = [];
      for (const n of await net.connectListAllNetworks!(0)) out.push([n.name, b(await net.networkIsActive!(n)), b(await net.networkIsPersistent!(n))]);
      return out.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    },
    netLookup: async (n) => (await netRef(n)).name,
    netDefine: async (x) => (await net.networkDefineXML!(x, 0)).name,
    netCreateXML: async (x) => (await net.networkCreateXML!(x, 0)).name,
    netCreate: async (n) => zero(net.networkCreate!(await netRef(n), 0)),
    netDestroy: async (n) => zero(net.networkDestroy!(await netRef(n))),
    netUndefine: async (n) => zero(net.networkUndefine!(await netRef(n))),
    netBridge: async (n) => net.networkGetBridgeName!(await netRef(n)),
    netAutostart: async (n, a) => zero(net.networkSetAutostart!(await netRef(n), !!a)),
    netGetAutostart: async (n) => b(await net.networkGetAutostart!(await netRef(n))),
    listPools: async () => {
      const out = [];
      for (const p of await sto.connectListAllStoragePools!(0)) out.push([p.name, b(await sto.storagePoolIsActive!(p)), b(await sto.storagePoolIsPersistent!(p))]);
      return out.sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    },
    poolLookup: async (n) => (await pool(n)).name,
    poolDefine: async (x) => (await sto.storagePoolDefineXML!(x, 0)).name,
    poolCreateXML: async (x) => (await sto.storagePoolCreateXML!(x, 0)).name,
    poolBuild: async (n) => zero(sto.storagePoolBuild!(await pool(n), 0)),
    poolCreate: async (n) => zero(sto.storagePoolCreate!(await pool(n), 0)),
    poolDestroy: async (n) => zero(sto.storagePoolDestroy!(await pool(n))),
    poolDelete: async (n) => zero(sto.storagePoolDelete!(await pool(n), 0)),
    poolUndefine: async (n) => zero(sto.storagePoolUndefine!(await pool(n))),
    poolRefresh: async (n) => zero(sto.storagePoolRefresh!(await pool(n), 0)),
    poolInfo: async (n) => {
      const i = await sto.storagePoolGetInfo!(await pool(n));
      return [i.state, i.capacity, i.allocation, i.available];
    },
    poolAutostart: async (n, a) => zero(sto.storagePoolSetAutostart!(await pool(n), !!a)),
    poolGetAutostart: async (n) => b(await sto.storagePoolGetAutostart!(await pool(n))),
    poolNumVols: async (n) => sto.storagePoolNumOfVolumes!(await pool(n)),
    listVols: async (n) => (await sto.storagePoolListAllVolumes!(await pool(n), 0)).map((v) => v.name).sort(),
    volCreate: async (p, x) => (await sto.storageVolCreateXML!(await pool(p), x, 0, job)).name,
    volClone: async (p, x, src) => (await sto.storageVolCreateXMLFrom!(await pool(p), x, await vol(p, src), 0, job)).name,
    volLookup: async (p, v) => {
      const r = await vol(p, v);
      return [r.name, r.key];
    },
    volByPath: async (path) => (await sto.storageVolLookupByPath!(path)).name,
    volByKey: async (key) => (await sto.storageVolLookupByKey!(key)).name,
    volInfo: async (p, v) => {
      const i = await sto.storageVolGetInfo!(await vol(p, v));
      return [i.type, i.capacity, i.allocation];
    },
    volPath: async (p, v) => sto.storageVolGetPath!(await vol(p, v)),
    volDelete: async (p, v) => zero(sto.storageVolDelete!(await vol(p, v), 0)),
    findSources: async (t, spec) => sto.connectFindStoragePoolSources!(t, spec ?? undefined, 0),
    ifaceStats: async (n, d) => Object.keys(await hv.domainInterfaceStats!(await dom(n), d)).length,
    screenshotMime: async (n) => (await hv.domainScreenshot!(await dom(n), 0, 0)).mimeType,
    nodeInfo: async () => {
      const i = await hv.nodeGetInfo!();
      return [i.model, Math.floor(i.memory / 1024), i.cpus, i.mhz, i.nodes, i.sockets, i.cores, i.threads];
    },
    maxVcpus: async () => hv.connectGetMaxVcpus!(undefined),
    freeMemory: async () => hv.nodeGetFreeMemory!(),
    type: async () => [await hv.connectGetType!(), await hv.connectGetVersion!()],
  };
  const out: StepResult[] = [];
  try {
    for (const [op, ...args] of steps) {
      const fn = ops[op];
      if (!fn) throw new Error(`unknown parity op ${op}`);
      events.length = 0;
      let res: StepResult;
      try {
        res = { ok: await fn(...args), events: [] };
      } catch (e) {
        if (!(e instanceof VirtError)) throw e;
        res = { err: e.code, msg: e.message, events: [] };
      }
      res.events = events.slice();
      out.push(res);
    }
  } finally {
    await conn.close();
  }
  return out;
}
