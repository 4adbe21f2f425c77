/**
 * The option parser: virsh's command-line grammar, token for token.
 *
 * A command string (one shell argument, or a line typed at the prompt) is split like virsh's
 * vshCommandStringGetArg: blanks separate tokens, `;` and newlines separate commands, `'...'`
 * quotes literally, `"..."` quotes with `\` escapes, `#` at the start of a token comments out
 * the rest of the line. Several shell arguments are taken as one command's argv, verbatim.
 *
 * Options then bind as in vshCommandParse: `--opt value`, `--opt=value`, bare data filling the
 * positional options in declaration order, `--` ending options. Option names must match
 * exactly (virsh 9.0 has no prefix abbreviation: `--dom` is an unknown option there too).
 * The whole input is parsed before anything runs, so a syntax error anywhere runs nothing.
 */
import { COMMAND_DEFS, type CommandDef, type OptDef } from './command-defs.js';

/** A parse failure: virsh's messages, each printed as `error: <message>`. */
export class ParseError extends Error {
  /** One entry per `error:` line (virsh reports every missing required option). */
  readonly lines: readonly string[];

  constructor(lines: string | readonly string[]) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.join('\n'));
    this.name = 'ParseError';
    this.lines = all;
  }
}

/** A value bound to an option: a flag, a string, or all data of an argv option. */
export type OptValue = true | string | string[];

/** One parsed command ready to run. */
export interface ParsedCommand {
  readonly def: CommandDef;
  /** Option name -> value, only for options given. */
  readonly opts: ReadonlyMap<string, OptValue>;
}

/** Extra options vksh adds to virsh's commands (e.g. `--json`), by command name. */
export type ExtraOpts = ReadonlyMap<string, readonly OptDef[]>;

const byName = new Map<string, CommandDef>(COMMAND_DEFS.map((d) => [d.name, d]));

/** Looks up a command definition by exact name. */
export function findCommand(name: string): CommandDef | undefined {
  return byName.get(name);
}

/** A token of a command string: an argument, or the end of one command (`;`, newline). */
type Token = { kind: 'arg'; value: string } | { kind: 'sep' };

/**
 * Splits a command string into arguments and command separators, with virsh's quoting
 * rules. Throws ParseError for `missing "` and `dangling \`.
 */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    if (line[i] === ';' || line[i] === '\n') {
      tokens.push({ kind: 'sep' });
      i++;
      continue;
    }
    if (line[i] === '#') {
      // A comment runs to the end of the line, like a shell's.
      while (i < n && line[i] !== '\n') i++;
      continue;
    }
    let value = '';
    let single = false;
    let double = false;
    while (i < n) {
      const c = line[i];
      if (!single && !double && (c === ' ' || c === '\t' || c === ';' || c === '\n')) break;
      if (!double && c === "'") {
        single = !single;
        i++;
        continue;
      }
      if (!single && c === '\\') {
        i++;
        if (i >= n) throw new ParseError('dangling \\');
      } else if (!single && c === '"') {
        double = !double;
        i++;
        continue;
      }
      value += line[i];
      i++;
    }
    if (double) throw new ParseError('missing "');
    tokens.push({ kind: 'arg', value });
  }
  return tokens;
}

/** Binds one command's arguments to its options. `args[0]` is the command name. */
function bindCommand(args: readonly string[], extra: ExtraOpts): ParsedCommand {
  const name = args[0];
  let def = byName.get(name);
  if (!def) throw new ParseError(`unknown command: '${name}'`);
  const optDefs = [...def.opts, ...(extra.get(name) ?? [])];
  const isHelp = name === 'help';
  const opts = new Map<string, OptValue>();
  const seen = new Set<string>();
  let helpRequested = false;
  let dataOnly = false;

  const nextPositional = (): OptDef | undefined =>
    optDefs.find((o) => o.positional && (o.kind === 'argv' || !seen.has(o.name)));
  const store = (opt: OptDef, value: string | true): void => {
    if (opt.kind === 'argv') {
      const list = (opts.get(opt.name) as string[] | undefined) ?? [];
      list.push(value as string);
      opts.set(opt.name, list);
    } else {
      opts.set(opt.name, value);
    }
  };

  for (let i = 1; i < args.length; i++) {
    const tok = args[i];
    if (!dataOnly && tok.startsWith('--') && /^[A-Za-z0-9]/.test(tok.slice(2))) {
      const eq = tok.indexOf('=');
      const optName = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
      const inline = eq < 0 ? undefined : tok.slice(eq + 1);
      if (optName === 'help') {
        helpRequested = true;
        continue;
      }
      const opt = optDefs.find((o) => o.name === optName);
      if (!opt) {
        if (isHelp) continue;
        throw new ParseError(`command '${name}' doesn't support option --${optName}`);
      }
      if (seen.has(opt.name) && opt.kind !== 'argv') throw new ParseError(`option --${optName} already seen`);
      seen.add(opt.name);
      if (opt.kind === 'bool') {
        if (inline !== undefined) throw new ParseError(`invalid '=' after option --${opt.name}`);
        store(opt, true);
        continue;
      }
      let value = inline;
      if (value === undefined) {
        if (i + 1 >= args.length) {
          throw new ParseError(`expected syntax: --${opt.name} <${opt.kind === 'number' ? 'number' : 'string'}>`);
        }
        value = args[++i];
      }
      store(opt, value);
      continue;
    }
    if (!dataOnly && tok === '--') {
      dataOnly = true;
      continue;
    }
    const opt = nextPositional();
    if (!opt) {
      if (isHelp) continue;
      throw new ParseError(`unexpected data '${tok}'`);
    }
    seen.add(opt.name);
    store(opt, tok);
  }

  if (helpRequested) {
    // virsh turns `CMD --help` into `help CMD`.
    def = byName.get('help')!;
    return { def, opts: new Map([['command', name]]) };
  }
  const missing = optDefs
    .filter((o) => o.required && !seen.has(o.name))
    .map((o) =>
      o.kind === 'string' || o.kind === 'argv'
        ? `command '${name}' requires <${o.name}> option`
        : `command '${name}' requires --${o.name} option`,
    );
  if (missing.length) throw new ParseError(missing);
  return { def, opts };
}

/** Parses a command string (`"define a.xml; start a"`) into commands; nothing runs on error. */
export function parseCommandString(line: string, extra: ExtraOpts = new Map()): ParsedCommand[] {
  const cmds: ParsedCommand[] = [];
  let current: string[] = [];
  for (const tok of [...tokenize(line), { kind: 'sep' } as Token]) {
    if (tok.kind === 'arg') {
      current.push(tok.value);
    } else if (current.length) {
      cmds.push(bindCommand(current, extra));
      current = [];
    }
  }
  return cmds;
}

/** Parses several shell arguments as one command's argv (no `;` splitting, as virsh). */
export function parseCommandArgv(argv: readonly string[], extra: ExtraOpts = new Map()): ParsedCommand[] {
  return argv.length ? [bindCommand(argv, extra)] : [];
}
