/**
 * Statistics and read-only queries of a domain: vCPU info, block / interface / memory
 * stats and the screenshot. Like libvirt's test driver the numbers are derived from the
 * clock ("no significance, just enough to mix it up"), here the settable one when set.
 */
import { readFileSync } from 'node:fs';
import type { DomainBlockStats, DomainInterfaceStats, DomainMemoryStat, DomainRef, Screenshot, VcpuInfo } from '@virtkit/core';
import { Err, From, MemStat } from './consts.js';
import { defCurMemKiB, defHasMemballoon, defVcpus } from './domain-def.js';
import type { DomainDef } from './domain-def.js';
import { activeObj, cpuTimeNs, domObj } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { checkFlags, testError } from './errors.js';
import { fallbackScreenshot } from './png.js';

/** Microseconds of the (settable) clock: libvirt's g_get_real_time(). */
function statbase(st: DriverState): number {
  return Math.floor(st.nowNs() / 1000);
}

/** virDomainGetVcpus. */
export function getVcpus(st: DriverState, ref: DomainRef): VcpuInfo[] {
  const obj = domObj(st, ref);
  if (!obj.isActive()) throw testError(Err.OPERATION_INVALID, 'cannot list vcpus for an inactive domain');
  const n = defVcpus(obj.def);
  const hostcpus = st.nodeInfo.nodes * st.nodeInfo.sockets * st.nodeInfo.cores * st.nodeInfo.threads;
  const cpuTime = st.clockNs === undefined ? Math.floor(statbase(st) / 10) : Math.floor(cpuTimeNs(st, obj) / n);
  const out: VcpuInfo[] = [];
  for (let i = 0; i < n; i++) out.push({ number: i, state: 1, cpuTime, cpu: hostcpus - 1 });
  return out;
}

function diskMatches(def: DomainDef, path: string): boolean {
  for (const d of def.devices.disks) {
    if (d.target.dev === path) return true;
    const src = d.source;
    if (src && (src.file === path || src.dev === path || src.dir === path)) return true;
  }
  return false;
}

/** virDomainBlockStats. */
export function blockStats(st: DriverState, ref: DomainRef, path: string): DomainBlockStats {
  if (!path) throw testError(Err.OPERATION_UNSUPPORTED, 'summary statistics are not supported yet');
  const obj = activeObj(st, ref);
  if (!diskMatches(obj.def, path)) throw testError(Err.INVALID_ARG, `invalid path: ${path}`);
  const b = statbase(st);
  return {
    rdReq: Math.floor(b / 10),
    rdBytes: Math.floor(b / 20),
    wrReq: Math.floor(b / 30),
    wrBytes: Math.floor(b / 40),
    errs: Math.floor(b / 2_000_000),
  };
}

/** virDomainInterfaceStats: by target name or MAC (virDomainNetFind). */
export function interfaceStats(st: DriverState, ref: DomainRef, device: string): DomainInterfaceStats {
  const obj = activeObj(st, ref);
  const dev = device.toLowerCase();
  const nic = obj.def.devices.interfaces.find((n) => n.target?.dev === device || n.mac === dev);
  if (!nic) throw testError(Err.INVALID_ARG, `'${device}' is not a known interface`, From.DOMAIN);
  const b = statbase(st);
  return {
    rxBytes: Math.floor(b / 10),
    rxPackets: Math.floor(b / 100),
    rxErrs: Math.floor(b / 1_000_000),
    rxDrop: Math.floor(b / 2_000_000),
    txBytes: Math.floor(b / 20),
    txPackets: Math.floor(b / 110),
    txErrs: Math.floor(b / 3_000_000),
    txDrop: Math.floor(b / 4_000_000),
  };
}

/** virDomainMemoryStats: libvirt's fixed figures derived from the balloon size. */
export function memoryStats(st: DriverState, ref: DomainRef, nrStats: number, flags: number): DomainMemoryStat[] {
  checkFlags(flags, 0, 'testDomainMemoryStats');
  const obj = activeObj(st, ref);
  if (!defHasMemballoon(obj.def)) return [];
  const cur = defCurMemKiB(obj.def);
  const all: DomainMemoryStat[] = [
    { tag: MemStat.ACTUAL_BALLOON, val: cur },
    { tag: MemStat.SWAP_IN, val: 0 },
    { tag: MemStat.SWAP_OUT, val: 0 },
    { tag: MemStat.MAJOR_FAULT, val: 0 },
    { tag: MemStat.MINOR_FAULT, val: 0 },
    { tag: MemStat.UNUSED, val: Math.floor(cur / 2) },
    { tag: MemStat.AVAILABLE, val: cur },
    { tag: MemStat.USABLE, val: Math.floor(cur / 2) },
    { tag: MemStat.LAST_UPDATE, val: 627319920 },
    { tag: MemStat.DISK_CACHES, val: Math.floor(cur / 8) },
    { tag: MemStat.HUGETLB_PGALLOC, val: 0 },
    { tag: MemStat.HUGETLB_PGFAIL, val: 0 },
    { tag: MemStat.RSS, val: Math.floor(cur / 2) },
  ];
  return all.slice(0, Math.max(0, nrStats));
}

let screenshotData: Buffer | undefined;

/** virDomainScreenshot: libvirt's test-screenshot.png when installed, else an equivalent PNG. */
export function screenshot(st: DriverState, ref: DomainRef, screen: number, flags: number): Screenshot {
  checkFlags(flags, 0, 'testDomainScreenshot');
  domObj(st, ref);
  void screen;
  if (screenshotData === undefined) {
    try {
      screenshotData = readFileSync('/usr/share/libvirt/test-screenshot.png');
    } catch {
      screenshotData = fallbackScreenshot();
    }
  }
  return { mimeType: 'image/png', data: Buffer.from(screenshotData) };
}
