/**
 * Starting QEMU.
 *
 * No-race monitor design: before QEMU starts we create the QMP socket ourselves — a listening
 * unix socket bound at a temporary name, hard-linked to its final path — and hand its fd to
 * QEMU as fd 3 (`-chardev socket,id=charmonitor,fd=3,server=on,wait=off`). Closing our copy
 * unlinks only the temporary name, so the final path stays bound to QEMU's socket. Connecting
 * right after spawn therefore never sees ENOENT/ECONNREFUSED: the connection waits in the
 * backlog until QEMU's main loop accepts it and sends the greeting. No retry loop.
 *
 * QEMU runs in its own session (detached), so guests outlive the managing process; its stdout
 * and stderr go to the domain log, which starts with the command line as libvirt's does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, linkSync, openSync, readFileSync, rmSync, writeSync, fstatSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/** A started QEMU process. */
export interface LaunchedQemu {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Byte offset in the log where this run's output begins. */
  readonly logOffset: number;
}

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(path, () => resolve(srv));
  });
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/**
 * Spawns `binary args` with the monitor listening at `monitorPath` (the args must contain the
 * fd=3 monitor chardev) and output appended to `logPath`.
 */
export async function launchQemu(binary: string, args: readonly string[], monitorPath: string, logPath: string): Promise<LaunchedQemu> {
  const tmp = `${monitorPath}.${process.pid}.tmp`;
  rmSync(monitorPath, { force: true });
  rmSync(tmp, { force: true });
  const srv = await listen(tmp);
  let logFd: number | undefined;
  try {
    linkSync(tmp, monitorPath);
    const fd = (srv as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) throw new Error('cannot get the monitor socket fd');
    logFd = openSync(logPath, 'a', 0o600);
    const logOffset = fstatSync(logFd).size;
    writeSync(logFd, `${new Date().toISOString()}: starting up\n${[binary, ...args].map(quoteArg).join(' ')}\n`);
    const child = spawn(binary, args, {
      stdio: ['ignore', logFd, logFd, fd],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LC_ALL: 'C' },
    });
    if (child.pid === undefined) {
      const err = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw err;
    }
    child.unref();
    return { child, pid: child.pid, logOffset };
  } finally {
    if (logFd !== undefined) closeSync(logFd);
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  }
}

/** QEMU's own error lines from this run's part of the log (for start failures). */
export function readLogTail(logPath: string, offset: number): string {
  try {
    const text = readFileSync(logPath).subarray(offset).toString('utf8');
    const lines = text.split('\n').slice(2).filter((l) => l.trim() !== '' && !/warning: host doesn't support requested feature/.test(l));
    return lines.join('\n').trim();
  } catch {
    return '';
  }
}
