/**
 * Tap devices for `bridge` and `ethernet` interfaces, created with iproute2 (argument arrays,
 * never a shell) before QEMU starts and removed after it stops.
 */
import { virtError } from '@virtkit/core';
import type { TapPlan } from './command-line/build.js';
import { releaseTapName } from './command-line/net.js';
import { VIR_ERR_SYSTEM_ERROR } from './constants.js';

/** Creates the managed taps (and attaches them to their bridges). */
export async function createTaps(taps: readonly TapPlan[]): Promise<void> {
  for (const t of taps) {
    if (!t.managed) continue;
    try {
      await (await import('execa')).execa('ip', ['tuntap', 'add', 'dev', t.ifname, 'mode', 'tap']);
      if (t.bridge) await (await import('execa')).execa('ip', ['link', 'set', 'dev', t.ifname, 'master', t.bridge]);
      await (await import('execa')).execa('ip', ['link', 'set', 'dev', t.ifname, 'up']);
    } catch (e) {
      await deleteTaps(taps);
      const msg = (e as { stderr?: string }).stderr || (e as Error).message;
      throw virtError(VIR_ERR_SYSTEM_ERROR, `Unable to create tap device ${t.ifname}: ${msg.trim()}`);
    }
  }
}

/** Deletes the managed taps (errors ignored: they may be gone already). */
export async function deleteTaps(taps: readonly TapPlan[]): Promise<void> {
  for (const t of taps) {
    if (!t.managed) continue;
    await (await import('execa')).execa('ip', ['link', 'delete', t.ifname]).catch(() => undefined);
    releaseTapName(t.ifname);
  }
}
