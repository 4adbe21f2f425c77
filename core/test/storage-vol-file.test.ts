/**
 * StorageVol.uploadFromFile / downloadToFile: the driver's file fast path when it has one,
 * else the upload/download streams; offset and length honoured either way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { connect, registerDriver, unregisterDriver, VirtError, type Connection, type StorageDriver, type StorageVolRef, type VirtDriver } from '@virtkit/core';

/** A driver whose one volume is a Buffer; `fast` adds the file fast path methods. */
function memVolDriver(scheme: string, fast: boolean) {
  const state = { data: Buffer.alloc(64, 0x2e), calls: [] as string[] };
  const storage: StorageDriver = {
    async storageVolUpload(_v: StorageVolRef, offset: number, length: number) {
      state.calls.push('upload');
      let pos = offset;
      return new Writable({
        write(chunk: Buffer, _e, cb) {
          if (length > 0 && pos + chunk.length > offset + length) return cb(new Error('too long'));
          chunk.copy(state.data, pos);
          pos += chunk.length;
          cb();
        },
      });
    },
    async storageVolDownload(_v: StorageVolRef, offset: number, length: number, _f: number, opts) {
      state.calls.push('download');
      const end = length > 0 ? offset + length : state.data.length;
      opts.onProgress?.(end - offset, end - offset);
      return Readable.from([Buffer.from(state.data.subarray(offset, end))]);
    },
  };
  if (fast) {
    storage.storageVolUploadFromFile = async (_v, path, offset, length) => {
      state.calls.push(`uploadFromFile:${offset}:${length}`);
      const b = readFileSync(path);
      b.copy(state.data, offset, 0, length > 0 ? length : b.length);
    };
    storage.storageVolDownloadToFile = async (_v, path, offset, length) => {
      state.calls.push(`downloadToFile:${offset}:${length}`);
      writeFileSync(path, state.data.subarray(offset, length > 0 ? offset + length : undefined));
    };
  }
  const driver: VirtDriver = {
    name: 'MemVol',
    schemes: [scheme],
    async open() {
      return { storage, async close() {} };
    },
  };
  return { driver, state };
}

for (const fast of [true, false]) {
  describe(`StorageVol file transfers (${fast ? 'driver fast path' : 'stream fallback'})`, () => {
    const scheme = `memvol-${fast ? 'fast' : 'stream'}`;
    let d: ReturnType<typeof memVolDriver>;
    let conn: Connection;
    let dir: string;

    beforeEach(async () => {
      d = memVolDriver(scheme, fast);
      registerDriver(d.driver);
      conn = await connect(`${scheme}:///x`);
      dir = mkdtempSync(join(tmpdir(), 'vk-core-volfile-'));
    });

    afterEach(async () => {
      await conn.close();
      unregisterDriver(d.driver);
      rmSync(dir, { recursive: true, force: true });
    });

    const vol = () => conn.storageVolFromRef({ pool: 'p', name: 'v', key: '/v' });

    it('uploadFromFile stores the file (at most length bytes) from offset', async () => {
      const f = join(dir, 'in');
      writeFileSync(f, 'abcdefgh');
      await vol().uploadFromFile(f, { offset: 4, length: 5 });
      assert.equal(d.state.data.subarray(0, 12).toString(), '....abcde...');
      assert.equal(d.state.calls[0], fast ? 'uploadFromFile:4:5' : 'upload');
    });

    it('downloadToFile writes length bytes from offset into a truncated file', async () => {
      d.state.data.write('0123456789', 0);
      const f = join(dir, 'out');
      writeFileSync(f, 'x'.repeat(100));
      await vol().downloadToFile(f, { offset: 2, length: 5 });
      assert.equal(readFileSync(f, 'utf8'), '23456');
      assert.equal(d.state.calls[0], fast ? 'downloadToFile:2:5' : 'download');
    });

    it('a missing source file is a VirtError', async () => {
      await assert.rejects(vol().uploadFromFile(join(dir, 'missing')), VirtError);
    });

    it('an aborted signal rejects before the driver is called', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(vol().downloadToFile(join(dir, 'out'), { signal: ac.signal }), VirtError);
      assert.deepEqual(d.state.calls, []);
    });
  });
}
