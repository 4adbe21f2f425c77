/**
 * Save, restore, managed save and core dumps. Save images are real files in libvirt's
 * test-driver format: "TestGuestMagic\0", the XML length (int32, host order), the XML.
 */
import {
  VIR_DOMAIN_SAVE_BYPASS_CACHE,
  VIR_DOMAIN_SAVE_PAUSED,
  VIR_DOMAIN_SAVE_RUNNING,
  VIR_DOMAIN_XML_INACTIVE,
  VIR_DOMAIN_XML_SECURE,
  VIR_DUMP_CRASH,
} from '@virtkit/core';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortedError, throwIfAborted } from '@virtkit/core';
import type { DomainRef, JobOptions } from '@virtkit/core';
import { Err, Ev, EvDetail, From, RunningReason, ShutoffReason } from './consts.js';
import { formatDomainDef, parseDomainDef } from './domain-def.js';
import { activeObj, checkDuplicate, liveObjectFor, domObj, dropManagedSaveImage, startDomain, stopAndEmit } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { checkFlags, systemError, testError } from './errors.js';

/** The image magic (a string: a Buffer made at module load costs every start). */
const MAGIC = 'TestGuestMagic\0';

function unsupportedXML(): Error {
  return testError(Err.ARGUMENT_UNSUPPORTED, 'xml modification unsupported');
}

/** Builds a save image for the XML of `def`. */
function saveImage(xml: string): Buffer {
  const body = Buffer.from(xml, 'utf8');
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length);
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, body]);
}

/** virDomainSaveFlags. */
export async function save(st: DriverState, ref: DomainRef, path: string, dxml: string | undefined, flags: number, opts: JobOptions): Promise<void> {
  checkFlags(flags, 0, 'testDomainSaveFlags');
  if (dxml !== undefined) throw unsupportedXML();
  throwIfAborted(opts.signal, 'virDomainSave', From.TEST);
  const obj = activeObj(st, ref);
  const image = saveImage(formatDomainDef(obj.def, -1, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE));
  try {
    await writeFile(path, image, { mode: 0o600, signal: opts.signal });
  } catch (e) {
    await rm(path, { force: true }).catch(() => undefined);
    if (opts.signal?.aborted) throw abortedError('virDomainSave', opts.signal.reason, From.TEST);
    throw systemError(`saving domain '${obj.name}' to '${path}': write failed`, e);
  }
  opts.onProgress?.(image.length, image.length);
  // the domain may have changed while the file was written; libvirt holds its lock
  if (!obj.isActive()) throw testError(Err.OPERATION_INVALID, 'domain is not running');
  stopAndEmit(st, obj, ShutoffReason.SAVED, EvDetail.STOPPED_SAVED, Ev.STOPPED);
}

/** Reads a save image and returns its XML (testDomainSaveImageOpen). */
async function readImage(path: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw systemError(`cannot read domain image '${path}'`, e);
  }
  if (buf.length < MAGIC.length) throw systemError(`incomplete save header in '${path}'`, 'Success');
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw testError(Err.INTERNAL_ERROR, 'mismatched header magic');
  if (buf.length < MAGIC.length + 4) throw systemError(`failed to read metadata length in '${path}'`, 'Success');
  const len = buf.readInt32LE(MAGIC.length);
  if (len < 1 || len > 8192) throw testError(Err.INTERNAL_ERROR, 'length of metadata out of range');
  const start = MAGIC.length + 4;
  if (buf.length < start + len) throw systemError(`incomplete metadata in '${path}'`, 'Success');
  return buf.toString('utf8', start, start + len);
}

/** virDomainRestoreFlags. */
export async function restore(st: DriverState, path: string, dxml: string | undefined, flags: number, opts: JobOptions): Promise<void> {
  checkFlags(flags, 0, 'testDomainRestoreFlags');
  if (dxml !== undefined) throw unsupportedXML();
  throwIfAborted(opts.signal, 'virDomainRestore', From.TEST);
  const xml = await readImage(path);
  const def = parseDomainDef(xml);
  const existing = checkDuplicate(st, def.name, def.uuid, true);
  const obj = liveObjectFor(st, def, existing);
  startDomain(st, obj, RunningReason.RESTORED);
  opts.onProgress?.(xml.length, xml.length);
  st.domainEvent(obj.ref, Ev.STARTED, EvDetail.STARTED_RESTORED);
}

/** Where managed save images of this process go. */
export function managedSaveDir(): string {
  return join(tmpdir(), `virtkit-test-driver-${process.pid}`);
}

let exitHook = false;

/** Images live as long as the process's in-memory states: removed at exit. */
function removeImagesAtExit(dir: string): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/** virDomainManagedSave: stops the domain and keeps an image until the next start. */
export async function managedSave(st: DriverState, ref: DomainRef, flags: number, opts: JobOptions): Promise<void> {
  checkFlags(flags, VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, 'testDomainManagedSave');
  throwIfAborted(opts.signal, 'virDomainManagedSave', From.TEST);
  const obj = activeObj(st, ref);
  if (!obj.persistent) throw testError(Err.OPERATION_INVALID, 'cannot do managed save for transient domain');
  const image = saveImage(formatDomainDef(obj.def, -1, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE));
  const dir = managedSaveDir();
  const path = join(dir, `${obj.uuid}.save`);
  try {
    await mkdir(dir, { recursive: true });
    removeImagesAtExit(dir);
    await writeFile(path, image, { mode: 0o600, signal: opts.signal });
  } catch (e) {
    if (opts.signal?.aborted) throw abortedError('virDomainManagedSave', opts.signal.reason, From.TEST);
    throw systemError(`saving domain '${obj.name}' to '${path}': write failed`, e);
  }
  if (!obj.isActive()) throw testError(Err.OPERATION_INVALID, 'domain is not running');
  stopAndEmit(st, obj, ShutoffReason.SAVED, EvDetail.STOPPED_SAVED, Ev.STOPPED);
  obj.hasManagedSave = true;
  obj.managedSavePath = path;
}

/** virDomainHasManagedSaveImage. */
export function hasManagedSaveImage(st: DriverState, ref: DomainRef, flags: number): boolean {
  checkFlags(flags, 0, 'testDomainHasManagedSaveImage');
  return domObj(st, ref).hasManagedSave;
}

/** virDomainManagedSaveRemove. */
export function managedSaveRemove(st: DriverState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainManagedSaveRemove');
  const obj = domObj(st, ref);
  obj.hasManagedSave = false;
  dropManagedSaveImage(obj);
}

/** virDomainCoreDump: writes the magic header; with VIR_DUMP_CRASH the domain crashes. */
export async function coreDump(st: DriverState, ref: DomainRef, path: string, flags: number, opts: JobOptions): Promise<void> {
  checkFlags(flags, VIR_DUMP_CRASH, 'testDomainCoreDumpWithFormat');
  const obj = activeObj(st, ref);
  try {
    await writeFile(path, Buffer.from(MAGIC, 'latin1'), { mode: 0o600, signal: opts.signal });
  } catch (e) {
    throw systemError(`domain '${obj.name}' coredump: failed to open ${path}`, e);
  }
  opts.onProgress?.(MAGIC.length, MAGIC.length);
  if (flags & VIR_DUMP_CRASH && obj.isActive()) stopAndEmit(st, obj, ShutoffReason.CRASHED, EvDetail.STOPPED_CRASHED, Ev.STOPPED);
}
