/**
 * Command shapes that virsh repeats across object families: "look the object up, call one
 * method, print one line", and "define or create an object from an XML file".
 */
import { attempt, type Cmd, type Ctl } from '../context.js';
import { readInput } from '../files.js';
import type { CommandImpl } from './types.js';

/** Finds a command's object from its options: the object and the name messages print. */
export type ObjectLookup<O> = (ctl: Ctl, cmd: Cmd) => Promise<{ obj: O; name: string }>;

/**
 * A command that looks the object up, calls one method and prints one line (`%s` is the name).
 * `prepare` reads options first, so their errors come without the "Failed to ..." line, as in virsh.
 */
export function simpleCommand<O, T>(
  lookup: ObjectLookup<O>,
  method: (obj: O, arg: T) => Promise<void>,
  done: string,
  failed: string,
  prepare: (cmd: Cmd) => T = () => undefined as T,
): CommandImpl {
  return {
    run: async (ctl, cmd) => {
      const { obj, name } = await lookup(ctl, cmd);
      const arg = prepare(cmd);
      await attempt(failed.replace('%s', name), () => method(obj, arg));
      ctl.extra(done.replace('%s', name) + '\n');
    },
  };
}

/**
 * `<noun>-define` / `<noun>-create FILE`: "Network x defined from f.xml", or "Failed to define
 * network from f.xml" then the error, as virsh prints them.
 */
export function fromFileCommand<O extends { getName(): string }>(
  noun: string,
  create: boolean,
  make: (ctl: Ctl, xml: string, create: boolean) => Promise<O>,
): CommandImpl {
  const title = noun[0]!.toUpperCase() + noun.slice(1);
  return {
    run: async (ctl, cmd) => {
      const file = cmd.req('file');
      const xml = await readInput(ctl, file);
      const verb = create ? 'create' : 'define';
      const obj = await attempt(`Failed to ${verb} ${noun} from ${file}`, () => make(ctl, xml, create));
      ctl.extra(`${title} ${obj.getName()} ${verb}d from ${file}\n`);
    },
  };
}
