/**
 * A byte arena for compact (idle) domains: each entry is a small header with the numbers
 * getInfo needs (max memory, memory, vCPUs) and the domain's XML, its most common markup
 * (`<domain type='test'>`, `<memory unit='KiB'>`, the canonical indentation...) coded as
 * single control characters, which XML documents cannot contain (a typical definition of
 * 250-600 bytes keeps 60-150). Entries share 256 KiB chunks instead of costing a heap object
 * each; a domain keeps only a handle (a small integer). A chunk is freed when its last entry
 * is released.
 */

const CHUNK = 256 * 1024;
/** Handles are chunkIndex * CHUNK + offset, which stays a small integer (< 2^31). */
const MAX_CHUNKS = Math.floor(0x7fffffff / CHUNK);
/** maxMem (f64), memory (f64), vcpus (u32), data length (u32), kind (u8), coded (u8), UUID (16 bytes). */
const HEADER = 42;
/** Where the UUID's bytes start in an entry. */
const UUID_AT = 26;

/** The markup the codes stand for, by code (longest first where one is a prefix of another). */
const TOKENS = [
  "<domain type='test'>",
  '</domain>',
  '<name>',
  '</name>',
  '<uuid>',
  '</uuid>',
  "<memory unit='KiB'>",
  '</memory>',
  "<currentMemory unit='KiB'>",
  '</currentMemory>',
  "<vcpu placement='static'>",
  '<vcpu>',
  '</vcpu>',
  '<os>',
  '</os>',
  "<type arch='i686'>hvm</type>",
  '<type>hvm</type>',
  "<clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>",
  '<devices>',
  '</devices>',
  "<disk type='file' device='disk'>",
  '</disk>',
  "<source file='",
  "<target dev='",
  "' bus='virtio'/>",
  '\n      ',
  '\n    ',
  '\n  ',
];
/** The code characters: C0 controls other than tab, newline and carriage return. */
const CODES = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];
const CODE_RE = /[\x01-\x08\x0b\x0c\x0e-\x1f]/g;
const HAS_CODE = /[\x01-\x08\x0b\x0c\x0e-\x1f]/;

/** The coding tables, built when the arena is first used (not at every start of the driver). */
interface Codec {
  codeOf: Map<string, string>;
  tokenOf: string[];
  tokenRE: RegExp;
}
let codec: Codec | undefined;

function codecOf(): Codec {
  if (codec) return codec;
  const codeOf = new Map(TOKENS.map((t, i) => [t, String.fromCharCode(CODES[i]!)]));
  const tokenOf: string[] = [];
  TOKENS.forEach((t, i) => (tokenOf[CODES[i]!] = t));
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const tokenRE = new RegExp(TOKENS.map(escape).join('|'), 'g');
  return (codec = { codeOf, tokenOf, tokenRE });
}

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

/** The chunk buffer of a handle (its offset there is `handle % CHUNK`). */
function bufOf(handle: number): Buffer {
  return chunks[Math.floor(handle / CHUNK)]!.buf;
}

/**
 * Stores `xml` with the getInfo numbers, the domain's UUID (lower-case with dashes) and a
 * caller-defined `kind` (0-255); returns the entry's handle.
 */
export function arenaStore(xml: string, uuid: string, maxMem: number, memory: number, vcpus: number, kind = 0): number {
  // a document that somehow holds a code character is kept as it is
  const coded = !HAS_CODE.test(xml);
  let text = xml;
  if (coded) {
    const { codeOf, tokenRE } = codecOf();
    text = xml.replace(tokenRE, (t) => codeOf.get(t)!);
  }
  const dataLen = Buffer.byteLength(text, 'utf8');
  const len = HEADER + dataLen;
  let ci: number;
  if (len > CHUNK / 4) ci = newChunk(len); // large documents get a chunk of their own
  else {
    if (current < 0 || chunks[current]!.used + len > CHUNK) current = newChunk(CHUNK);
    ci = current;
  }
  const c = chunks[ci]!;
  const off = c.used;
  const b = c.buf;
  b.writeDoubleLE(maxMem, off);
  b.writeDoubleLE(memory, off + 8);
  b.writeUInt32LE(vcpus, off + 16);
  b.writeUInt32LE(dataLen, off + 20);
  b[off + 24] = kind;
  b[off + 25] = coded ? 1 : 0;
  b.write(uuid.replace(/-/g, ''), off + UUID_AT, 16, 'hex');
  b.write(text, off + HEADER, dataLen, 'utf8');
  c.used += len;
  c.live++;
  return ci * CHUNK + off;
}

/** The UUID stored at `handle`, lower-case with dashes. */
export function arenaUUID(handle: number): string {
  const off = handle % CHUNK + UUID_AT;
  const h = bufOf(handle).toString('hex', off, off + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The XML stored at `handle`. */
export function arenaLoad(handle: number): string {
  const b = bufOf(handle);
  const off = handle % CHUNK;
  const start = off + HEADER;
  const text = b.toString('utf8', start, start + b.readUInt32LE(off + 20));
  if (b[off + 25] !== 1) return text;
  const { tokenOf } = codecOf();
  return text.replace(CODE_RE, (c) => tokenOf[c.charCodeAt(0)]!);
}

/** The `kind` stored with the entry. */
export function arenaKind(handle: number): number {
  return bufOf(handle)[(handle % CHUNK) + 24]!;
}

/** Max memory (KiB) stored with the entry. */
export function arenaMaxMem(handle: number): number {
  const b = bufOf(handle);
  const off = handle % CHUNK;
  return b.readDoubleLE(off);
}

/** Balloon memory (KiB) stored with the entry. */
export function arenaMemory(handle: number): number {
  const b = bufOf(handle);
  const off = handle % CHUNK;
  return b.readDoubleLE(off + 8);
}

/** Online vCPUs stored with the entry. */
export function arenaVcpus(handle: number): number {
  const b = bufOf(handle);
  const off = handle % CHUNK;
  return b.readUInt32LE(off + 16);
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
