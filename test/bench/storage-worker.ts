/**
 * virtkit's side of the storage benchmark (storage.bench.ts), in a process of its own as
 * libvirt's side is (a python3-libvirt client): the bench process forks cp and keeps the
 * results, and neither should weigh on the timed operations. One operation per stdin line;
 * prints its time in seconds (0 for the untimed setup lines).
 *
 * Run by storage.bench.ts, bundled with esbuild: node storage-worker.mjs WORK POOLNAME
 */
import { createInterface } from 'node:readline';
import { createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { connect, registerDriver, type StorageVol } from '@virtkit/core';
import { driver } from '@virtkit/driver-storage';

// bundled: the registry cannot import the driver package by name from the bundle's directory
registerDriver(driver);

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const [work, poolName] = process.argv.slice(2) as [string, string];
const dir = join(work, 'pool');
const src = join(work, 'src-512M.bin');
const down = join(work, 'vk-down.bin');

const volXML = (name: string, cap: number, fmt: string, alloc?: number) =>
  `<volume><name>${name}</name><capacity unit='bytes'>${cap}</capacity>` +
  (alloc === undefined ? '' : `<allocation unit='bytes'>${alloc}</allocation>`) +
  `<target><format type='${fmt}'/></target></volume>`;

/**
 * Feeds a file into an upload stream the way an efficient client does: two 8 MiB buffers,
 * each refilled only after the stream's write callback released it (no allocation per chunk).
 */
async function uploadFile(path: string, ws: Writable): Promise<void> {
  const fh = await fsp.open(path, 'r');
  const bufs = [Buffer.allocUnsafe(8 * MiB), Buffer.allocUnsafe(8 * MiB)];
  const released: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  const failed = new Promise<never>((_, rej) => ws.once('error', rej));
  failed.catch(() => {});
  try {
    for (let i = 0, pos = 0; ; i ^= 1) {
      await Promise.race([released[i], failed]);
      const { bytesRead } = await fh.read(bufs[i]!, 0, bufs[i]!.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      released[i] = new Promise<void>((res, rej) => ws.write(bufs[i]!.subarray(0, bytesRead), (e) => (e ? rej(e) : res())));
    }
    await Promise.race([Promise.all(released), failed]);
    await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
  } finally {
    await fh.close();
  }
}

const conn = await connect(`storage:///embed?root=${join(work, 'root')}`);
const pool = await conn.createStoragePoolXML(`<pool type='dir'><name>${poolName}</name><target><path>${dir}</path></target></pool>`);
const srcVol = await pool.lookupStorageVolByName('vk-src.img');
// one fresh sparse volume per upload path, each then downloaded by the same path
const up: Partial<Record<'stream' | 'file', StorageVol>> = {};
const timed: Record<string, () => Promise<unknown>> = {
  'create-qcow2-10G': () => pool.createVolXML(volXML('vk-q.qcow2', 10 * GiB, 'qcow2')),
  'create-raw-1G-alloc': () => pool.createVolXML(volXML('vk-full.img', GiB, 'raw', GiB)),
  'clone-raw-512M': () => pool.createVolXMLFrom(volXML('vk-clone.img', 512 * MiB, 'raw'), srcVol),
  'upload-512M-stream': async () => uploadFile(src, await up.stream!.upload(0, 512 * MiB)),
  'upload-512M-file': () => up.file!.uploadFromFile(src, { length: 512 * MiB }),
  // a plain file stream writes each 1 MiB chunk as it comes; a larger highWaterMark would
  // gather them into writes of 2 MiB and more, for which this VM allocates page cache
  // several times slower (see WRITE_MAX in drivers/storage/src/copy.ts), whoever writes
  'download-512M-stream': async () => pipeline(await up.stream!.download(0, 512 * MiB), createWriteStream(down)),
  'download-512M-file': () => up.file!.downloadToFile(down, { length: 512 * MiB }),
};

try {
  for await (const line of createInterface({ input: process.stdin })) {
    const op = line.trim();
    if (op === 'prepare-upload') {
      up.stream = await pool.createVolXML(volXML('vk-up-stream.img', 512 * MiB, 'raw', 0));
      up.file = await pool.createVolXML(volXML('vk-up-file.img', 512 * MiB, 'raw', 0));
      console.log(0);
      continue;
    }
    if (op === 'finish-download') {
      await up.stream!.delete();
      await up.file!.delete();
      console.log(0);
      continue;
    }
    const run = timed[op];
    if (!run) throw new Error(`unknown operation '${op}'`);
    const t0 = performance.now();
    const made = await run();
    const el = (performance.now() - t0) / 1000;
    if (op.startsWith('create') || op.startsWith('clone')) await (made as StorageVol).delete();
    if (op.startsWith('download')) await fsp.rm(down, { force: true });
    console.log(el);
  }
} finally {
  await pool.destroy();
  await conn.close();
}
