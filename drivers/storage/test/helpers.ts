/** Test helpers: opening the driver directly on an embed root, recording events, temp dirs. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectURI, DriverConnection, DriverEventSink, StorageDriver } from '@virtkit/core';
import { driver } from '../src/index.js';

/** One recorded event. */
export interface Ev {
  kind: 'lifecycle' | 'refresh';
  pool: string;
  event?: number;
}

/** An open connection with its events. */
export interface Opened {
  conn: DriverConnection;
  st: Required<StorageDriver>;
  events: Ev[];
  root: string;
}

/** A parsed URI for `storage:///embed?root=ROOT`. */
export function embedURI(root: string): ConnectURI {
  return { raw: `storage:///embed?root=${root}`, scheme: 'storage', path: '/embed', query: { root } };
}

/** Opens the driver on an embed root (a fresh temp dir unless given). */
export async function openEmbed(root = mkdtempSync(join(tmpdir(), 'vkst-root-'))): Promise<Opened> {
  const events: Ev[] = [];
  const sink: DriverEventSink = {
    domainLifecycle() {},
    domainReboot() {},
    domainBalloonChange() {},
    domainDeviceRemoved() {},
    networkLifecycle() {},
    storagePoolLifecycle(pool, event) {
      events.push({ kind: 'lifecycle', pool: pool.name, event });
    },
    storagePoolRefresh(pool) {
      events.push({ kind: 'refresh', pool: pool.name });
    },
  };
  const conn = await driver.open({ uri: embedURI(root), readOnly: false, events: sink });
  return { conn, st: conn.storage as Required<StorageDriver>, events, root };
}

/** A fresh temp dir with a unique prefix. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vkst-${prefix}-`));
}

/** sha256 of a file (or its first `length` bytes from `start`). */
export async function sha256File(path: string, start = 0, length?: number): Promise<string> {
  const h = createHash('sha256');
  const end = length === undefined ? undefined : start + length - 1;
  for await (const c of createReadStream(path, { start, end, highWaterMark: 8 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

/** sha256 of a stream's bytes. */
export async function sha256Stream(s: AsyncIterable<Buffer>): Promise<string> {
  const h = createHash('sha256');
  for await (const c of s) h.update(c);
  return h.digest('hex');
}

/** Removes a directory tree, ignoring errors. */
export async function rmrf(p: string | undefined): Promise<void> {
  if (p) await fsp.rm(p, { recursive: true, force: true }).catch(() => {});
}

/** Pool XML for a dir pool. */
export function dirPoolXML(name: string, path: string): string {
  return `<pool type='dir'><name>${name}</name><target><path>${path}</path></target></pool>`;
}

/** Volume XML. */
export function volXML(name: string, capacity: number, opts: { format?: string; allocation?: number; backing?: string; backingFormat?: string } = {}): string {
  const alloc = opts.allocation === undefined ? '' : `<allocation unit='bytes'>${opts.allocation}</allocation>`;
  const fmt = opts.format ? `<format type='${opts.format}'/>` : '';
  const bs = opts.backing
    ? `<backingStore><path>${opts.backing}</path>${opts.backingFormat ? `<format type='${opts.backingFormat}'/>` : ''}</backingStore>`
    : '';
  return `<volume><name>${name}</name><capacity unit='bytes'>${capacity}</capacity>${alloc}<target>${fmt}</target>${bs}</volume>`;
}

/** A loop device over a fresh sparse image file; `detach()` removes both (idempotent). */
export interface LoopDevice {
  dev: string;
  image: string;
  detach(): Promise<void>;
}

/** Creates a `size`-byte image under `dir` and attaches it with `losetup -f --show -P`. */
export async function attachLoop(dir: string, size: number): Promise<LoopDevice> {
  const { execa } = await import('execa');
  const image = join(dir, `loop-${process.pid}-${Date.now()}.img`);
  await fsp.writeFile(image, '');
  await fsp.truncate(image, size);
  const dev = (await execa('losetup', ['-f', '--show', '-P', image])).stdout.trim();
  let done = false;
  return {
    dev,
    image,
    async detach() {
      if (done) return;
      done = true;
      await execa('losetup', ['-d', dev], { reject: false });
      await fsp.rm(image, { force: true });
    },
  };
}

/** Unmounts `target` if something is mounted there (lazy, so a failed test never leaks a mount). */
export async function unmountIfMounted(target: string): Promise<void> {
  const { execa } = await import('execa');
  const mounts = await fsp.readFile('/proc/self/mounts', 'utf8');
  if (mounts.split('\n').some((l) => l.split(' ')[1] === target)) await execa('umount', ['-l', target], { reject: false });
}

/** Asserts that `p` rejects with libvirt error `code` (and a message matching `re`). */
export async function rejectsCode(p: Promise<unknown>, code: number, re?: RegExp): Promise<void> {
  await assert.rejects(p, (e: { code?: number; message?: string }) => {
    assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
    if (re) assert.match(e.message ?? '', re);
    return true;
  });
}

/** Pids of this process's xfs_io children (the driver's co-processes; stdbuf execs xfs_io). */
export function xfsIoChildren(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-x', 'xfs_io'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return [];
  }
}
