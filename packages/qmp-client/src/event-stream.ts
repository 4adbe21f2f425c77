/**
 * `events()`: an async iterator over a connection's events. It subscribes when created (not
 * on the first `next()`), so events that arrive between creating it and iterating are queued,
 * never lost. It ends when the connection closes, the signal aborts or the loop breaks.
 */
import type { EventEmitter } from 'node:events';
import type { QmpEvent } from './events.js';

/** Creates the iterator over `emitter`'s `event` events, ending on its `close` event. */
export function createEventStream<E extends QmpEvent>(
  emitter: EventEmitter,
  closed: boolean,
  names: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<E> {
  const wanted = names ? new Set(names) : undefined;
  const queue: E[] = [];
  // More than one next() may be outstanding when the caller does not await each in turn.
  const waiters: Array<(r: IteratorResult<E>) => void> = [];
  let done = closed || signal?.aborted === true;

  const onEvent = (e: E): void => {
    if (wanted && !wanted.has(e.event)) return;
    const w = waiters.shift();
    if (w) w({ value: e, done: false });
    else queue.push(e);
  };
  const finish = (): void => {
    if (done && !subscribed) return;
    done = true;
    unsubscribe();
    for (const w of waiters.splice(0)) w({ value: undefined, done: true });
  };
  let subscribed = false;
  const unsubscribe = (): void => {
    if (!subscribed) return;
    subscribed = false;
    emitter.off('event', onEvent);
    emitter.off('close', finish);
    signal?.removeEventListener('abort', finish);
  };
  if (!done) {
    subscribed = true;
    emitter.on('event', onEvent);
    emitter.on('close', finish);
    signal?.addEventListener('abort', finish, { once: true });
  }

  const iterator: AsyncIterableIterator<E> = {
    next(): Promise<IteratorResult<E>> {
      // Queued events are delivered even after the end, so nothing received is dropped.
      const e = queue.shift();
      if (e !== undefined) return Promise.resolve({ value: e, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiters.push(resolve));
    },
    return(): Promise<IteratorResult<E>> {
      queue.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
