/**
 * Opening a root reconciles with reality (libvirt's qemuProcessReconnect): definitions are
 * loaded; every status file is checked — a live QEMU gets its monitor reconnected and its
 * state re-read with query-status; a dead one is reported shut off (crashed); one that powered
 * off while nobody watched gets its on_poweroff action. Then autostart domains start.
 */
import { parseDomainXML } from '@virtkit/xml';
import { rm } from 'node:fs/promises';
import type { QemuDriverState } from './driver-state.js';
import { QemuDomainObj } from './domain-obj.js';
import { Monitor } from './monitor.js';
import { handleMonitorClose, handleMonitorEvent } from './monitor-events.js';
import { sameProcessAlive } from './proc-stat.js';
import { cleanupStopped, killProcess } from './process-control.js';
import { createDomain } from './methods-lifecycle.js';
import type { DomainStatus } from './domain-store.js';
import * as C from './constants.js';

/** Adds every persistent definition on disk as a shut-off domain (an unreadable one is skipped, as libvirt does). */
function loadDefinitions(st: QemuDriverState): void {
  const autostart = st.store.loadAutostart();
  for (const [name, xml] of st.store.loadDefinitions()) {
    try {
      const def = parseDomainXML(xml);
      const obj = new QemuDomainObj(name, def.uuid!);
      obj.persistentDef = def;
      obj.autostart = autostart.has(name);
      obj.setState(C.VIR_DOMAIN_SHUTOFF, st.store.loadShutoffReason(name));
      st.add(obj);
    } catch {
      // an unreadable definition is skipped, as libvirt does
    }
  }
}

/** Loads definitions and reconnects running domains. */
export async function loadAndReconnect(st: QemuDriverState): Promise<void> {
  loadDefinitions(st);
  await Promise.all(st.store.loadStatuses().map((s) => reconnectOne(st, s)));
  for (const obj of st.all()) {
    if (obj.autostart && !obj.active) {
      await obj.job.run('start', () => createDomain(st, obj, 0)).catch(() => undefined);
    }
  }
}

/**
 * A read-only view: definitions and status files as they are on disk, without taking the root
 * lock or touching monitors (QEMU's monitor serves one client: the read-write owner's).
 */
export function loadReadOnly(st: QemuDriverState): void {
  st.clear();
  loadDefinitions(st);
  for (const s of st.store.loadStatuses()) {
    let obj = st.byUuid(s.uuid);
    if (!obj) {
      obj = new QemuDomainObj(s.name, s.uuid);
      st.add(obj);
    }
    if (!sameProcessAlive(s.pid, s.pidStart)) {
      obj.setState(C.VIR_DOMAIN_SHUTOFF, C.VIR_DOMAIN_SHUTOFF_CRASHED);
      if (!obj.persistent) st.remove(obj);
      continue;
    }
    obj.liveDef = parseDomainXML(s.xml);
    obj.id = s.id;
    obj.pid = s.pid;
    obj.pidStart = s.pidStart;
    obj.balloonKiB = obj.liveDef.currentMemory ?? obj.liveDef.memory;
    obj.setState(s.state, s.reason);
  }
}

async function reconnectOne(st: QemuDriverState, s: DomainStatus): Promise<void> {
  let obj = st.byUuid(s.uuid);
  if (!obj) {
    obj = new QemuDomainObj(s.name, s.uuid);
    st.add(obj);
  }
  obj.liveDef = parseDomainXML(s.xml);
  obj.id = s.id;
  obj.pid = s.pid;
  obj.pidStart = s.pidStart;
  obj.fakeReboot = s.fakeReboot ?? false;
  obj.taps = s.taps ?? [];
  obj.balloonKiB = obj.liveDef.currentMemory ?? obj.liveDef.memory;
  obj.setState(s.state, s.reason);
  obj.armStopped();
  st.noteId(s.id);
  const target = obj;
  if (!sameProcessAlive(s.pid, s.pidStart)) {
    await cleanupStopped(st, target, C.VIR_DOMAIN_SHUTOFF_CRASHED);
    return;
  }
  try {
    target.monitor = await Monitor.open(s.monitor, {
      onEvent: (e) => handleMonitorEvent(st, target, e),
      onClose: (seen) => handleMonitorClose(st, target, seen),
    }, 5000);
    const qs = (await target.monitor.execute('query-status')) as { status: string; running: boolean };
    const bal = (await target.monitor.execute('query-balloon').catch(() => undefined)) as { actual: number } | undefined;
    if (bal) target.balloonKiB = Math.floor(bal.actual / 1024);
    if (qs.status === 'shutdown') {
      // Powered off while nobody watched: apply on_poweroff.
      target.gotShutdown = true;
      const action = target.def.onPoweroff ?? 'destroy';
      if (action === 'destroy') {
        target.beingDestroyed = true;
        await killProcess(target);
        await cleanupStopped(st, target, C.VIR_DOMAIN_SHUTOFF_SHUTDOWN);
        target.beingDestroyed = false;
        return;
      }
      target.setState(C.VIR_DOMAIN_SHUTDOWN, C.VIR_DOMAIN_SHUTDOWN_UNKNOWN);
    } else if (qs.status === 'guest-panicked') {
      target.setState(C.VIR_DOMAIN_CRASHED, C.VIR_DOMAIN_CRASHED_PANICKED);
    } else if (qs.running) {
      if (target.state !== C.VIR_DOMAIN_RUNNING) target.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_UNPAUSED);
    } else if (target.state === C.VIR_DOMAIN_RUNNING) {
      target.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_UNKNOWN);
    }
    await st.saveStatus(target);
  } catch {
    // Alive but unreachable: kill it rather than leave an unmanageable guest.
    target.beingDestroyed = true;
    await killProcess(target, 500);
    await rm(s.monitor, { force: true });
    await cleanupStopped(st, target, C.VIR_DOMAIN_SHUTOFF_CRASHED);
    target.beingDestroyed = false;
  }
}
