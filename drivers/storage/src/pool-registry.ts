/**
 * The storage driver's state for one root (libvirt's virStorageDriverState): pool objects,
 * persistent definitions (written atomically under the config directory), autostart links,
 * the state directory remembering active pools, and event fan-out to every open connection.
 * One StorageState is shared by all connections of a process to the same root.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { DriverEventSink, StoragePoolRef } from '@virtkit/core';
import { writeFileAtomic } from './atomic-file.js';
import type { PoolBackend } from './backends/backend.js';
import { dirBackend } from './backends/dir.js';
import { diskBackend } from './backends/disk.js';
import { fsBackend } from './backends/fs.js';
import { VIR_ERR_NO_SUPPORT, VIR_STORAGE_POOL_EVENT_STARTED } from './constants.js';
import type { PoolDef, VolDef } from './types.js';
import { isErrno, storageError, systemError } from './util.js';
import { formatPool, parsePool, type PoolDoc } from './xml-adapter.js';

/** The backends this driver has, by pool type. Other types answer VIR_ERR_NO_SUPPORT. */
export const BACKENDS: Readonly<Record<string, PoolBackend>> = { dir: dirBackend, fs: fsBackend, disk: diskBackend };

/** The backend of `type`, or VIR_ERR_NO_SUPPORT. */
export function backendFor(type: string): PoolBackend {
  const b = BACKENDS[type];
  if (!b) throw storageError(VIR_ERR_NO_SUPPORT, `missing backend for pool type ${type} (${type})`);
  return b;
}

/** Directories of one driver instance. */
export interface StoragePaths {
  configDir: string;
  autostartDir: string;
  stateDir: string;
}

/** A pool and what the driver knows about it. */
export class PoolObj {
  doc: PoolDoc;
  def: PoolDef;
  /** A definition waiting to replace the live one when the pool stops. */
  newDoc?: PoolDoc;
  active = false;
  persistent = false;
  autostart = false;
  /** Volumes by name, as of the last refresh. */
  readonly volumes = new Map<string, VolDef>();
  readonly backend: PoolBackend;
  /** Long volume jobs (creates, clones, uploads, wipes) running; the pool cannot stop meanwhile. */
  jobs = 0;
  /** Names of volumes still being created. */
  readonly building = new Set<string>();
  /** The refresh that follows an upload, while it runs (see VolOps's afterUpload). */
  afterUpload: Promise<void> | undefined;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(doc: PoolDoc) {
    this.doc = doc;
    this.def = doc.def;
    this.backend = backendFor(doc.def.type);
  }

  /** The ref handed across the SPI. */
  get ref(): StoragePoolRef {
    return { name: this.def.name, uuid: this.def.uuid };
  }

  /** Runs `fn` with the pool's lifecycle lock held (one lifecycle operation at a time). */
  locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => {});
    return run;
  }

  /** Replaces the volume list. */
  setVolumes(vols: VolDef[]): void {
    this.volumes.clear();
    for (const v of vols) this.volumes.set(v.name, v);
  }

  /**
   * Applies a refresh that scanned the pool while `before` was its volume list. Volumes are
   * created, deleted and re-probed without the lifecycle lock, so an entry that changed during
   * the scan (created, deleted or re-probed meanwhile) is newer than what the scan found, and
   * stays as it is now; every other entry becomes what the scan found.
   */
  mergeVolumes(before: ReadonlyMap<string, VolDef>, found: readonly VolDef[]): void {
    const next = new Map<string, VolDef>();
    for (const v of found) if (this.volumes.get(v.name) === before.get(v.name)) next.set(v.name, v);
    for (const [name, cur] of this.volumes) if (cur !== before.get(name)) next.set(name, cur);
    this.setVolumes([...next.values()]);
  }

  /** Waits for the refresh that follows an upload, if one runs (libvirt's readers wait for the pool lock it holds). */
  async settled(): Promise<void> {
    if (this.afterUpload) await this.afterUpload;
  }
}

/** The state of one storage driver root. */
export class StorageState {
  readonly paths: StoragePaths;
  readonly pools = new Map<string, PoolObj>();
  readonly sinks = new Set<DriverEventSink>();
  /** Open connections; the state is dropped when the last closes. */
  refs = 0;

  constructor(paths: StoragePaths) {
    this.paths = paths;
  }

  /** Pool by UUID. */
  byUUID(uuid: string): PoolObj | undefined {
    const u = uuid.toLowerCase();
    for (const p of this.pools.values()) if (p.def.uuid.toLowerCase() === u) return p;
    return undefined;
  }

  /** Sends a lifecycle event to every connection. */
  lifecycle(pool: PoolObj, event: number, detail = 0): void {
    for (const s of this.sinks) s.storagePoolLifecycle(pool.ref, event, detail);
  }

  /** Sends a refresh event to every connection. */
  refreshed(pool: PoolObj): void {
    for (const s of this.sinks) s.storagePoolRefresh(pool.ref);
  }

  configFile(name: string): string {
    return join(this.paths.configDir, `${name}.xml`);
  }

  autostartLink(name: string): string {
    return join(this.paths.autostartDir, `${name}.xml`);
  }

  stateFile(name: string): string {
    return join(this.paths.stateDir, `${name}.xml`);
  }

  /** Writes the persistent definition atomically. */
  async saveConfig(pool: PoolObj): Promise<void> {
    await writeFileAtomic(this.configFile(pool.def.name), formatPool(pool.newDoc ?? pool.doc) + '\n');
  }

  /** Removes the persistent definition and autostart link. */
  async deleteConfig(pool: PoolObj): Promise<void> {
    try {
      await fsp.rm(this.autostartLink(pool.def.name), { force: true });
      await fsp.unlink(this.configFile(pool.def.name));
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw systemError(`cannot remove config ${this.configFile(pool.def.name)}`, e);
    }
  }

  /** Records that the pool is active (so a later process finds it running). */
  async saveState(pool: PoolObj): Promise<void> {
    await writeFileAtomic(this.stateFile(pool.def.name), formatPool(pool.doc) + '\n');
  }

  async deleteState(pool: PoolObj): Promise<void> {
    await fsp.rm(this.stateFile(pool.def.name), { force: true });
  }

  /** Creates or removes the autostart link. */
  async setAutostart(pool: PoolObj, on: boolean): Promise<void> {
    const link = this.autostartLink(pool.def.name);
    try {
      if (on) {
        await fsp.mkdir(this.paths.autostartDir, { recursive: true });
        await fsp.rm(link, { force: true });
        await fsp.symlink(this.configFile(pool.def.name), link);
      } else {
        await fsp.rm(link, { force: true });
      }
    } catch (e) {
      throw systemError(`Failed to ${on ? 'create' : 'delete'} symlink '${link}'`, e);
    }
    pool.autostart = on;
  }

  /**
   * Loads definitions, finds active pools (state files whose storage is still active),
   * and starts autostart pools, as libvirt's storage driver does at daemon start.
   */
  async load(): Promise<void> {
    for (const file of await listXML(this.paths.configDir)) {
      const doc = await readDoc(join(this.paths.configDir, file));
      if (!doc || this.pools.has(doc.def.name) || `${doc.def.name}.xml` !== file) continue;
      const pool = new PoolObj(doc);
      pool.persistent = true;
      pool.autostart = await fsp.stat(this.autostartLink(doc.def.name)).then(() => true, () => false);
      this.pools.set(doc.def.name, pool);
    }
    for (const file of await listXML(this.paths.stateDir)) {
      const doc = await readDoc(join(this.paths.stateDir, file));
      if (!doc) continue;
      let pool = this.pools.get(doc.def.name);
      if (!pool) {
        pool = new PoolObj(doc);
        this.pools.set(doc.def.name, pool);
      } else {
        pool.newDoc = pool.doc;
        pool.doc = doc;
        pool.def = doc.def;
      }
      if (await pool.backend.isActive(pool.def).catch(() => false)) {
        try {
          const r = await pool.backend.refresh(pool.def);
          Object.assign(pool.def, { capacity: r.capacity, allocation: r.allocation, available: r.available });
          pool.setVolumes(r.volumes);
          pool.active = true;
          continue;
        } catch {
          // fall through: the pool is no longer usable
        }
      }
      await this.deleteState(pool);
      if (pool.newDoc) {
        pool.doc = pool.newDoc;
        pool.def = pool.doc.def;
        pool.newDoc = undefined;
      }
      if (!pool.persistent) this.pools.delete(pool.def.name);
    }
    for (const pool of this.pools.values()) {
      if (!pool.autostart || pool.active) continue;
      try {
        await pool.backend.start(pool.def);
        const r = await pool.backend.refresh(pool.def);
        Object.assign(pool.def, { capacity: r.capacity, allocation: r.allocation, available: r.available });
        pool.setVolumes(r.volumes);
        pool.active = true;
        await this.saveState(pool);
        this.lifecycle(pool, VIR_STORAGE_POOL_EVENT_STARTED);
      } catch {
        // libvirt logs and leaves the pool inactive
      }
    }
  }
}

async function listXML(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).filter((f) => f.endsWith('.xml') && !f.startsWith('.')).sort();
  } catch {
    return [];
  }
}

async function readDoc(path: string): Promise<PoolDoc | undefined> {
  try {
    const doc = parsePool(await fsp.readFile(path, 'utf8'));
    backendFor(doc.def.type);
    return doc;
  } catch {
    return undefined;
  }
}
