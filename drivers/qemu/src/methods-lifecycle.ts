/**
 * Lifecycle methods: create (paused flag), createXML, suspend/resume, shutdown, reboot,
 * reset, destroy. Each runs as a job on the domain, except destroy, which may interrupt a
 * stuck job (it kills QEMU, which fails the job's pending monitor command).
 */
import { checkQemuFlags } from './flags.js';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { virtError, type HypervisorDriver } from '@virtkit/core';
import { parseDomainXML } from '@virtkit/xml';
import type { QemuDriverState } from './driver-state.js';
import type { QemuDomainObj } from './domain-obj.js';
import { QemuDomainObj as Obj } from './domain-obj.js';
import { postParse } from './methods-define.js';
import { startProcess, stopProcess, KILL_GRACE_MS } from './process-control.js';
import { restoreFromFile } from './save-restore.js';
import * as C from './constants.js';

function requireRunningState(obj: QemuDomainObj): void {
  if (!obj.active || obj.beingDestroyed) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is not running');
}

/** Starts a defined domain (restoring its managed save image when there is one). */
export async function createDomain(st: QemuDriverState, obj: QemuDomainObj, flags: number): Promise<void> {
  if (obj.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is already running');
  const save = st.store.managedSavePath(obj.name);
  if (existsSync(save)) {
    if (flags & C.VIR_DOMAIN_START_FORCE_BOOT) {
      await rm(save, { force: true });
    } else {
      await restoreFromFile(st, obj, save, undefined, (flags & C.VIR_DOMAIN_START_PAUSED) !== 0, true);
      return;
    }
  }
  await startProcess(st, obj, obj.persistentDef!, { paused: (flags & C.VIR_DOMAIN_START_PAUSED) !== 0 });
}

/** The lifecycle methods. */
export function lifecycleMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  const START_FLAGS = C.VIR_DOMAIN_START_PAUSED | C.VIR_DOMAIN_START_AUTODESTROY | C.VIR_DOMAIN_START_BYPASS_CACHE | C.VIR_DOMAIN_START_FORCE_BOOT | C.VIR_DOMAIN_START_VALIDATE;
  return {
    async domainCreate(ref, flags) {
      checkQemuFlags(flags, START_FLAGS, 'qemuDomainCreateWithFlags');
      const obj = st.get(ref);
      await obj.job.run('start', () => createDomain(st, obj, flags));
      obj.autodestroy = (flags & C.VIR_DOMAIN_START_AUTODESTROY) !== 0;
      return obj.ref();
    },
    async domainCreateXML(xml, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_START_PAUSED | C.VIR_DOMAIN_START_AUTODESTROY | C.VIR_DOMAIN_START_VALIDATE, 'qemuDomainCreateXML');
      const def = postParse(parseDomainXML(xml));
      const existing = st.byUuid(def.uuid!) ?? st.byName(def.name);
      if (existing && (existing.active || existing.uuid !== def.uuid || existing.name !== def.name)) {
        if (existing.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, `domain '${def.name}' is already active`);
        throw virtError(C.VIR_ERR_OPERATION_FAILED, `domain '${existing.name}' is already defined with uuid ${existing.uuid}`);
      }
      const obj = existing ?? new Obj(def.name, def.uuid!);
      if (!existing) st.add(obj);
      try {
        await obj.job.run('start', () => startProcess(st, obj, def, { paused: (flags & C.VIR_DOMAIN_START_PAUSED) !== 0 }));
        obj.autodestroy = (flags & C.VIR_DOMAIN_START_AUTODESTROY) !== 0;
      } catch (e) {
        if (!obj.active && !obj.persistent) st.remove(obj);
        throw e;
      }
      return obj.ref();
    },
    async domainSuspend(ref) {
      const obj = st.get(ref);
      await obj.job.run('suspend', async () => {
        requireRunningState(obj);
        if (obj.state === C.VIR_DOMAIN_PAUSED) return;
        if (obj.state !== C.VIR_DOMAIN_RUNNING) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is not running');
        obj.pendingPauseReason = C.VIR_DOMAIN_PAUSED_USER;
        try {
          await obj.mon().execute('stop');
        } finally {
          obj.pendingPauseReason = undefined;
        }
        if (obj.state === C.VIR_DOMAIN_RUNNING) {
          obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_USER);
          st.emit(obj, C.VIR_DOMAIN_EVENT_SUSPENDED, C.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
        }
        await st.saveStatus(obj);
      });
    },
    async domainResume(ref) {
      const obj = st.get(ref);
      await obj.job.run('resume', async () => {
        requireRunningState(obj);
        if (obj.state === C.VIR_DOMAIN_RUNNING) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is already running');
        if (obj.state !== C.VIR_DOMAIN_PAUSED && obj.state !== C.VIR_DOMAIN_CRASHED) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is not paused');
        await obj.mon().execute('cont');
        if (obj.state === C.VIR_DOMAIN_PAUSED || obj.state === C.VIR_DOMAIN_CRASHED) {
          obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_UNPAUSED);
          st.emit(obj, C.VIR_DOMAIN_EVENT_RESUMED, C.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
        }
        await st.saveStatus(obj);
      });
    },
    async domainShutdown(ref, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, 'qemuDomainShutdownFlags');
      const obj = st.get(ref);
      await obj.job.run('shutdown', async () => {
        requireRunningState(obj);
        obj.fakeReboot = false;
        await obj.mon().execute('system_powerdown');
        await st.saveStatus(obj);
      });
    },
    async domainReboot(ref, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_REBOOT_ACPI_POWER_BTN, 'qemuDomainReboot');
      const obj = st.get(ref);
      await obj.job.run('reboot', async () => {
        requireRunningState(obj);
        obj.fakeReboot = true;
        await st.saveStatus(obj);
        await obj.mon().execute('system_powerdown');
      });
    },
    async domainReset(ref, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainReset');
      const obj = st.get(ref);
      await obj.job.run('reset', async () => {
        requireRunningState(obj);
        await obj.mon().execute('system_reset');
        if (obj.state === C.VIR_DOMAIN_CRASHED) obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_CRASHED);
      });
    },
    async domainDestroy(ref, flags) {
      checkQemuFlags(flags, C.VIR_DOMAIN_DESTROY_GRACEFUL, 'qemuDomainDestroyFlags');
      const obj = st.get(ref);
      requireRunningState(obj);
      if (obj.beingDestroyed) {
        await obj.stopped;
        return;
      }
      const grace = flags & C.VIR_DOMAIN_DESTROY_GRACEFUL ? 10_000 : KILL_GRACE_MS;
      await stopProcess(st, obj, C.VIR_DOMAIN_SHUTOFF_DESTROYED, C.VIR_DOMAIN_EVENT_STOPPED_DESTROYED, grace);
    },
  };
}
