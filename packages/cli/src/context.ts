/**
 * The control structure every command runs against (virsh's vshControl): output streams with
 * virsh's print rules, the connection, and the typed option getters with virsh's error texts.
 */
import type { Connection } from './api.js';
import { isVirtError, loadCore } from './api.js';
import { bundleRefusal, registerBundledDriver } from './driver-loader.js';
import type { OptValue, ParsedCommand } from './parser.js';

/** Where vksh writes; `isTTY` on stderr enables progress bars. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** A command's failure: the lines virsh prints, each as `error: <line>` on stderr. */
export class CmdError extends Error {
  readonly lines: readonly string[];

  constructor(lines: string | readonly string[]) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.join('\n'));
    this.name = 'CmdError';
    this.lines = all;
  }
}

/**
 * Builds virsh's two-line failure: our own message, then the library error's message (what
 * vshReportError prints after a failed handler). Non-libvirt errors keep their message.
 */
export function failure(cause: unknown, message?: string): CmdError {
  if (cause instanceof CmdError) return message ? new CmdError([message, ...cause.lines]) : cause;
  const detail = isVirtError(cause) ? cause.message : cause instanceof Error ? cause.message : String(cause);
  return new CmdError(message === undefined ? [detail] : [message, detail]);
}

/** Runs `fn`; on failure rethrows as virsh's `message` + library error pair. */
export async function attempt<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw failure(e, message);
  }
}

/** Runs `fn`; on failure rethrows with the library's message only (virsh adds no line). */
export async function libvirtOnly<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw failure(e);
  }
}

/** Options of one vksh invocation. */
export interface CtlOptions {
  stdout: OutStream;
  stderr: OutStream;
  uri?: string;
  readOnly: boolean;
  quiet: boolean;
  json: boolean;
  /** Directory relative file names resolve against (defaults to process.cwd()). */
  cwd?: string;
}

/** virsh's vshControl: streams, flags and the (lazily opened) connection. */
export class Ctl {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly quiet: boolean;
  /** Global --json: every information command prints JSON. */
  readonly json: boolean;
  readonly cwd: string;
  uri: string | undefined;
  readOnly: boolean;
  #conn: Connection | undefined;
  #muted = false;

  constructor(opts: CtlOptions) {
    this.stdout = opts.stdout;
    this.stderr = opts.stderr;
    this.uri = opts.uri;
    this.readOnly = opts.readOnly;
    this.quiet = opts.quiet;
    this.json = opts.json;
    this.cwd = opts.cwd ?? process.cwd();
  }

  /** vshPrint: always printed (except muted text under --json). */
  print(text: string): void {
    if (!this.#muted) this.stdout.write(text);
  }

  /** vshPrintExtra: suppressed by -q. */
  extra(text: string): void {
    if (!this.quiet && !this.#muted) this.stdout.write(text);
  }

  /**
   * Under the global --json, stdout carries JSON documents only: the runner mutes the text of
   * commands that have no JSON form (confirmations such as "Domain 'x' started").
   */
  setMuted(muted: boolean): void {
    this.#muted = muted;
  }

  /** Prints a single value: as a JSON string under --json, else as a line (or raw text). */
  value(cmd: Cmd, text: string, newline = true): void {
    if (this.wantsJSON(cmd)) this.printJSON(text);
    else this.print(newline ? text + '\n' : text);
  }

  /** vshError: `error: <message>` on stderr. */
  error(message: string): void {
    this.stderr.write(`error: ${message}\n`);
  }

  /** Prints one JSON document on one line (the stable --json form). */
  printJSON(value: unknown): void {
    this.stdout.write(JSON.stringify(value) + '\n');
  }

  /** Whether this command should print JSON (global --json or the command's own --json). */
  wantsJSON(cmd: Cmd): boolean {
    return this.json || cmd.bool('json');
  }

  /** Opens (or replaces) the connection; on failure keeps the old one, as virsh's connect. */
  async connect(uri: string | undefined, readOnly: boolean): Promise<void> {
    const core = loadCore();
    const refusal = bundleRefusal(uri);
    if (refusal) throw new CmdError(['failed to connect to the hypervisor', refusal]);
    await registerBundledDriver(core.registerDriver?.bind(core), uri);
    let conn: Connection;
    try {
      conn = await core.connect(uri, { readOnly });
    } catch (e) {
      throw failure(e, 'failed to connect to the hypervisor');
    }
    const old = this.#conn;
    this.#conn = conn;
    this.uri = uri;
    this.readOnly = readOnly;
    if (old) await old.close().catch(() => undefined);
  }

  /** The open connection (vksh connects before running commands, as virsh does). */
  get conn(): Connection {
    if (!this.#conn) throw new CmdError('no valid connection');
    return this.#conn;
  }

  /** Closes the connection, if any. */
  async close(): Promise<void> {
    const c = this.#conn;
    this.#conn = undefined;
    if (c) await c.close().catch(() => undefined);
  }
}

const SCALES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
  p: 1024 ** 5,
  pib: 1024 ** 5,
  pb: 1000 ** 5,
  e: 1024 ** 6,
  eib: 1024 ** 6,
  eb: 1000 ** 6,
};

/**
 * Parses a scaled integer as virScaleInteger: digits then an optional unit (`K`, `MiB`,
 * `GB`, ...); `defaultScale` applies without a unit. Returns undefined when malformed.
 */
export function parseScaled(text: string, defaultScale: number): number | undefined {
  const m = /^\+?(\d+)([A-Za-z]*)$/.exec(text);
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  const scale = unit === '' ? defaultScale : SCALES[unit];
  if (scale === undefined) return undefined;
  // up to virsh's unsigned long long; beyond 2^53 a double keeps the magnitude, not every unit
  const value = Number(m[1]) * scale;
  return value <= 2 ** 64 - 1 ? value : undefined;
}

/** A parsed command with typed option getters that fail with virsh's messages. */
export class Cmd {
  readonly name: string;
  readonly #opts: ReadonlyMap<string, OptValue>;

  constructor(parsed: ParsedCommand) {
    this.name = parsed.def.name;
    this.#opts = parsed.opts;
  }

  /** Whether a flag (or any option) was given. */
  bool(name: string): boolean {
    return this.#opts.has(name);
  }

  /** A string option (undefined when absent); an empty value fails as in virsh. */
  str(name: string): string | undefined {
    const v = this.#opts.get(name);
    if (v === undefined || v === true) return undefined;
    const s = Array.isArray(v) ? v[0] : v;
    if (s === '') throw new CmdError(`Failed to get option '${name}': Option argument is empty`);
    return s;
  }

  /** A required string option. */
  req(name: string): string {
    const s = this.str(name);
    if (s === undefined) throw new CmdError(`command '${this.name}' requires <${name}> option`);
    return s;
  }

  /** Every value of an argv option. */
  list(name: string): string[] {
    const v = this.#opts.get(name);
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  }

  /** An integer option (vshCommandOptInt and friends). */
  int(name: string): number | undefined {
    const s = this.str(name);
    if (s === undefined) return undefined;
    if (!/^[+-]?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
      throw new CmdError(`Numeric value '${s}' for <${name}> option is malformed or out of range`);
    }
    return Number(s);
  }

  /** A non-negative integer option (vshCommandOptUInt/ULongLong). */
  uint(name: string): number | undefined {
    const n = this.int(name);
    if (n !== undefined && n < 0) {
      throw new CmdError(`Numeric value '${this.str(name)}' for <${name}> option is malformed or out of range`);
    }
    return n;
  }

  /** A scaled integer option (vshCommandOptScaledInt): `1G`, `512M`, bare numbers times `scale`. */
  scaled(name: string, scale: number): number | undefined {
    const s = this.str(name);
    if (s === undefined) return undefined;
    const v = parseScaled(s, scale);
    if (v === undefined) throw new CmdError(`Scaled numeric value '${s}' for <${name}> option is malformed or out of range`);
    return v;
  }

  /** Fails like VSH_EXCLUSIVE_OPTIONS when both options are given. */
  exclusive(a: string, b: string): void {
    if (this.bool(a) && this.bool(b)) throw new CmdError(`Options --${a} and --${b} are mutually exclusive`);
  }
}

/** A command implementation: prints on success, throws CmdError on failure. */
export type Handler = (ctl: Ctl, cmd: Cmd) => Promise<void>;
