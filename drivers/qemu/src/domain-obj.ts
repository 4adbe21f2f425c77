/**
 * A domain as the driver holds it in memory (libvirt's virDomainObj): its persistent and live
 * definitions, state and reason, the QEMU process and monitor, and the job lock.
 */
import type { DomainDef } from '@virtkit/xml';
import type { DomainRef } from '@virtkit/core';
import type { ChildProcess } from 'node:child_process';
import { JobLock } from './job-lock.js';
import type { Monitor } from './monitor.js';
import type { TapPlan } from './command-line/build.js';
import { virtError } from '@virtkit/core';
import { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, VIR_ERR_OPERATION_INVALID } from './constants.js';

/** One domain. */
export class QemuDomainObj {
  name: string;
  readonly uuid: string;
  /** The persistent (inactive) definition; undefined for a transient domain. */
  persistentDef: DomainDef | undefined;
  /** The live definition while running. */
  liveDef: DomainDef | undefined;
  id = -1;
  state = VIR_DOMAIN_SHUTOFF;
  reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
  autostart = false;
  pid = 0;
  pidStart = 0;
  child: ChildProcess | undefined;
  monitor: Monitor | undefined;
  taps: TapPlan[] = [];
  readonly job = new JobLock();
  /** Set by destroy/stop so that the monitor's end is not reported as a crash. */
  beingDestroyed = false;
  /** QEMU sent SHUTDOWN. */
  gotShutdown = false;
  /** A reboot in progress: the next SHUTDOWN becomes reset + cont. */
  fakeReboot = false;
  /** How the coming end of QEMU is reported (set before killing it on purpose). */
  pendingStop: { reason: number; detail: number } | undefined;
  /** The pause reason a job expects for the next STOP event (save, snapshot...). */
  pendingPauseReason: number | undefined;
  /** Started with VIR_DOMAIN_START_AUTODESTROY: destroyed when the connection closes. */
  autodestroy = false;
  /** The persistent config changed since the domain started (virDomainIsUpdated). */
  configChangedWhileRunning = false;
  /** Current balloon size in KiB. */
  balloonKiB = 0;
  /** Resolves when the running QEMU has gone (monitor closed and state shut off). */
  stopped: Promise<void> = Promise.resolve();
  resolveStopped: () => void = () => undefined;

  constructor(name: string, uuid: string) {
    this.name = name;
    this.uuid = uuid;
  }

  /** The definition in effect: live while running, else persistent. */
  get def(): DomainDef {
    return (this.liveDef ?? this.persistentDef)!;
  }

  /** Whether QEMU runs. */
  get active(): boolean {
    return this.id !== -1;
  }

  /** Whether the domain has a persistent definition. */
  get persistent(): boolean {
    return this.persistentDef !== undefined;
  }

  /** The monitor of a running domain, or libvirt's "domain is not running". */
  mon(): Monitor {
    if (!this.monitor || this.beingDestroyed || !this.active) {
      throw virtError(VIR_ERR_OPERATION_INVALID, 'domain is not running');
    }
    return this.monitor;
  }

  /** The SPI ref. */
  ref(): DomainRef {
    return { name: this.name, uuid: this.uuid, id: this.id };
  }

  /** Sets state and reason. */
  setState(state: number, reason: number): void {
    this.state = state;
    this.reason = reason;
  }

  /** Arms the `stopped` promise at start. */
  armStopped(): void {
    this.stopped = new Promise<void>((resolve) => {
      this.resolveStopped = resolve;
    });
  }
}
