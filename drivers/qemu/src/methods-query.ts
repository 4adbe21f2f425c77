/**
 * Query and tuning methods: getInfo (cpuTime from /proc/PID/stat), getState with reasons,
 * XML, memory (balloon) and vCPU settings, stats, screenshot, monitor passthrough.
 */
import { checkQemuFlags } from './flags.js';
import { readFile, rm } from 'node:fs/promises';
import { virtError, type HypervisorDriver } from '@virtkit/core';
import { formatDomainXML } from '@virtkit/xml';
import type { QemuDriverState } from './driver-state.js';
import type { QemuDomainObj } from './domain-obj.js';
import { parseStat, readProcStatSync } from './proc-stat.js';
import * as C from './constants.js';
import { resolveAffect } from './affect.js';

function affect(obj: QemuDomainObj, flags: number): { live: boolean; config: boolean } {
  return resolveAffect(obj, flags, 'transient domains do not have any persistent config');
}

/** The query/tuning methods. */
export function queryMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  return {
    async domainGetOSType(ref) {
      return st.get(ref).def.os.type;
    },
    async domainGetInfo(ref) {
      const obj = st.get(ref);
      const def = obj.def;
      // procfs reads do not block: a sync read keeps getInfo off the (shared) libuv thread pool.
      const cpuTime = obj.active ? (readProcStatSync(obj.pid)?.cpuTimeNs ?? 0) : 0;
      return {
        state: obj.state,
        maxMem: def.memory,
        memory: obj.active ? obj.balloonKiB : (def.currentMemory ?? def.memory),
        nrVirtCpu: def.vcpu?.current ?? def.vcpu?.count ?? 1,
        cpuTime,
      };
    },
    async domainGetState(ref, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainGetState');
      const obj = st.get(ref);
      return { state: obj.state, reason: obj.reason };
    },
    async domainGetXMLDesc(ref, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_XML_SECURE | C.VIR_DOMAIN_XML_INACTIVE | C.VIR_DOMAIN_XML_UPDATE_CPU | C.VIR_DOMAIN_XML_MIGRATABLE, 'qemuDomainGetXMLDesc');
      const obj = st.get(ref);
      const inactive = (flags & C.VIR_DOMAIN_XML_INACTIVE) !== 0;
      const def = inactive && obj.persistentDef ? obj.persistentDef : obj.def;
      const out = structuredClone(def);
      if (obj.active && !inactive) {
        out.id = obj.id;
        out.currentMemory = obj.balloonKiB;
      } else delete out.id;
      return formatDomainXML(out, { inactive: inactive || !obj.active, secure: (flags & C.VIR_DOMAIN_XML_SECURE) !== 0 });
    },
    async domainGetMaxMemory(ref) {
      return st.get(ref).def.memory;
    },
    async domainSetMemoryFlags(ref, memoryKiB, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_AFFECT_LIVE | C.VIR_DOMAIN_AFFECT_CONFIG | C.VIR_DOMAIN_MEM_MAXIMUM, 'qemuDomainSetMemoryFlags');
      const obj = st.get(ref);
      await obj.job.run('modify', async () => {
        const { live, config } = affect(obj, flags);
        if (flags & C.VIR_DOMAIN_MEM_MAXIMUM) {
          if (live) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot resize the maximum memory on an active domain');
          const def = obj.persistentDef!;
          def.memory = memoryKiB;
          if ((def.currentMemory ?? 0) > memoryKiB) def.currentMemory = memoryKiB;
          await st.saveConfig(obj);
          return;
        }
        if (live) {
          if (memoryKiB > obj.liveDef!.memory) throw virtError(C.VIR_ERR_INVALID_ARG, 'cannot set memory higher than max memory');
          if (!obj.liveDef!.devices.memballoon || obj.liveDef!.devices.memballoon.model === 'none') {
            throw virtError(C.VIR_ERR_OPERATION_INVALID, 'Unable to change memory of active domain without the balloon device and guest OS balloon driver');
          }
          await obj.mon().execute('balloon', { value: memoryKiB * 1024 });
          obj.liveDef!.currentMemory = memoryKiB;
          await st.saveStatus(obj);
        }
        if (config) {
          const def = obj.persistentDef!;
          if (memoryKiB > def.memory) throw virtError(C.VIR_ERR_INVALID_ARG, 'cannot set memory higher than max memory');
          def.currentMemory = memoryKiB;
          await st.saveConfig(obj);
        }
      });
    },
    async domainSetVcpusFlags(ref, nvcpus, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_AFFECT_LIVE | C.VIR_DOMAIN_AFFECT_CONFIG | C.VIR_DOMAIN_VCPU_MAXIMUM | C.VIR_DOMAIN_VCPU_GUEST, 'qemuDomainSetVcpusFlags');
      const obj = st.get(ref);
      await obj.job.run('modify', async () => {
        const { live, config } = affect(obj, flags);
        if (live) throw virtError(C.VIR_ERR_OPERATION_UNSUPPORTED, 'changing vCPUs of a running domain');
        if (nvcpus < 1) throw virtError(C.VIR_ERR_INVALID_ARG, 'argument unsupported: requested vcpus is greater than max allowable vcpus for the live domain');
        if (config) {
          const def = obj.persistentDef!;
          const vcpu = def.vcpu ?? { count: 1 };
          if (flags & C.VIR_DOMAIN_VCPU_MAXIMUM) {
            vcpu.count = nvcpus;
            if ((vcpu.current ?? 0) > nvcpus) vcpu.current = nvcpus;
          } else {
            if (nvcpus > vcpu.count) throw virtError(C.VIR_ERR_INVALID_ARG, `requested vcpus is greater than max allowable vcpus for the persistent domain: ${nvcpus} > ${vcpu.count}`);
            if (nvcpus === vcpu.count) delete vcpu.current;
            else vcpu.current = nvcpus;
          }
          def.vcpu = vcpu;
          await st.saveConfig(obj);
        }
      });
    },
    async domainGetVcpusFlags(ref, flags) {
      const obj = st.get(ref);
      const { live } = affect(obj, flags & ~(C.VIR_DOMAIN_VCPU_MAXIMUM | C.VIR_DOMAIN_VCPU_GUEST));
      const def = live ? obj.liveDef! : obj.persistentDef!;
      if (flags & C.VIR_DOMAIN_VCPU_MAXIMUM) return def.vcpu?.count ?? 1;
      return def.vcpu?.current ?? def.vcpu?.count ?? 1;
    },
    async domainGetMaxVcpus(ref) {
      const obj = st.get(ref);
      return obj.def.vcpu?.count ?? 1;
    },
    async domainGetVcpus(ref) {
      const obj = st.getActive(ref);
      const cpus = (await obj.mon().execute('query-cpus-fast')) as { 'cpu-index': number; 'thread-id': number }[];
      return Promise.all(cpus.map(async (c) => {
        const ps = await readFile(`/proc/${obj.pid}/task/${c['thread-id']}/stat`, 'utf8').then(parseStat, () => undefined);
        return { number: c['cpu-index'], state: C.VIR_VCPU_RUNNING, cpuTime: ps?.cpuTimeNs ?? 0, cpu: ps?.processor ?? -1 };
      }));
    },
    async domainBlockStats(ref, disk) {
      const obj = st.getActive(ref);
      const d = obj.liveDef!.devices.disks.find((x) => x.target.dev === disk || x.alias === disk || x.source?.file === disk);
      if (!d) throw virtError(C.VIR_ERR_INVALID_ARG, `invalid path: ${disk}`);
      const all = (await obj.mon().execute('query-blockstats', { 'query-nodes': false })) as { qdev?: string; stats: Record<string, number> }[];
      const s = all.find((b) => b.qdev === d.alias || b.qdev?.endsWith(`/${d.alias}/virtio-backend`))?.stats;
      if (!s) throw virtError(C.VIR_ERR_INTERNAL_ERROR, `cannot find statistics for device '${d.alias}'`);
      return { rdReq: s.rd_operations ?? -1, rdBytes: s.rd_bytes ?? -1, wrReq: s.wr_operations ?? -1, wrBytes: s.wr_bytes ?? -1, errs: -1 };
    },
    async domainInterfaceStats(ref, device) {
      const obj = st.getActive(ref);
      const i = obj.liveDef!.devices.interfaces.find((x) => x.alias === device || x.target?.dev === device || x.mac === device);
      if (!i) throw virtError(C.VIR_ERR_INVALID_ARG, `invalid path, '${device}' is not a known interface`);
      const ifname = i.target?.dev;
      if (!ifname || i.type === 'user') {
        throw virtError(C.VIR_ERR_OPERATION_UNSUPPORTED, `interface stats are not available for interface type '${i.type}'`);
      }
      const text = await readFile('/proc/net/dev', 'utf8');
      const line = text.split('\n').find((l) => l.trim().startsWith(`${ifname}:`));
      if (!line) throw virtError(C.VIR_ERR_INTERNAL_ERROR, `Interface not found: ${ifname}`);
      const n = line.split(':')[1]!.trim().split(/\s+/).map(Number);
      // A tap's rx is the guest's tx: swap, as libvirt does.
      return { rxBytes: n[8]!, rxPackets: n[9]!, rxErrs: n[10]!, rxDrop: n[11]!, txBytes: n[0]!, txPackets: n[1]!, txErrs: n[2]!, txDrop: n[3]! };
    },
    async domainMemoryStats(ref, nrStats, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainMemoryStats');
      const obj = st.getActive(ref);
      const out = [{ tag: C.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, val: obj.balloonKiB }];
      const status = await readFile(`/proc/${obj.pid}/status`, 'utf8').catch(() => '');
      const rss = /VmRSS:\s+(\d+)/.exec(status);
      if (rss) out.push({ tag: C.VIR_DOMAIN_MEMORY_STAT_RSS, val: Number(rss[1]) });
      return out.slice(0, nrStats);
    },
    async domainQemuMonitorCommand(ref, cmd, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP, 'qemuDomainQemuMonitorCommand');
      const obj = st.getActive(ref);
      return obj.job.run('query', async () => {
        if (flags & C.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) {
          return obj.mon().execute<string>('human-monitor-command', { 'command-line': cmd });
        }
        let parsed: { execute?: string; arguments?: Record<string, unknown> };
        try {
          parsed = JSON.parse(cmd) as typeof parsed;
        } catch {
          throw virtError(C.VIR_ERR_INVALID_ARG, `cannot parse json ${cmd}`);
        }
        if (typeof parsed.execute !== 'string') throw virtError(C.VIR_ERR_INVALID_ARG, `cannot parse json ${cmd}`);
        const ret = await obj.mon().execute(parsed.execute, parsed.arguments);
        return JSON.stringify({ return: ret, id: `libvirt-${Date.now()}` });
      });
    },
    async domainScreenshot(ref, screen, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainScreenshot');
      const obj = st.getActive(ref);
      if (screen !== 0) throw virtError(C.VIR_ERR_INVALID_ARG, `Screen ID ${screen} is not supported`);
      if (!obj.liveDef!.devices.videos.some((v) => (v.model?.type ?? 'vga') !== 'none')) {
        throw virtError(C.VIR_ERR_OPERATION_INVALID, 'Domain has no screens');
      }
      return obj.job.run('query', async () => {
        const file = `${st.store.paths.stateDir}/screendump-${obj.uuid}-${process.pid}.ppm`;
        try {
          await obj.mon().execute('screendump', { filename: file });
          return { mimeType: 'image/x-portable-pixmap', data: await readFile(file) };
        } finally {
          await rm(file, { force: true });
        }
      });
    },
  };
}
