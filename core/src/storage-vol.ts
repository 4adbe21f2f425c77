/**
 * StorageVol: one storage volume, as libvirt's virStorageVolPtr.
 */
import type { Readable, Writable } from 'node:stream';
import { VIR_STORAGE_VOL_WIPE_ALG_ZERO } from './constants/storage.js';
import type { Connection } from './connection.js';
import type { ConnectionCore } from './dispatch.js';
import type { JobOptions, StorageVolInfo, StorageVolRef } from './spi.js';
import { StoragePool } from './storage-pool.js';
import { errorDomainOfApi } from './api-table.js';
import { toVirtError } from './error-helpers.js';

/** Options of StorageVol.uploadFromFile / downloadToFile. */
export interface VolFileTransferOptions extends JobOptions {
  /** Byte offset in the volume (default 0). */
  readonly offset?: number;
  /** Bytes to transfer (default 0: the whole file for uploads, to the volume's end for downloads). */
  readonly length?: number;
  /** VIR_STORAGE_VOL_UPLOAD_* / VIR_STORAGE_VOL_DOWNLOAD_* flags, as for upload()/download(). */
  readonly flags?: number;
}

/** A storage volume (virStorageVolPtr). Obtain one from a StoragePool or a Connection. */
export class StorageVol {
  #core: ConnectionCore;
  #ref: StorageVolRef;

  /** @internal Created by core from a driver's ref. */
  constructor(core: ConnectionCore, ref: StorageVolRef) {
    this.#core = core;
    this.#ref = ref;
  }

  /** The driver-level ref this object stands for. */
  get ref(): StorageVolRef {
    return this.#ref;
  }

  /** virStorageVolGetConnect. */
  getConnect(): Connection {
    return this.#core.owner;
  }

  /** virStorageVolGetName. */
  getName(): string {
    return this.#ref.name;
  }

  /** virStorageVolGetKey (usually the path). */
  getKey(): string {
    return this.#ref.key;
  }

  /** The name of the pool this volume belongs to (from the ref, no driver call). */
  getPoolName(): string {
    return this.#ref.pool;
  }

  /** virStoragePoolLookupByVolume: this volume's pool. */
  async lookupStoragePool(): Promise<StoragePool> {
    return new StoragePool(this.#core, await this.#core.call('storagePoolLookupByVolume', [this.#ref]));
  }

  /** virStorageVolGetPath. */
  getPath(): Promise<string> {
    return this.#core.call('storageVolGetPath', [this.#ref]);
  }

  /** virStorageVolGetInfo: `{ type, capacity, allocation }` (bytes, VIR_STORAGE_VOL_* type). */
  getInfo(): Promise<StorageVolInfo> {
    return this.#core.call('storageVolGetInfo', [this.#ref]);
  }

  /** virStorageVolGetXMLDesc. */
  getXMLDesc(flags = 0): Promise<string> {
    return this.#core.call('storageVolGetXMLDesc', [this.#ref, flags]);
  }

  /** virStorageVolDelete. */
  delete(flags = 0): Promise<void> {
    return this.#core.call('storageVolDelete', [this.#ref, flags]);
  }

  /** virStorageVolWipe: overwrites the volume with zeroes (algorithm VIR_STORAGE_VOL_WIPE_ALG_ZERO). */
  wipe(flags = 0, opts: JobOptions = {}): Promise<void> {
    return this.#core.call('storageVolWipePattern', [this.#ref, VIR_STORAGE_VOL_WIPE_ALG_ZERO, flags, opts], {
      api: 'virStorageVolWipe',
      signal: opts.signal,
    });
  }

  /** virStorageVolWipePattern: `algorithm` is VIR_STORAGE_VOL_WIPE_ALG_*. */
  wipePattern(algorithm: number, flags = 0, opts: JobOptions = {}): Promise<void> {
    return this.#core.call('storageVolWipePattern', [this.#ref, algorithm, flags, opts], { signal: opts.signal });
  }

  /** virStorageVolResize: new capacity in bytes (VIR_STORAGE_VOL_RESIZE_* flags). */
  resize(capacity: number, flags = 0): Promise<void> {
    return this.#core.call('storageVolResize', [this.#ref, capacity, flags]);
  }

  /**
   * virStorageVolUpload: a Writable the caller writes `length` bytes into, from `offset`
   * (length 0 = to the end). The upload completes when the stream finishes.
   */
  upload(offset = 0, length = 0, flags = 0, opts: JobOptions = {}): Promise<Writable> {
    return this.#core.call('storageVolUpload', [this.#ref, offset, length, flags, opts], { signal: opts.signal });
  }

  /** virStorageVolDownload: a Readable of `length` bytes from `offset` (length 0 = to the end). */
  download(offset = 0, length = 0, flags = 0, opts: JobOptions = {}): Promise<Readable> {
    return this.#core.call('storageVolDownload', [this.#ref, offset, length, flags, opts], { signal: opts.signal });
  }

  /**
   * Uploads a local regular file into the volume (beyond libvirt; the result is that of
   * `upload()` fed with the file): at most `length` bytes of the file (0 = all of it) are
   * stored from `offset`. Drivers with a file fast path (`storageVolUploadFromFile`, e.g. the
   * storage driver's in-kernel copy) use it; otherwise the file is streamed through `upload()`.
   * `onProgress(done, total)` reports bytes; `signal` aborts.
   */
  async uploadFromFile(path: string, opts: VolFileTransferOptions = {}): Promise<void> {
    const { offset = 0, length = 0, flags = 0 } = opts;
    const job: JobOptions = { signal: opts.signal, onProgress: opts.onProgress };
    if (this.#core.has('storageVolUploadFromFile')) {
      return this.#core.call('storageVolUploadFromFile', [this.#ref, path, offset, length, flags, job], { signal: opts.signal });
    }
    const api = 'virStorageVolUpload';
    const [{ createReadStream }, { pipeline }] = await Promise.all([import('node:fs'), import('node:stream/promises')]);
    const fh = await (await import('node:fs/promises')).open(path, 'r').catch((e) => Promise.reject(toVirtError(e, api, errorDomainOfApi(api))));
    try {
      const sink = await this.upload(offset, length, flags, job);
      const src = createReadStream('', { fd: fh, autoClose: false, ...(length > 0 ? { end: length - 1 } : {}) });
      await pipeline(src, sink, opts.signal ? { signal: opts.signal } : {}).catch((e) => Promise.reject(toVirtError(e, api, errorDomainOfApi(api))));
    } finally {
      await fh.close();
    }
  }

  /**
   * Downloads the volume into a local file, created or truncated (beyond libvirt; the result is
   * that of `download()` piped into the file): `length` bytes from `offset` (0 = to the end).
   * Drivers with a file fast path (`storageVolDownloadToFile`) use it; otherwise the bytes are
   * streamed through `download()`. `onProgress(done, total)` reports bytes; `signal` aborts.
   */
  async downloadToFile(path: string, opts: VolFileTransferOptions = {}): Promise<void> {
    const { offset = 0, length = 0, flags = 0 } = opts;
    const job: JobOptions = { signal: opts.signal, onProgress: opts.onProgress };
    if (this.#core.has('storageVolDownloadToFile')) {
      return this.#core.call('storageVolDownloadToFile', [this.#ref, path, offset, length, flags, job], { signal: opts.signal });
    }
    const api = 'virStorageVolDownload';
    const src = await this.download(offset, length, flags, job);
    const [{ createWriteStream }, { pipeline }] = await Promise.all([import('node:fs'), import('node:stream/promises')]);
    await pipeline(src, createWriteStream(path), opts.signal ? { signal: opts.signal } : {}).catch((e) =>
      Promise.reject(toVirtError(e, api, errorDomainOfApi(api))),
    );
  }
}
