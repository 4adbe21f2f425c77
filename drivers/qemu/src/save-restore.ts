/**
 * Save and restore through migration (libvirt's qemuSaveImage): QEMU migrates to a unix
 * socket we listen on and we write the stream into the save file after a header (magic,
 * JSON with the domain XML and whether it was running). Restore starts QEMU with
 * `-incoming defer`, runs `migrate-incoming` on a unix socket and feeds it the stream.
 * (`exec:` would need a shell inside QEMU, which `-sandbox spawn=deny` forbids; fds cannot be
 * passed to QEMU from Node: unix sockets are the no-shell path.)
 */
import { createReadStream, createWriteStream, openSync, readSync, closeSync } from 'node:fs';
import { rm, rename } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { virtError, type JobOptions } from '@virtkit/core';
import { formatDomainXML, parseDomainXML, type DomainDef } from '@virtkit/xml';
import type { QemuDomainObj } from './domain-obj.js';
import type { QemuDriverState } from './driver-state.js';
import { startProcess, stopProcess } from './process-control.js';
import { postParse } from './methods-define.js';
import * as C from './constants.js';

const MAGIC = 'VirtkitQemuSave1';

interface SaveHeader {
  xml: string;
  running: boolean;
}

/** Reads a save file's header; `offset` is where the migration stream begins. */
export function readSaveHeader(file: string): { header: SaveHeader; offset: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw virtError(C.VIR_ERR_OPERATION_FAILED, `cannot open saved image '${file}': ${(e as Error).message}`);
  }
  try {
    const head = Buffer.alloc(MAGIC.length + 8);
    readSync(fd, head, 0, head.length, 0);
    if (head.subarray(0, MAGIC.length).toString() !== MAGIC) throw virtError(C.VIR_ERR_OPERATION_FAILED, 'image magic is incorrect');
    const len = head.readUInt32LE(MAGIC.length);
    const json = Buffer.alloc(len);
    readSync(fd, json, 0, len, head.length);
    return { header: JSON.parse(json.toString()) as SaveHeader, offset: head.length + len };
  } finally {
    closeSync(fd);
  }
}

async function enableMigrationEvents(obj: QemuDomainObj): Promise<void> {
  await obj.mon().execute('migrate-set-capabilities', { capabilities: [{ capability: 'events', state: true }] });
}

/**
 * Follows a running migration: reports progress (RAM bytes) and cancels it when the caller's
 * signal aborts (the job then fails with VIR_ERR_OPERATION_ABORTED).
 */
async function watchJob(obj: QemuDomainObj, done: Promise<void>, opts: JobOptions): Promise<void> {
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    void obj.monitor?.execute('migrate_cancel').catch(() => undefined);
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = opts.onProgress
    ? setInterval(() => {
        void obj.monitor?.execute('query-migrate').then((m) => {
          const ram = (m as { ram?: { transferred?: number; total?: number } }).ram;
          if (ram?.total) opts.onProgress!(ram.transferred ?? 0, ram.total);
        }, () => undefined);
      }, 200)
    : undefined;
  try {
    await done;
  } catch (e) {
    if (aborted) throw virtError(C.VIR_ERR_OPERATION_ABORTED, 'operation aborted: migration out job: canceled by client');
    throw e;
  } finally {
    if (timer) clearInterval(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function waitMigration(obj: QemuDomainObj): Promise<void> {
  return obj.mon().waitForEvent('MIGRATION', (e) => ['completed', 'failed', 'cancelled'].includes(String((e.data as { status?: string }).status)), 600_000)
    .then((e) => {
      const status = (e.data as { status: string }).status;
      if (status !== 'completed') throw virtError(C.VIR_ERR_OPERATION_FAILED, `migration to file ${status}`);
    });
}

/** Saves a running domain to `file` and stops it (SHUTOFF_SAVED). */
export async function saveToFile(st: QemuDriverState, obj: QemuDomainObj, file: string, dxml: string | undefined, flags: number, opts: JobOptions = {}): Promise<void> {
  if (!obj.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is not running');
  const wasRunning = obj.state === C.VIR_DOMAIN_RUNNING;
  const running = flags & C.VIR_DOMAIN_SAVE_RUNNING ? true : flags & C.VIR_DOMAIN_SAVE_PAUSED ? false : wasRunning;
  const def = dxml ? postParse(parseDomainXML(dxml)) : structuredClone(obj.liveDef!);
  const header = Buffer.from(JSON.stringify({ xml: formatDomainXML(def, { inactive: true }), running } satisfies SaveHeader));
  const prefix = Buffer.alloc(MAGIC.length + 8);
  prefix.write(MAGIC);
  prefix.writeUInt32LE(header.length, MAGIC.length);
  const tmpFile = `${file}.partial-${process.pid}`;
  const sock = `${st.store.paths.stateDir}/mig-${obj.uuid}.sock`;
  await rm(sock, { force: true });
  const out = createWriteStream(tmpFile, { mode: 0o600 });
  out.write(prefix);
  out.write(header);
  const server = createServer();
  const received = new Promise<void>((resolve, reject) => {
    server.once('connection', (s: Socket) => {
      server.close();
      pipeline(s, out).then(resolve, reject);
    });
    server.once('error', reject);
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  try {
    if (wasRunning) {
      obj.pendingPauseReason = C.VIR_DOMAIN_PAUSED_SAVE;
      await obj.mon().execute('stop');
      obj.pendingPauseReason = undefined;
      if (obj.state === C.VIR_DOMAIN_RUNNING) obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_SAVE);
    }
    await enableMigrationEvents(obj);
    const done = waitMigration(obj);
    await obj.mon().execute('migrate', { uri: `unix:${sock}` });
    await watchJob(obj, done, opts);
    await received;
    await rename(tmpFile, file);
  } catch (e) {
    server.close();
    out.destroy();
    await rm(tmpFile, { force: true });
    if (wasRunning && obj.active) {
      await obj.monitor?.execute('cont').catch(() => undefined);
      obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_SAVE_CANCELED);
    }
    throw e;
  } finally {
    await rm(sock, { force: true });
  }
  await stopProcess(st, obj, C.VIR_DOMAIN_SHUTOFF_SAVED, C.VIR_DOMAIN_EVENT_STOPPED_SAVED, 1000);
}

/** Starts `obj` from a save file (`def` overrides the image's XML). */
export async function restoreFromFile(st: QemuDriverState, obj: QemuDomainObj, file: string, def: DomainDef | undefined, paused: boolean, removeAfter: boolean): Promise<void> {
  const { header, offset } = readSaveHeader(file);
  const useDef = def ?? postParse(parseDomainXML(header.xml));
  await startProcess(st, obj, useDef, { paused: true, incoming: true, emitStarted: false });
  const sock = `${st.store.paths.stateDir}/inc-${obj.uuid}.sock`;
  try {
    await rm(sock, { force: true });
    await enableMigrationEvents(obj);
    const done = waitMigration(obj);
    await obj.mon().execute('migrate-incoming', { uri: `unix:${sock}` });
    const s = connect(sock);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    await Promise.all([pipeline(createReadStream(file, { start: offset }), s).catch(() => undefined), done]);
  } catch (e) {
    await stopProcess(st, obj, C.VIR_DOMAIN_SHUTOFF_FAILED, C.VIR_DOMAIN_EVENT_STOPPED_FAILED, 0);
    throw e;
  } finally {
    await rm(sock, { force: true });
  }
  st.emit(obj, C.VIR_DOMAIN_EVENT_STARTED, C.VIR_DOMAIN_EVENT_STARTED_RESTORED);
  if (header.running && !paused) {
    await obj.mon().execute('cont');
    obj.setState(C.VIR_DOMAIN_RUNNING, C.VIR_DOMAIN_RUNNING_RESTORED);
  } else {
    obj.setState(C.VIR_DOMAIN_PAUSED, C.VIR_DOMAIN_PAUSED_SAVE);
    st.emit(obj, C.VIR_DOMAIN_EVENT_SUSPENDED, C.VIR_DOMAIN_EVENT_SUSPENDED_RESTORED);
  }
  await st.saveStatus(obj);
  if (removeAfter) await rm(file, { force: true });
}
