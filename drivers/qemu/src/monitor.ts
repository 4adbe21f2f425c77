/**
 * The monitor: one QMP session per running domain. Wraps @virtkit/qmp-client, turns its
 * errors into VirtErrors with libvirt's wording, and forwards events and the end of the
 * connection (QEMU exited, or was killed) to the domain's handlers.
 */
import type { QmpClient, QmpError, QmpEvent } from '@virtkit/qmp-client';
import { virtError } from '@virtkit/core';
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_OPERATION_INVALID, VIR_ERR_OPERATION_TIMEOUT } from './constants.js';

/** Receives what the monitor sees. */
export interface MonitorHandlers {
  onEvent(event: QmpEvent): void;
  /** The connection ended; `shutdownSeen` when QEMU sent SHUTDOWN first. */
  onClose(shutdownSeen: boolean): void;
}

/** A domain's QMP session. */
export class Monitor {
  readonly #qmp: QmpClient;
  #closedByUs = false;

  private constructor(qmp: QmpClient, handlers: MonitorHandlers) {
    this.#qmp = qmp;
    qmp.on('event', (e: QmpEvent) => handlers.onEvent(e));
    qmp.on('close', (info: { shutdownSeen: boolean }) => {
      if (!this.#closedByUs) handlers.onClose(info.shutdownSeen);
    });
  }

  /** Connects to `path` (already listening: see process-launcher.ts) and negotiates. */
  static async open(path: string, handlers: MonitorHandlers, timeoutMs = 30_000): Promise<Monitor> {
    // Loaded on first use: a connection without running guests never pays for it.
    const { QmpClient: Client } = await import('@virtkit/qmp-client');
    const qmp = await Client.connect(path, { connectTimeout: timeoutMs });
    return new Monitor(qmp, handlers);
  }

  /** Runs a QMP command; failures become VirtErrors. */
  async execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 60_000): Promise<T> {
    try {
      return (await this.#qmp.execute(command, args, { timeout: timeoutMs })) as T;
    } catch (e) {
      throw toVirtError(command, e);
    }
  }

  /** Waits for an event (subscribe before triggering it). */
  waitForEvent(name: string, predicate: (e: QmpEvent) => boolean, timeoutMs: number): Promise<QmpEvent> {
    return this.#qmp.waitForEvent(name, { predicate, timeout: timeoutMs }) as Promise<QmpEvent>;
  }

  /** Closes the session without reporting it as QEMU's exit. */
  async close(): Promise<void> {
    this.#closedByUs = true;
    await this.#qmp.close(200).catch(() => undefined);
  }
}

/** libvirt's wording for monitor failures. */
export function toVirtError(command: string, e: unknown): Error {
  // By name: the client classes are loaded lazily (see open()).
  const name = (e as Error | undefined)?.name;
  if (name === 'QmpError') return virtError(VIR_ERR_INTERNAL_ERROR, `unable to execute QEMU command '${command}': ${(e as QmpError).desc}`);
  if (name === 'QmpTimeoutError') return virtError(VIR_ERR_OPERATION_TIMEOUT, `QEMU command '${command}' timed out`);
  if (name === 'QmpDisconnectedError') return virtError(VIR_ERR_OPERATION_INVALID, 'domain is not running');
  return e instanceof Error ? e : new Error(String(e));
}
