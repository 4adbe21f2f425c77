/**
 * Guest disks with the storage driver: a directory pool, a raw volume filled through an upload
 * stream (with progress), a qcow2 clone of it, a download into a local file, and clean-up.
 * Everything lives under DIR (the pool in DIR/pool, the driver's state in DIR/state).
 *
 *   npx tsx examples/storage-volumes.ts DIR
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@virtkit/core';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: storage-volumes.ts DIR');
  process.exit(2);
}
const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
mkdirSync(join(dir, 'pool'), { recursive: true });

const conn = await connect(`storage:///embed?root=${join(dir, 'state')}`);
// an upload is followed by a pool refresh (after it returns, as in libvirt) and its event
let refreshes = 0;
conn.on('storage-pool-refresh', () => refreshes++);
try {
  const pool = await conn.createStoragePoolXML(`<pool type='dir'><name>demo</name><target><path>${join(dir, 'pool')}</path></target></pool>`);
  const disk = await pool.createVolXML(
    "<volume><name>disk.img</name><capacity unit='MiB'>8</capacity><allocation>0</allocation><target><format type='raw'/></target></volume>",
  );
  const info = await disk.getInfo();
  console.log(`created ${disk.getName()}: capacity ${info.capacity}, allocation ${info.allocation}`);

  // 4 MiB of data from offset 1 MiB, through the upload stream
  const data = Buffer.alloc(4 * MiB);
  for (let i = 0; i < data.length; i += 4096) data.write(`block ${i / 4096}\n`, i);
  let last = 0;
  const sink = await disk.upload(MiB, data.length, 0, { onProgress: (done, total) => (last = Math.round((100 * done) / total)) });
  await new Promise<void>((resolve, reject) => sink.on('error', reject).end(data, resolve));
  console.log(`uploaded ${data.length} bytes (${last}%)`);

  const clone = await pool.createVolXMLFrom("<volume><name>copy.qcow2</name><capacity unit='MiB'>8</capacity><target><format type='qcow2'/></target></volume>", disk);
  const cloneXML = await clone.getXMLDesc();
  console.log(`cloned to ${clone.getName()}: format ${/<format type='(\w+)'/.exec(cloneXML)?.[1]}, capacity ${(await clone.getInfo()).capacity}`);

  const out = join(dir, 'downloaded.bin');
  await disk.downloadToFile(out, { offset: MiB, length: data.length });
  console.log(`download equals upload: ${sha(readFileSync(out)) === sha(data)}`);

  await clone.delete();
  await disk.delete();
  console.log(`volumes left: ${(await pool.listAllVolumes()).length}, refresh events: ${refreshes}`);
  await pool.destroy();
} finally {
  await conn.close();
}
