/**
 * `waitForEvent()`: one promise for the next matching event. The listener is registered
 * synchronously, before the caller sends the command that causes the event, because QEMU may
 * send the event (e.g. STOP) before the command's reply.
 */
import type { EventEmitter } from 'node:events';
import { QmpDisconnectedError, QmpTimeoutError } from './errors.js';
import type { QmpEventOf } from './events.js';
import type { QmpCloseInfo, QmpWaitOptions } from './wire.js';

/** Resolves with the next `name` event on `emitter` that satisfies the predicate. */
export function waitForEvent<N extends string>(
  emitter: EventEmitter,
  closed: boolean,
  name: N,
  options: QmpWaitOptions<QmpEventOf<N>>,
): Promise<QmpEventOf<N>> {
  const { predicate, timeout, signal } = options;
  return new Promise((resolve, reject) => {
    if (closed) {
      reject(new QmpDisconnectedError(undefined, `closed while waiting for event ${name}`));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      emitter.off(name, onEvent);
      emitter.off('close', onClose);
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onEvent = (e: QmpEventOf<N>): void => {
      try {
        if (predicate && !predicate(e)) return;
      } catch (err) {
        cleanup();
        reject(err);
        return;
      }
      cleanup();
      resolve(e);
    };
    const onClose = (info: QmpCloseInfo): void => {
      cleanup();
      reject(new QmpDisconnectedError(undefined, `closed while waiting for event ${name}`, { cause: info.error }));
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason);
    };
    if (signal?.aborted) return reject(signal.reason);
    emitter.on(name, onEvent);
    emitter.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout !== undefined && timeout > 0) {
      timer = setTimeout(() => {
        cleanup();
        reject(new QmpTimeoutError(`waitForEvent ${name}`, timeout));
      }, timeout);
    }
  });
}
