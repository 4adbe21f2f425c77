/**
 * Starting and stopping QEMU for a domain (libvirt's qemuProcessStart / qemuProcessStop /
 * qemuProcessKill): build the command line, spawn, attach the monitor, start the vCPUs, write
 * the status file; and on the way down: kill, close, clean up, report.
 */
import { rmSync } from 'node:fs';
import { virtError } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { buildCommandLine } from './command-line/build.js';
import { canonicalMachine } from './capabilities.js';
import { launchQemu, readLogTail } from './process-launcher.js';
import { Monitor } from './monitor.js';
import { readProcStatSync, sameProcessAlive } from './proc-stat.js';
import { createTaps, deleteTaps } from './taps.js';
import { resolveVolumes } from './volume-resolver.js';
import { handleMonitorClose, handleMonitorEvent } from './monitor-events.js';
import type { QemuDomainObj } from './domain-obj.js';
import type { QemuDriverState } from './driver-state.js';
import * as C from './constants.js';

/** How a start is reported. */
export interface StartOptions {
  paused: boolean;
  /** `-incoming defer`: the caller migrates state in before `cont`. */
  incoming?: boolean;
  /** STARTED event detail (BOOTED, RESTORED, FROM_SNAPSHOT). */
  startedDetail?: number;
  /** Whether to emit the STARTED event here (restore emits it after loading). */
  emitStarted?: boolean;
}

/** The grace period between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 3000;

/** Starts QEMU for `obj` from `def` (the persistent definition unless given). */
export async function startProcess(st: QemuDriverState, obj: QemuDomainObj, def: DomainDef, opts: StartOptions): Promise<void> {
  if (obj.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is already running');
  const live = structuredClone(def);
  const binary = live.devices.emulator ?? undefined;
  const caps = await st.caps(binary);
  const machine = canonicalMachine(caps, live.os.machine);
  if (!machine) throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `Emulator '${caps.binary}' does not support machine type '${live.os.machine}'`);
  live.os.machine = machine;
  let accel: 'kvm' | 'tcg';
  if (live.type === 'kvm') {
    if (!st.kvmUsable() || !caps.kvm) {
      throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, 'Domain requires KVM, but it is not available. Check that virtualization is enabled in the host BIOS, and host configuration is setup to load the kvm modules.');
    }
    accel = 'kvm';
  } else if (live.type === 'qemu') accel = 'tcg';
  else throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `domain type '${live.type}' is not supported by the QEMU driver`);
  await resolveVolumes(live, st.uri);
  const cmd = buildCommandLine(live, { machine, accel, q35: /q35/.test(machine) });
  if (opts.incoming) cmd.args.push('-incoming', 'defer');

  await createTaps(cmd.taps);
  const id = st.allocId();
  const monPath = st.store.monitorPath(obj.uuid);
  const logPath = st.store.logPath(obj.name);
  let launched;
  try {
    launched = await launchQemu(caps.binary, cmd.args, monPath, logPath);
  } catch (e) {
    await deleteTaps(cmd.taps);
    throw virtError(C.VIR_ERR_INTERNAL_ERROR, `Failed to start QEMU binary ${caps.binary}: ${(e as Error).message}`);
  }
  obj.liveDef = live;
  obj.id = id;
  obj.pid = launched.pid;
  obj.child = launched.child;
  obj.taps = cmd.taps;
  obj.beingDestroyed = false;
  obj.gotShutdown = false;
  obj.fakeReboot = false;
  obj.pendingStop = undefined;
  obj.configChangedWhileRunning = false;
  obj.balloonKiB = live.currentMemory ?? live.memory;
  obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_STARTING_UP);
  obj.armStopped();
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    launched.child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  try {
    const monitor = await Promise.race([
      Monitor.open(monPath, { onEvent: (e) => handleMonitorEvent(st, obj, e), onClose: (s) => handleMonitorClose(st, obj, s) }),
      exited.then(() => {
        throw new Error('exited');
      }),
    ]);
    obj.monitor = monitor;
    obj.pidStart = readProcStatSync(launched.pid)?.startTime ?? 0;
    await fillGraphicsPorts(obj);
    if (!opts.incoming) {
      if (!opts.paused) {
        await monitor.execute('cont');
        obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_BOOTED);
      } else {
        obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_USER);
      }
    }
    await st.saveStatus(obj);
  } catch (e) {
    const tail = await waitLogTail(exited, logPath, launched.logOffset);
    await killProcess(obj, 0);
    await cleanupStopped(st, obj, C.VIR_DOMAIN_SHUTOFF_FAILED);
    if (tail) throw virtError(C.VIR_ERR_INTERNAL_ERROR, `qemu unexpectedly closed the monitor: ${tail}`);
    throw e;
  }
  if (opts.emitStarted !== false) {
    st.emit(obj, C.VIR_DOMAIN_EVENT_STARTED, opts.startedDetail ?? C.VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (opts.paused && !opts.incoming) st.emit(obj, C.VIR_DOMAIN_EVENT_SUSPENDED, C.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  }
}

/** Records the VNC port QEMU picked for an autoport display (live XML shows it, as libvirt's). */
async function fillGraphicsPorts(obj: QemuDomainObj): Promise<void> {
  const g = obj.liveDef!.devices.graphics.find((x) => x.type === 'vnc');
  if (!g) return;
  g.listen ??= '127.0.0.1';
  if (g.port !== undefined && g.port !== -1) return;
  const vnc = (await obj.mon().execute('query-vnc')) as { service?: string };
  if (vnc.service) {
    g.port = Number(vnc.service);
    g.autoport = true;
  }
}

async function waitLogTail(exited: Promise<unknown>, logPath: string, offset: number): Promise<string> {
  await Promise.race([exited, new Promise((r) => setTimeout(r, 500))]);
  return readLogTail(logPath, offset);
}

/** Whether the QEMU process of `obj` still runs. */
export function processAlive(obj: QemuDomainObj): boolean {
  if (obj.pid <= 0) return false;
  if (obj.child && obj.child.exitCode === null && obj.child.signalCode === null) {
    return readProcStatSync(obj.pid)?.state !== 'Z';
  }
  return obj.pidStart ? sameProcessAlive(obj.pid, obj.pidStart) : readProcStatSync(obj.pid) !== undefined && readProcStatSync(obj.pid)?.state !== 'Z';
}

/** SIGTERM (SIGKILL right away when graceMs is 0), then SIGKILL after `graceMs`; resolves when gone. */
export async function killProcess(obj: QemuDomainObj, graceMs = KILL_GRACE_MS): Promise<void> {
  if (!processAlive(obj)) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(obj.pid, sig);
    } catch {
      // gone
    }
  };
  signal(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let killed = graceMs === 0;
  for (let wait = 2; processAlive(obj); wait = Math.min(wait * 2, 50)) {
    if (!killed && Date.now() >= deadline) {
      signal('SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * Cleans up after QEMU has gone and reports the domain shut off with `reason`. The in-memory
 * state, the monitor socket and the (queued) status-file removal are done synchronously
 * first, then `onCleared` runs (the crash path emits its event there, without waiting for
 * disk I/O); a start issued from that event queues its status write after the removal.
 */
export async function cleanupStopped(st: QemuDriverState, obj: QemuDomainObj, reason: number, onCleared?: () => void): Promise<void> {
  const mon = obj.monitor;
  obj.monitor = undefined;
  const taps = obj.taps;
  obj.taps = [];
  rmSync(st.store.monitorPath(obj.uuid), { force: true });
  const statusGone = st.removeStatus(obj);
  obj.id = -1;
  obj.pid = 0;
  obj.pidStart = 0;
  obj.child = undefined;
  obj.liveDef = undefined;
  obj.fakeReboot = false;
  obj.pendingStop = undefined;
  obj.setState(C.VIR_DOMAIN_SHUTOFF, reason);
  if (!obj.persistent) st.remove(obj);
  obj.resolveStopped();
  onCleared?.();
  await mon?.close();
  await deleteTaps(taps);
  await statusGone;
  if (obj.persistent && !obj.active) await st.store.writeShutoffReason(obj.name, reason).catch(() => undefined);
}

/** Kills QEMU and stops the domain, emitting STOPPED with `detail` (destroy and friends). */
export async function stopProcess(st: QemuDriverState, obj: QemuDomainObj, reason: number, detail: number, graceMs = KILL_GRACE_MS): Promise<void> {
  if (!obj.active) return;
  obj.beingDestroyed = true;
  try {
    await killProcess(obj, graceMs);
  } finally {
    await cleanupStopped(st, obj, reason);
    obj.beingDestroyed = false;
  }
  st.emit(obj, C.VIR_DOMAIN_EVENT_STOPPED, detail);
}
