/**
 * A byte arena for the canonical XML of compact (idle) domains. Ten thousand small buffers
 * would cost a heap object each; here they share 256 KiB chunks, and a domain keeps only a
 * handle and a length (two small integers). A chunk is freed when its last entry is released.
 */

const CHUNK = 256 * 1024;
/** Handles are chunkIndex * CHUNK + offset, which stays a small integer (< 2^31). */
const MAX_CHUNKS = Math.floor(0x7fffffff / CHUNK);

interface Chunk {
  buf: Buffer;
  used: number;
  live: number;
}

const chunks: (Chunk | undefined)[] = [];
let current = -1;

function newChunk(size: number): number {
  let i = chunks.indexOf(undefined);
  if (i < 0) {
    if (chunks.length >= MAX_CHUNKS) throw new RangeError('xml arena is full');
    i = chunks.length;
    chunks.push(undefined);
  }
  chunks[i] = { buf: Buffer.allocUnsafe(size), used: 0, live: 0 };
  return i;
}

/** Stores `s` (UTF-8); returns [handle, byteLength]. */
export function arenaStore(s: string): [number, number] {
  const len = Buffer.byteLength(s, 'utf8');
  let ci: number;
  if (len > CHUNK / 4) ci = newChunk(len); // large documents get a chunk of their own
  else {
    if (current < 0 || chunks[current]!.used + len > CHUNK) current = newChunk(CHUNK);
    ci = current;
  }
  const c = chunks[ci]!;
  const off = c.used;
  c.buf.write(s, off, len, 'utf8');
  c.used += len;
  c.live++;
  return [ci * CHUNK + off, len];
}

/** The string stored at `handle`. */
export function arenaLoad(handle: number, len: number): string {
  const c = chunks[Math.floor(handle / CHUNK)]!;
  const off = handle % CHUNK;
  return c.buf.toString('utf8', off, off + len);
}

/** Releases an entry; frees its chunk once nothing in it is live. */
export function arenaRelease(handle: number): void {
  const ci = Math.floor(handle / CHUNK);
  const c = chunks[ci];
  if (!c) return;
  if (--c.live === 0) {
    chunks[ci] = undefined;
    if (ci === current) current = -1;
  }
}
