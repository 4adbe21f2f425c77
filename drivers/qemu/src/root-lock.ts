/**
 * The root lock: until a daemon exists, one connection (one process) owns a driver root.
 *
 * The lock is a file `virtkit-qemu.lock` in the state directory holding the owner's pid and a
 * per-open token, created with O_EXCL. A second opener gets VIR_ERR_OPERATION_FAILED naming
 * the holder pid. A lock whose pid is dead (the owner was killed) is stale: it is taken over
 * by renaming a fresh lock file over it after re-checking, so two racing openers cannot both
 * win (the loser re-reads the file and sees the winner's live pid).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { virtError } from '@virtkit/core';
import { VIR_ERR_OPERATION_FAILED } from './constants.js';

/** True when a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A held root lock. */
export class RootLock {
  readonly #path: string;
  readonly #token: string;
  #released = false;

  private constructor(path: string, token: string) {
    this.#path = path;
    this.#token = token;
  }

  /** Takes the lock of `stateDir` or throws VIR_ERR_OPERATION_FAILED naming the holder. */
  static acquire(stateDir: string): RootLock {
    const path = join(stateDir, 'virtkit-qemu.lock');
    const token = randomBytes(8).toString('hex');
    const content = `${process.pid} ${token}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, content);
        closeSync(fd);
        return new RootLock(path, token);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = RootLock.#readHolder(path);
      if (holder && pidAlive(holder.pid)) {
        throw virtError(
          VIR_ERR_OPERATION_FAILED,
          `driver root '${stateDir}' is locked by process ${holder.pid}${holder.pid === process.pid ? ' (this process)' : ''}`,
        );
      }
      // Stale (holder dead, or torn file): replace it atomically and check that we won.
      const tmp = `${path}.${process.pid}.${token}`;
      const fd = openSync(tmp, 'w', 0o600);
      writeSync(fd, content);
      closeSync(fd);
      const again = RootLock.#readHolder(path);
      if (again && again.token !== holder?.token) {
        unlinkSync(tmp);
        continue;
      }
      renameSync(tmp, path);
      const mine = RootLock.#readHolder(path);
      if (mine?.token === token) return new RootLock(path, token);
    }
    throw virtError(VIR_ERR_OPERATION_FAILED, `cannot acquire the lock of driver root '${stateDir}'`);
  }

  static #readHolder(path: string): { pid: number; token: string } | undefined {
    try {
      const [pid, token] = readFileSync(path, 'utf8').trim().split(' ');
      return { pid: Number(pid), token: token ?? '' };
    } catch {
      return undefined;
    }
  }

  /** Releases the lock (idempotent); only removes the file if it is still ours. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const holder = RootLock.#readHolder(this.#path);
    if (holder?.token === this.#token) {
      try {
        unlinkSync(this.#path);
      } catch {
        // already gone
      }
    }
  }
}
