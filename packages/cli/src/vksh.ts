/**
 * vksh's entry point as a function: `runVksh(argv, io)` parses virsh's global options, opens
 * the connection, and runs the command string, the argv command, or the interactive shell.
 * Tests call it in-process with their own streams; the bin calls it with the process's.
 */
import type { Readable } from 'node:stream';
import { Cmd, CmdError, Ctl, type OutStream } from './context.js';
import { ParseError, parseCommandArgv, parseCommandString, type ParsedCommand } from './parser.js';
import { COMMANDS, EXTRA_OPTS } from './registry.js';

/** The streams and environment of one vksh run. */
export interface VkshIO {
  stdout: OutStream;
  stderr: OutStream;
  /** Input of the interactive shell (defaults to process.stdin). */
  stdin?: Readable & { isTTY?: boolean };
  /** Environment for URI defaults (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Working directory for relative file names (defaults to process.cwd()). */
  cwd?: string;
  /**
   * Leave the connection open at the end (the process is about to exit anyway). Only for
   * drivers with nothing to release, as the bundled bin's test driver.
   */
  skipClose?: boolean;
}

const USAGE = `
vksh [options]... [<command_string>]
vksh [options]... <command> [args...]

  options:
    -c | --connect=URI      hypervisor connection URI
    -h | --help             this help
    -q | --quiet            quiet mode
    -r | --readonly         connect readonly
    -v                      short version
    -V                      long version
         --version[=TYPE]   version, TYPE is short or long (default short)
         --json             print information as JSON (one document per line)

  Commands are virsh's: 'vksh help' lists them, 'vksh help COMMAND' explains one.

`;

/** Global options of one invocation. */
interface GlobalOpts {
  uri?: string;
  readOnly: boolean;
  quiet: boolean;
  json: boolean;
  help: boolean;
  version?: 'short' | 'long';
  rest: string[];
}

/** Parses virsh's global options (getopt "+c:d:e:hk:K:l:qrtvV" and the long forms). */
function parseGlobal(argv: readonly string[]): GlobalOpts {
  const o: GlobalOpts = { readOnly: false, quiet: false, json: false, help: false, rest: [] };
  const withArg = new Set(['c', 'd', 'e', 'k', 'K', 'l']);
  const longs: Record<string, string> = {
    connect: 'c', debug: 'd', escape: 'e', help: 'h', 'keepalive-interval': 'k', 'keepalive-count': 'K',
    log: 'l', quiet: 'q', readonly: 'r', timing: 't', version: 'version', json: 'json',
  };
  const apply = (opt: string, value: string | undefined): void => {
    if (opt === 'c') o.uri = value;
    else if (opt === 'q') o.quiet = true;
    else if (opt === 'r') o.readOnly = true;
    else if (opt === 'h') o.help = true;
    else if (opt === 'v') o.version = 'short';
    else if (opt === 'V') o.version = 'long';
    else if (opt === 'json') o.json = true;
    else if (opt === 'version') o.version = value === 'long' ? 'long' : 'short';
    // -d, -e, -k, -K, -l, -t are accepted for compatibility and have no effect here
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const short = longs[name];
      if (!short) throw new CmdError(`unsupported option '${a}'. See --help.`);
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (withArg.has(short) && value === undefined) {
        if (i + 1 >= argv.length) throw new CmdError(`option '-${short}'/'--${name}' requires an argument`);
        value = argv[++i];
      }
      apply(short, value);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (!'cdehkKlqrtvV'.includes(c)) throw new CmdError(`unsupported option '-${c}'. See --help.`);
        if (withArg.has(c)) {
          let value = a.slice(j + 1);
          if (!value) {
            if (i + 1 >= argv.length) {
              const long = Object.keys(longs).find((k) => longs[k] === c);
              throw new CmdError(`option '-${c}'/'--${long}' requires an argument`);
            }
            value = argv[++i];
          }
          apply(c, value);
          break;
        }
        apply(c, undefined);
      }
      continue;
    }
    break;
  }
  o.rest = argv.slice(i);
  return o;
}

/** Outcome of running a batch of parsed commands. */
export interface BatchResult {
  /** Whether the last command succeeded (virsh's exit status rule). */
  ok: boolean;
  /** A quit/exit command ran. */
  quit: boolean;
}

/** Runs parsed commands in order, printing errors and virsh's blank line after each. */
export async function runCommands(ctl: Ctl, cmds: readonly ParsedCommand[]): Promise<BatchResult> {
  let ok = true;
  for (const parsed of cmds) {
    const name = parsed.def.name;
    const impl = COMMANDS.get(name);
    const cmd = new Cmd(parsed);
    try {
      if (!impl) throw new CmdError(`command '${name}' is known to virsh but not supported by vksh`);
      ctl.setMuted(ctl.json && !impl.json);
      await impl.run(ctl, cmd);
      ok = true;
    } catch (e) {
      ok = false;
      const lines = e instanceof CmdError || e instanceof ParseError ? e.lines : [e instanceof Error ? e.message : String(e)];
      for (const line of lines) ctl.error(line);
    }
    ctl.setMuted(false);
    if (name === 'quit' || name === 'exit') return { ok, quit: true };
    if (!(ctl.json || cmd.bool('json'))) ctl.extra('\n');
  }
  return { ok, quit: false };
}

/** Parses a command line (string form) and runs it; syntax errors run nothing. */
export async function runLine(ctl: Ctl, line: string): Promise<BatchResult> {
  let cmds: ParsedCommand[];
  try {
    cmds = parseCommandString(line, EXTRA_OPTS);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    for (const l of e.lines) ctl.error(l);
    return { ok: false, quit: false };
  }
  return runCommands(ctl, cmds);
}

/**
 * Runs vksh with `argv` (the arguments after the program name); resolves to the exit status.
 */
export async function runVksh(argv: readonly string[], io: VkshIO): Promise<number> {
  const env = io.env ?? process.env;
  let g: GlobalOpts;
  try {
    g = parseGlobal(argv);
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
  if (g.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (g.version) {
    io.stdout.write(g.version === 'long' ? 'vksh 0.1.0 (virsh 9.0.0 compatible)\n' : '9.0.0\n');
    return 0;
  }
  const uri = g.uri ?? env.VIRTKIT_DEFAULT_URI ?? env.LIBVIRT_DEFAULT_URI;
  const ctl = new Ctl({ stdout: io.stdout, stderr: io.stderr, uri, readOnly: g.readOnly, quiet: g.quiet, json: g.json, cwd: io.cwd });

  // Parse before connecting: a syntax error needs no hypervisor.
  let cmds: ParsedCommand[] | undefined;
  if (g.rest.length === 1 && g.rest[0] === '') return 1;
  if (g.rest.length) {
    try {
      cmds = g.rest.length === 1 ? parseCommandString(g.rest[0], EXTRA_OPTS) : parseCommandArgv(g.rest, EXTRA_OPTS);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      for (const l of e.lines) ctl.error(l);
      return 1;
    }
  }
  try {
    try {
      await ctl.connect(uri, g.readOnly);
    } catch (e) {
      for (const l of (e as CmdError).lines) ctl.error(l);
      return 1;
    }
    if (cmds) return (await runCommands(ctl, cmds)).ok ? 0 : 1;
    const { runShell } = await import('./shell.js');
    return await runShell(ctl, io.stdin ?? process.stdin, env);
  } finally {
    if (!io.skipClose) await ctl.close();
  }
}
