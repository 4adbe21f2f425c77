/**
 * Every command vksh implements, by name, and the options vksh adds to virsh's (`--json`).
 */
import type { OptDef } from './command-defs.js';
import { DOMAIN_INFO_COMMANDS } from './commands/domain-info.js';
import { DOMAIN_COMMANDS } from './commands/domain.js';
import { EVENT_COMMANDS } from './commands/event.js';
import { HOST_COMMANDS } from './commands/host.js';
import { NETWORK_COMMANDS } from './commands/network.js';
import { POOL_COMMANDS } from './commands/pool.js';
import { SNAPSHOT_COMMANDS } from './commands/snapshot.js';
import type { CommandImpl } from './commands/types.js';
import { VOLUME_COMMANDS } from './commands/volume.js';

/** Command name -> implementation. */
export const COMMANDS: ReadonlyMap<string, CommandImpl> = new Map(
  Object.entries({
    ...HOST_COMMANDS,
    ...DOMAIN_INFO_COMMANDS,
    ...DOMAIN_COMMANDS,
    ...EVENT_COMMANDS,
    ...NETWORK_COMMANDS,
    ...POOL_COMMANDS,
    ...VOLUME_COMMANDS,
    ...SNAPSHOT_COMMANDS,
  }),
);

const JSON_OPT: OptDef = { name: 'json', kind: 'bool', required: false, positional: false };

/** `--json` on every command that prints information. */
export const EXTRA_OPTS: ReadonlyMap<string, readonly OptDef[]> = new Map(
  [...COMMANDS].filter(([, impl]) => impl.json).map(([name]) => [name, [JSON_OPT]]),
);
