/**
 * @virtkit/driver-qemu: the QEMU/KVM driver. `qemu:///system`, `qemu:///session` and
 * `qemu:///embed?root=DIR`; QEMU processes controlled over QMP; guests outlive the process
 * that started them and are reconnected when a root is opened again.
 */
import { hostname, totalmem, cpus, freemem } from 'node:os';
import type { DriverConnection, DriverOpenContext, HypervisorDriver, VirtDriver } from '@virtkit/core';
import { checkQemuFlags } from './flags.js';
import { resolvePaths } from './paths.js';
import { RootLock } from './root-lock.js';
import { QemuDriverState } from './driver-state.js';
import { loadAndReconnect, loadReadOnly } from './reconnect.js';
import { defineMethods } from './methods-define.js';
import { lifecycleMethods } from './methods-lifecycle.js';
import { queryMethods } from './methods-query.js';
import { saveMethods } from './methods-save.js';
import { deviceMethods } from './methods-devices.js';
import { snapshotMethods } from './methods-snapshot.js';
import { canonicalMachine, formatCapabilities, formatDomainCapabilities } from './capabilities.js';
import { hostUuid } from './host-info.js';
import { stopProcess } from './process-control.js';
import { virtError } from '@virtkit/core';
import * as C from './constants.js';

function allMethods(st: QemuDriverState): HypervisorDriver {
  return {
    ...connectMethods(st),
    ...defineMethods(st),
    ...lifecycleMethods(st),
    ...queryMethods(st),
    ...saveMethods(st),
    ...deviceMethods(st),
    ...snapshotMethods(st),
  };
}

/**
 * A read-only connection: no root lock, no monitors; every call first re-reads definitions and
 * status files, so it sees what the read-write owner (another process, or this one) did.
 * Core refuses mutating calls on read-only connections before they get here.
 */
function openReadOnly(st: QemuDriverState): DriverConnection {
  const inner = allMethods(st) as Record<string, unknown>;
  const hypervisor: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(inner)) {
    if (typeof fn !== 'function') continue;
    hypervisor[name] = async (...args: unknown[]) => {
      loadReadOnly(st);
      return (fn as (...a: unknown[]) => unknown)(...args);
    };
  }
  return {
    hypervisor: hypervisor as HypervisorDriver,
    async close() {
      st.closed = true;
    },
  };
}

function connectMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  return {
    async connectGetType() {
      return 'QEMU';
    },
    async connectGetVersion() {
      return (await st.caps()).version;
    },
    async connectGetHostname() {
      return hostname();
    },
    async connectGetCapabilities() {
      return formatCapabilities(await st.caps(), hostUuid(), cpus().length, Math.floor(totalmem() / 1024));
    },
    async connectGetDomainCapabilities(emulatorbin, arch, machine, virttype, flags) {
      checkQemuFlags(flags, 0, 'qemuConnectGetDomainCapabilities');
      if (arch !== undefined && arch !== 'x86_64') throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `Emulator for architecture '${arch}' is not supported`);
      const caps = await st.caps(emulatorbin);
      const m = canonicalMachine(caps, machine);
      if (!m) throw virtError(C.VIR_ERR_INVALID_ARG, `the machine '${machine}' is not supported by emulator '${caps.binary}'`);
      const type = virttype ?? (caps.kvm ? 'kvm' : 'qemu');
      if (type !== 'kvm' && type !== 'qemu') throw virtError(C.VIR_ERR_INVALID_ARG, `unknown virttype: ${type}`);
      return formatDomainCapabilities(caps, m, type);
    },
    async connectGetMaxVcpus() {
      return 255;
    },
    async connectIsAlive() {
      return !st.closed;
    },
    async connectIsSecure() {
      return true;
    },
    async connectIsEncrypted() {
      return false;
    },
    async nodeGetInfo() {
      const c = cpus();
      return { model: 'x86_64', memory: Math.floor(totalmem() / 1024), cpus: c.length, mhz: c[0]?.speed ?? 0, nodes: 1, sockets: 1, cores: c.length, threads: 1 };
    },
    async nodeGetFreeMemory() {
      return freemem();
    },
  };
}

/** The QEMU driver. */
export const driver: VirtDriver = {
  name: 'QEMU',
  schemes: ['qemu'],
  async open(ctx: DriverOpenContext): Promise<DriverConnection> {
    const paths = resolvePaths(ctx.uri);
    const st = new QemuDriverState(paths, ctx.events, ctx.readOnly, ctx.uri.raw);
    if (ctx.readOnly) return openReadOnly(st);
    const lock = RootLock.acquire(paths.stateDir);
    try {
      await loadAndReconnect(st);
    } catch (e) {
      lock.release();
      throw e;
    }
    const hypervisor = allMethods(st);
    return {
      hypervisor,
      async close() {
        if (st.closed) return;
        // VIR_DOMAIN_START_AUTODESTROY guests die with the connection that started them.
        await Promise.all(st.all().filter((d) => d.active && d.autodestroy).map((d) =>
          stopProcess(st, d, C.VIR_DOMAIN_SHUTOFF_DESTROYED, C.VIR_DOMAIN_EVENT_STOPPED_DESTROYED).catch(() => undefined)));
        st.closed = true;
        // Guests keep running: only our monitor connections and the lock go.
        await Promise.all(st.all().map(async (d) => {
          const m = d.monitor;
          d.monitor = undefined;
          await m?.close();
        }));
        lock.release();
      },
    };
  },
};

export default driver;
