/**
 * The `event` command: waits for domain events and prints them as virsh-domain-event.c does
 * (`event 'lifecycle' for domain 'x': Started Booted`), or as one JSON object per line.
 */
import type { ConnectionEventType } from '@virtkit/core';
import type { Domain } from '../api.js';
import { type Cmd, CmdError, type Ctl } from '../context.js';
import { lookupDomain } from '../lookup.js';
import type { CommandImpl } from './types.js';

/** virsh's event names, in virDomainEventID order. */
export const EVENT_NAMES = [
  'lifecycle', 'reboot', 'rtc-change', 'watchdog', 'io-error', 'graphics', 'io-error-reason', 'control-error',
  'block-job', 'disk-change', 'tray-change', 'pm-wakeup', 'pm-suspend', 'balloon-change', 'pm-suspend-disk',
  'device-removed', 'block-job-2', 'tunable', 'agent-lifecycle', 'device-added', 'migration-iteration',
  'job-completed', 'device-removal-failed', 'metadata-change', 'block-threshold', 'memory-failure',
  'memory-device-size-change',
];

const LIFECYCLE: readonly [string, readonly string[]][] = [
  ['Defined', ['Added', 'Updated', 'Renamed', 'Snapshot']],
  ['Undefined', ['Removed', 'Renamed']],
  ['Started', ['Booted', 'Migrated', 'Restored', 'Snapshot', 'Event wakeup']],
  ['Suspended', ['Paused', 'Migrated', 'I/O Error', 'Watchdog', 'Restored', 'Snapshot', 'API error', 'Post-copy', 'Post-copy Error']],
  ['Resumed', ['Unpaused', 'Migrated', 'Snapshot', 'Post-copy', 'Post-copy Error']],
  ['Stopped', ['Shutdown', 'Destroyed', 'Crashed', 'Migrated', 'Saved', 'Failed', 'Snapshot']],
  ['Shutdown', ['Finished', 'Finished after guest request', 'Finished after host request']],
  ['PMSuspended', ['Memory', 'Disk']],
  ['Crashed', ['Panicked', 'Crashloaded']],
];

/** virshDomainEventToString and virshDomainEventDetailToString. */
export function lifecycleText(event: number, detail: number): [string, string] {
  const e = LIFECYCLE[event];
  return [e?.[0] ?? 'unknown', e?.[1][detail] ?? 'unknown'];
}

/** `2024-01-02 03:04:05.678+0000`, virsh's --timestamp format (UTC). */
function timestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '+0000');
}

/** Core's event iterator, typed as far as vksh uses it. */
type EventRecord =
  | { type: 'domain-lifecycle'; domain: Domain; event: number; detail: number }
  | { type: 'domain-reboot'; domain: Domain }
  | { type: 'domain-balloon-change'; domain: Domain; actual: number }
  | { type: 'domain-device-removed'; domain: Domain; devAlias: string };


/** virsh event name -> core's event type. */
const CORE_TYPES: Record<string, EventRecord['type']> = {
  lifecycle: 'domain-lifecycle',
  reboot: 'domain-reboot',
  'balloon-change': 'domain-balloon-change',
  'device-removed': 'domain-device-removed',
};

async function event(ctl: Ctl, cmd: Cmd): Promise<void> {
  cmd.exclusive('all', 'event');
  cmd.exclusive('list', 'all');
  cmd.exclusive('list', 'event');
  if (cmd.bool('list')) {
    for (const n of EVENT_NAMES) ctl.print(`${n}\n`);
    return;
  }
  const which = cmd.str('event');
  const all = cmd.bool('all');
  if (!all && which === undefined) throw new CmdError('one of --list, --all, or --event <type> is required');
  if (which !== undefined && !EVENT_NAMES.includes(which)) throw new CmdError(`unknown event type ${which}`);
  const timeout = cmd.int('timeout');
  if (timeout !== undefined && timeout < 1) {
    throw new CmdError(`Numeric value '${cmd.str('timeout')}' for <timeout> option is malformed or out of range`);
  }
  const dom = cmd.str('domain') === undefined ? undefined : (await lookupDomain(ctl, cmd)).dom;
  const loop = cmd.bool('loop');
  const stamp = cmd.bool('timestamp');
  const json = ctl.wantsJSON(cmd);
  const types = all ? Object.values(CORE_TYPES) : [CORE_TYPES[which!]].filter((t) => t !== undefined);

  const ac = new AbortController();
  let timedOut = false;
  const timer = timeout === undefined ? undefined : setTimeout(() => ((timedOut = true), ac.abort()), timeout * 1000);
  // Ctrl-C ends the loop the way virsh's SIGINT handler does.
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    ac.abort();
  };
  process.once('SIGINT', onSigint);
  // Waiting on the iterator holds no handle of its own: keep the process alive until done.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let count = 0;
  try {
    const source = ctl.conn.events({ signal: ac.signal, types: types as ConnectionEventType[] });
    for await (const raw of source) {
      if (!('domain' in raw)) continue;
      const ev = raw as EventRecord;
      if (dom && ev.domain.getUUIDString() !== dom.getUUIDString()) continue;
      count++;
      const when = new Date();
      if (json) {
        const base = { timestamp: when.toISOString(), event: Object.keys(CORE_TYPES).find((k) => CORE_TYPES[k] === ev.type), domain: ev.domain.getName() };
        if (ev.type === 'domain-lifecycle') {
          const [type, detail] = lifecycleText(ev.event, ev.detail);
          ctl.printJSON({ ...base, type, detail, eventCode: ev.event, detailCode: ev.detail });
        } else if (ev.type === 'domain-balloon-change') ctl.printJSON({ ...base, actualKiB: ev.actual });
        else if (ev.type === 'domain-device-removed') ctl.printJSON({ ...base, device: ev.devAlias });
        else ctl.printJSON(base);
      } else {
        const prefix = stamp ? `${timestamp(when)}: ` : '';
        const name = ev.domain.getName();
        if (ev.type === 'domain-lifecycle') {
          const [type, detail] = lifecycleText(ev.event, ev.detail);
          ctl.print(`${prefix}event 'lifecycle' for domain '${name}': ${type} ${detail}\n`);
        } else if (ev.type === 'domain-reboot') {
          ctl.print(`${prefix}event 'reboot' for domain '${name}'\n`);
        } else if (ev.type === 'domain-balloon-change') {
          ctl.print(`${prefix}event 'balloon-change' for domain '${name}': ${ev.actual}KiB\n`);
        } else {
          ctl.print(`${prefix}event 'device-removed' for domain '${name}': ${ev.devAlias}\n`);
        }
      }
      if (!loop) break;
    }
  } finally {
    if (timer) clearTimeout(timer);
    clearInterval(keepAlive);
    process.removeListener('SIGINT', onSigint);
    ac.abort();
  }
  if (!json) {
    if (interrupted) ctl.print('event loop interrupted\n');
    else if (timedOut) ctl.print('event loop timed out\n');
    ctl.print(`events received: ${count}\n`);
  }
  // virsh fails the command, silently, when nothing arrived
  if (count === 0) throw new CmdError([]);
}

/** The event command. */
export const EVENT_COMMANDS: Record<string, CommandImpl> = {
  event: { run: event, json: true },
};
