/**
 * QMP events -> domain state and libvirt events, as libvirt's qemu_process.c handlers do:
 * SHUTDOWN (guest/host detail; then on_poweroff, or reset+cont during a reboot), STOP, RESUME,
 * RESET (reboot event), GUEST_PANICKED (crashed; then on_crash), BALLOON_CHANGE,
 * DEVICE_DELETED; and the end of the monitor connection: QEMU gone without SHUTDOWN is a
 * crash (shut off (crashed), STOPPED/FAILED).
 */
import type { QmpEvent } from '@virtkit/qmp-client';
import type { QemuDomainObj } from './domain-obj.js';
import type { QemuDriverState } from './driver-state.js';
import { cleanupStopped, killProcess } from './process-control.js';
import * as C from './constants.js';

/** Turns a SHUTDOWN into a reset and continue (libvirt's qemuProcessFakeReboot). */
async function fakeReboot(st: QemuDriverState, obj: QemuDomainObj): Promise<void> {
  const mon = obj.monitor;
  if (!mon) return;
  try {
    await mon.execute('system_reset');
    obj.gotShutdown = false;
    obj.fakeReboot = false;
    const wasPaused = obj.state !== C.VIR_DOMAIN_RUNNING;
    obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_BOOTED);
    await mon.execute('cont');
    if (wasPaused) st.emit(obj, C.VIR_DOMAIN_EVENT_RESUMED, C.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    await st.saveStatus(obj);
  } catch {
    // QEMU went away meanwhile: the close handler reports it.
  }
}

/** Applies an on_poweroff / on_crash action. */
function lifecycleAction(st: QemuDriverState, obj: QemuDomainObj, action: string, stop: { reason: number; detail: number }): void {
  if (action === 'restart' || action === 'restart-rename') {
    void fakeReboot(st, obj);
  } else if (action === 'preserve' || action === 'coredump-restart') {
    void st.saveStatus(obj);
  } else {
    obj.pendingStop = stop;
    void killProcess(obj);
  }
}

/** Handles one QMP event of a domain. */
export function handleMonitorEvent(st: QemuDriverState, obj: QemuDomainObj, e: QmpEvent): void {
  if (!obj.active) return;
  const data = e.data as Record<string, unknown>;
  switch (e.event) {
    case 'SHUTDOWN': {
      obj.gotShutdown = true;
      if (obj.beingDestroyed) return;
      const guest = data.guest === true;
      st.emit(obj, C.VIR_DOMAIN_EVENT_SHUTDOWN, guest ? C.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : C.VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
      if (data.reason === 'host-signal' || data.reason === 'host-qmp-quit') return;
      obj.setState(C.VIR_DOMAIN_SHUTDOWN, C.VIR_DOMAIN_SHUTDOWN_UNKNOWN);
      if (obj.fakeReboot) {
        void fakeReboot(st, obj);
        return;
      }
      lifecycleAction(st, obj, obj.def.onPoweroff ?? 'destroy', { reason: C.VIR_DOMAIN_SHUTOFF_SHUTDOWN, detail: C.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN });
      return;
    }
    case 'WATCHDOG':
      // action pause: the STOP that follows is a watchdog pause (libvirt: paused (watchdog)).
      if (data.action === 'pause') obj.pendingPauseReason = C.VIR_DOMAIN_PAUSED_WATCHDOG;
      return;
    case 'STOP': {
      if (obj.state !== C.VIR_DOMAIN_RUNNING || obj.gotShutdown) return;
      const reason = obj.pendingPauseReason ?? C.VIR_DOMAIN_PAUSED_UNKNOWN;
      if (reason === C.VIR_DOMAIN_PAUSED_WATCHDOG) obj.pendingPauseReason = undefined;
      obj.setState(C.VIR_DOMAIN_PAUSED, reason);
      st.emit(obj, C.VIR_DOMAIN_EVENT_SUSPENDED, reason === C.VIR_DOMAIN_PAUSED_WATCHDOG ? C.VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG : C.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
      void st.saveStatus(obj);
      return;
    }
    case 'RESUME': {
      if (obj.state !== C.VIR_DOMAIN_PAUSED || obj.reason === C.VIR_DOMAIN_PAUSED_STARTING_UP) return;
      obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_UNPAUSED);
      st.emit(obj, C.VIR_DOMAIN_EVENT_RESUMED, C.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
      void st.saveStatus(obj);
      return;
    }
    case 'RESET':
      if (!st.closed) st.events.domainReboot(obj.ref());
      return;
    case 'GUEST_PANICKED': {
      obj.setState(C.VIR_DOMAIN_CRASHED, C.VIR_DOMAIN_CRASHED_PANICKED);
      st.emit(obj, C.VIR_DOMAIN_EVENT_CRASHED, C.VIR_DOMAIN_EVENT_CRASHED_PANICKED);
      lifecycleAction(st, obj, obj.def.onCrash ?? 'destroy', { reason: C.VIR_DOMAIN_SHUTOFF_CRASHED, detail: C.VIR_DOMAIN_EVENT_STOPPED_CRASHED });
      return;
    }
    case 'BALLOON_CHANGE': {
      const actual = Number(data.actual);
      if (Number.isFinite(actual)) {
        obj.balloonKiB = Math.floor(actual / 1024);
        if (!st.closed) st.events.domainBalloonChange(obj.ref(), obj.balloonKiB);
      }
      return;
    }
    case 'DEVICE_DELETED': {
      const alias = typeof data.device === 'string' ? data.device : undefined;
      if (alias && obj.liveDef) {
        removeLiveDevice(obj, alias);
        void st.saveStatus(obj);
        if (!st.closed) st.events.domainDeviceRemoved(obj.ref(), alias);
      }
      return;
    }
    default:
      return;
  }
}

/** Drops the device with `alias` from the live definition. */
export function removeLiveDevice(obj: QemuDomainObj, alias: string): void {
  const d = obj.liveDef!.devices;
  d.disks = d.disks.filter((x) => x.alias !== alias);
  d.interfaces = d.interfaces.filter((x) => x.alias !== alias);
}

/** The monitor connection ended without us closing it: QEMU exited or was killed. */
export function handleMonitorClose(st: QemuDriverState, obj: QemuDomainObj, shutdownSeen: boolean): void {
  if (!obj.active || obj.beingDestroyed) return;
  const gotShutdown = obj.gotShutdown || shutdownSeen;
  const stop = obj.pendingStop ?? (gotShutdown
    ? { reason: C.VIR_DOMAIN_SHUTOFF_SHUTDOWN, detail: C.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN }
    : { reason: C.VIR_DOMAIN_SHUTOFF_CRASHED, detail: C.VIR_DOMAIN_EVENT_STOPPED_FAILED });
  obj.beingDestroyed = true;
  // Report first (the event must reach clients fast), then reap and clean up.
  obj.monitor = undefined;
  obj.setState(C.VIR_DOMAIN_SHUTOFF, stop.reason);
  void (async () => {
    await killProcess(obj, 1000);
    await cleanupStopped(st, obj, stop.reason, () => {
      obj.beingDestroyed = false;
      st.emit(obj, C.VIR_DOMAIN_EVENT_STOPPED, stop.detail);
    });
  })();
}
