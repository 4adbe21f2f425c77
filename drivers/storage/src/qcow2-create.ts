/**
 * Creating an empty qcow2 (version 2, "compat 0.10", 64 KiB clusters, no backing file) in
 * process, byte for byte what `qemu-img create -f qcow2 -o compat=0.10 PATH SIZE` writes:
 * header cluster, refcount table (cluster 1), one refcount block (cluster 2), then the zeroed
 * L1 table, all written (the same blocks allocated). Spawning qemu-img costs a fork of this
 * whole process; this costs two writes.
 * Anything else (backing files, compat 1.1, features, preallocation) still goes to qemu-img.
 */
import { constants, promises as fsp } from 'node:fs';

const CLUSTER_BITS = 16;
const CLUSTER = 1 << CLUSTER_BITS;
/** Bytes one L1 entry maps: an L2 table of CLUSTER/8 entries, each mapping one cluster. */
const L1_ENTRY_SPAN = CLUSTER * (CLUSTER / 8);

/** Whether `writeQcow2v2` can make this image (sizes qemu-img accepts, metadata in one refcount block). */
export function canWriteQcow2v2(size: number): boolean {
  return Number.isSafeInteger(size) && size >= 0 && size % 512 === 0 && size <= 2 ** 50;
}

/** Writes a new, empty qcow2 v2 image of `size` bytes at `path` (which must not exist). */
export async function writeQcow2v2(path: string, size: number, mode: number): Promise<void> {
  const l1Size = Math.ceil(size / L1_ENTRY_SPAN);
  const l1Clusters = Math.ceil((l1Size * 8) / CLUSTER);
  const metaClusters = 3 + l1Clusters;
  const l1Offset = 3 * CLUSTER;
  // header, refcount table and refcount block: the first three clusters
  const meta = Buffer.alloc(3 * CLUSTER);
  meta.writeUInt32BE(0x514649fb, 0); // magic "QFI\xfb"
  meta.writeUInt32BE(2, 4); // version
  meta.writeBigUInt64BE(0n, 8); // backing_file_offset
  meta.writeUInt32BE(0, 16); // backing_file_size
  meta.writeUInt32BE(CLUSTER_BITS, 20);
  meta.writeBigUInt64BE(BigInt(size), 24);
  meta.writeUInt32BE(0, 32); // crypt_method
  meta.writeUInt32BE(l1Size, 36);
  meta.writeBigUInt64BE(BigInt(l1Size ? l1Offset : 0), 40); // an empty image has no L1 table
  meta.writeBigUInt64BE(BigInt(CLUSTER), 48); // refcount_table_offset
  meta.writeUInt32BE(1, 56); // refcount_table_clusters
  meta.writeUInt32BE(0, 60); // nb_snapshots
  meta.writeBigUInt64BE(0n, 64); // snapshots_offset
  meta.writeBigUInt64BE(BigInt(2 * CLUSTER), CLUSTER); // refcount table[0] -> refcount block
  for (let i = 0; i < metaClusters; i++) meta.writeUInt16BE(1, 2 * CLUSTER + 2 * i);
  const fh = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await fh.write(meta, 0, meta.length, 0);
    // the zeroed L1 table is written, not left a hole: same allocation as qemu-img's file
    if (l1Size) await fh.write(Buffer.alloc(l1Size * 8), 0, l1Size * 8, l1Offset);
  } finally {
    await fh.close();
  }
}
