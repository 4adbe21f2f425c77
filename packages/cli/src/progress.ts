/**
 * The progress bar of long jobs (vol-upload, vol-download, vol-clone, save, restore): drawn
 * on stderr, only when stderr is a terminal (or when virsh's --verbose asks for it), so
 * scripted output is never polluted.
 */
import type { Ctl } from './context.js';

/** A progress reporter: feed it the job's onProgress callbacks, then call done(). */
export interface Progress {
  update: (done: number, total: number) => void;
  done: () => void;
}

const WIDTH = 30;

/** Renders one frame: `Label: [=========>          ]  45 %`. */
export function renderProgress(label: string, done: number, total: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0;
  const fill = Math.round((pct * WIDTH) / 100);
  const bar = '='.repeat(Math.max(0, fill - 1)) + (fill > 0 ? (pct === 100 ? '=' : '>') : '') + ' '.repeat(WIDTH - fill);
  return `\r${label}: [${bar}] ${String(pct).padStart(3)} %`;
}

/** A progress bar on ctl's stderr, or undefined when it should not be drawn. */
export function progressFor(ctl: Ctl, label: string, verbose: boolean): Progress | undefined {
  if (!ctl.stderr.isTTY && !verbose) return undefined;
  let drawn = false;
  let last = '';
  return {
    update: (done, total) => {
      const frame = renderProgress(label, done, total);
      if (frame === last) return;
      last = frame;
      drawn = true;
      ctl.stderr.write(frame);
    },
    done: () => {
      if (drawn) ctl.stderr.write('\n');
    },
  };
}
