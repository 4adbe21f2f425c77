/**
 * Test harness: opens the QEMU driver directly on an embed root with a recording event sink.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectURI, DomainRef, DriverConnection, DriverEventSink, HypervisorDriver } from '@virtkit/core';
import { driver } from '../../src/index.js';

/** One recorded lifecycle event. */
export interface RecordedEvent {
  name: string;
  event: number;
  detail: number;
  at: number;
}

/** A recording sink. */
export class EventRecorder implements DriverEventSink {
  readonly lifecycle: RecordedEvent[] = [];
  readonly reboots: string[] = [];
  readonly removed: string[] = [];
  readonly balloon: number[] = [];
  #waiters: { pred: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }[] = [];

  domainLifecycle(dom: DomainRef, event: number, detail: number): void {
    const e = { name: dom.name, event, detail, at: performance.now() };
    this.lifecycle.push(e);
    this.#waiters = this.#waiters.filter((w) => {
      if (w.pred(e)) {
        w.resolve(e);
        return false;
      }
      return true;
    });
  }
  domainReboot(dom: DomainRef): void {
    this.reboots.push(dom.name);
  }
  domainBalloonChange(_dom: DomainRef, actualKiB: number): void {
    this.balloon.push(actualKiB);
  }
  domainDeviceRemoved(_dom: DomainRef, alias: string): void {
    this.removed.push(alias);
  }
  networkLifecycle(): void {}
  storagePoolLifecycle(): void {}
  storagePoolRefresh(): void {}

  /** Resolves with the first event (already seen or future) matching. */
  wait(pred: (e: RecordedEvent) => boolean, timeoutMs = 20_000): Promise<RecordedEvent> {
    const seen = this.lifecycle.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for event')), timeoutMs);
      this.#waiters.push({ pred, resolve: (e) => { clearTimeout(t); resolve(e); } });
    });
  }
}

/** A parsed embed URI. */
export function embedURI(root: string): ConnectURI {
  return { raw: `qemu:///embed?root=${root}`, scheme: 'qemu', path: '/embed', query: { root } };
}

/** An open driver connection on a temp root. */
export interface OpenRoot {
  root: string;
  conn: DriverConnection;
  hv: HypervisorDriver;
  events: EventRecorder;
}

/** Makes a unique temp root. */
export function tempRoot(tag: string): string {
  return mkdtempSync(join(tmpdir(), `vk-qemu-${tag}-`));
}

/** Opens the driver on `root`. */
export async function openRoot(root: string): Promise<OpenRoot> {
  const events = new EventRecorder();
  const conn = await driver.open({ uri: embedURI(root), readOnly: false, events });
  return { root, conn, hv: conn.hypervisor!, events };
}

/** Destroys every running domain, closes, and removes the root. */
export async function teardownRoot(r: OpenRoot | undefined, removeRoot = true): Promise<void> {
  if (!r) return;
  try {
    for (const ref of await r.hv.connectListAllDomains!(1)) {
      await r.hv.domainDestroy!(ref, 0).catch(() => undefined);
    }
  } finally {
    await r.conn.close();
    if (removeRoot) rmSync(r.root, { recursive: true, force: true });
  }
}

/** A firmware-only guest (SeaBIOS, no disks): starts in well under a second under KVM. */
export function firmwareXML(name: string, opts: { type?: 'kvm' | 'qemu'; memMiB?: number; extra?: string } = {}): string {
  return `<domain type='${opts.type ?? 'kvm'}'>
  <name>${name}</name>
  <memory unit='MiB'>${opts.memMiB ?? 64}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>${opts.extra ?? ''}</devices>
</domain>`;
}
