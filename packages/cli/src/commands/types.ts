/**
 * What a command group exports for each command it implements.
 */
import type { Handler } from '../context.js';

/** One command's implementation and traits. */
export interface CommandImpl {
  readonly run: Handler;
  /** Accepts vksh's `--json` (an addition to virsh's options). */
  readonly json?: boolean;
  /** Runs without a connection (virsh's VSH_CMD_FLAG_NOCONNECT). */
  readonly noConnect?: boolean;
}
