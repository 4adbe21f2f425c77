/**
 * The upload and download streams (openUpload / openDownload) move bytes in pieces of at most
 * WRITE_MAX per system call, cut at WRITE_MAX-aligned file offsets: the bytes land where they
 * belong for odd offsets and lengths, progress and the length limit hold, and a failed write
 * is reported only after every write in flight has settled.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, readFileSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VIR_ERR_SYSTEM_ERROR } from '../src/constants.js';
import { WRITE_MAX } from '../src/copy.js';
import { DOWNLOAD_CHUNK, openDownload, openUpload, writePieces } from '../src/stream.js';
import { rmrf, tempDir } from './helpers.js';

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Records the size of every write(2)/writev(2) made through a FileHandle while `fn` runs. */
async function recordWrites<T>(dir: string, fn: (sizes: number[]) => Promise<T>): Promise<T> {
  const probe = await fsp.open(join(dir, '.probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const { write, writev } = proto;
  const sizes: number[] = [];
  proto.writev = function (this: FileHandle, bufs: NodeJS.ArrayBufferView[], pos?: number) {
    sizes.push(bufs.reduce((n, b) => n + b.byteLength, 0));
    return writev.call(this, bufs, pos);
  } as FileHandle['writev'];
  proto.write = function (this: FileHandle, ...args: unknown[]) {
    sizes.push(typeof args[2] === 'number' ? args[2] : (args[0] as Buffer).length);
    return (write as (...a: unknown[]) => unknown).apply(this, args);
  } as FileHandle['write'];
  try {
    return await fn(sizes);
  } finally {
    proto.write = write;
    proto.writev = writev;
  }
}

describe('storage driver: upload/download streams in pieces of at most 1 MiB', function () {
  this.timeout(30000);
  let dir: string;

  before(() => {
    dir = tempDir('stream');
  });
  after(() => rmrf(dir));

  it('writePieces cuts large buffers and gathers small ones at aligned offsets', () => {
    const chunks = [randomBytes(8 * MiB + 3), randomBytes(3), ...Array.from({ length: 40 }, () => randomBytes(64 * 1024)), randomBytes(MiB + 7)];
    const at = 5 * MiB - 5;
    const pieces = writePieces(chunks, at);
    let next = at;
    for (const [i, p] of pieces.entries()) {
      assert.equal(p.at, next, 'contiguous');
      assert.equal(p.len, p.bufs.reduce((n, b) => n + b.length, 0));
      assert.ok(p.len > 0 && p.len <= WRITE_MAX, `piece ${i} is ${p.len} bytes`);
      if (i < pieces.length - 1) assert.equal((p.at + p.len) % WRITE_MAX, 0, `piece ${i} ends aligned`);
      next += p.len;
    }
    const all = Buffer.concat(chunks);
    assert.equal(next, at + all.length);
    assert.equal(sha(Buffer.concat(pieces.flatMap((p) => p.bufs))), sha(all));
    assert.equal(pieces[0].len, 5, 'the first piece only reaches the next boundary');
    // 64 KiB buffers from an aligned offset: 16 to a piece
    const small = writePieces(Array.from({ length: 32 }, () => Buffer.alloc(64 * 1024)), 0);
    assert.deepEqual(small.map((p) => p.bufs.length), [16, 16]);
    assert.deepEqual(writePieces([], 7), []);
  });

  it('an upload at an odd offset lands byte for byte, in writes of at most 1 MiB; progress; bytes around untouched', async () => {
    const f = join(dir, 'up.img');
    const before = randomBytes(20 * MiB);
    writeFileSync(f, before);
    const data = randomBytes(9 * MiB + 12345);
    const offset = 3 * MiB + 77;
    const seen: number[] = [];
    // like an efficient client: large buffers, then odd sizes
    const parts = [data.subarray(0, 8 * MiB), data.subarray(8 * MiB, 8 * MiB + 1), data.subarray(8 * MiB + 1)];
    const sizes = await recordWrites(dir, async (sizes) => {
      const ws = await openUpload(f, offset, data.length, { onProgress: (d, t) => seen.push(d, t) });
      await pipeline(Readable.from(parts), ws);
      return [...sizes];
    });
    const got = readFileSync(f);
    assert.equal(got.length, before.length);
    assert.equal(sha(got.subarray(offset, offset + data.length)), sha(data));
    assert.equal(sha(got.subarray(0, offset)), sha(before.subarray(0, offset)));
    assert.equal(sha(got.subarray(offset + data.length)), sha(before.subarray(offset + data.length)));
    assert.ok(sizes.length >= 10, `${sizes.length} writes`);
    assert.ok(Math.max(...sizes) <= WRITE_MAX, `largest write ${Math.max(...sizes)}`);
    assert.deepEqual(seen.slice(-2), [data.length, data.length]);
    // thousands of small buffers gathered into one piece (more than IOV_MAX) still land in order
    const tiny = Array.from({ length: 3000 }, () => randomBytes(700));
    const ws = await openUpload(f, 9, 0);
    await pipeline(Readable.from(tiny), ws);
    assert.equal(sha(readFileSync(f).subarray(9, 9 + 3000 * 700)), sha(Buffer.concat(tiny)));
  });

  it('an upload past its length fails as libvirt does; what fitted before has landed', async () => {
    const f = join(dir, 'short.img');
    writeFileSync(f, Buffer.alloc(4 * MiB));
    const ws = await openUpload(f, 1, 2 * MiB);
    const first = randomBytes(MiB + 3);
    await assert.rejects(pipeline(Readable.from([first, Buffer.alloc(MiB, 9)]), ws), (e: { code?: number; message?: string }) => {
      assert.equal(e.code, VIR_ERR_SYSTEM_ERROR);
      assert.match(e.message ?? '', /cannot write to stream: No space left on device/);
      return true;
    });
    assert.equal(sha(readFileSync(f).subarray(1, 1 + first.length)), sha(first));
  });

  it('a failed write is reported after the writes in flight settle, as a system error', async () => {
    const f = join(dir, 'fail.img');
    writeFileSync(f, Buffer.alloc(0));
    const probe = await fsp.open(f, 'r');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const { writev } = proto;
    let calls = 0;
    let inFlight = 0;
    proto.writev = async function (this: FileHandle, bufs: NodeJS.ArrayBufferView[], pos?: number) {
      calls++;
      if (calls === 2) {
        const e = Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        throw e;
      }
      inFlight++;
      try {
        await new Promise((r) => setTimeout(r, 20));
        return await writev.call(this, bufs, pos);
      } finally {
        inFlight--;
      }
    } as FileHandle['writev'];
    try {
      const ws = await openUpload(f, 0, 0);
      await assert.rejects(pipeline(Readable.from([Buffer.alloc(8 * MiB, 1)]), ws), (e: { code?: number; message?: string }) => {
        assert.equal(e.code, VIR_ERR_SYSTEM_ERROR);
        assert.equal(e.message, `cannot write to '${f}': Input/output error`);
        return true;
      });
      assert.equal(inFlight, 0, 'no write left running');
      assert.ok(calls < 8, `writing stopped after the failure (${calls} writes)`);
    } finally {
      proto.writev = writev;
    }
  });

  it('a download with an odd offset and length comes in chunks of at most 1 MiB that add up to the range', async () => {
    const f = join(dir, 'down.img');
    const data = randomBytes(7 * MiB + 333);
    writeFileSync(f, data);
    for (const [offset, length] of [
      [MiB - 1, 3 * MiB + 2],
      [5, 0],
      [6 * MiB + 1, 10 * MiB],
    ]) {
      const seen: number[] = [];
      const rs = await openDownload(f, offset, length, { onProgress: (d) => seen.push(d) });
      const chunks: Buffer[] = [];
      for await (const c of rs) chunks.push(c as Buffer);
      const want = data.subarray(offset, length > 0 ? offset + length : undefined);
      assert.equal(sha(Buffer.concat(chunks)), sha(want), `range ${offset}+${length}`);
      assert.ok(chunks.every((c) => c.length <= DOWNLOAD_CHUNK));
      assert.equal(seen.at(-1), want.length);
      // every chunk is the consumer's own: none shares memory with another
      assert.equal(new Set(chunks.map((c) => c.buffer)).size, chunks.length);
    }
  });
});
