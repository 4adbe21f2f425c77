/**
 * A byte arena for compact (idle) domains: each entry is a small header with the numbers
 * getInfo needs (max memory, memory, vCPUs) and the domain's canonical XML, deflated against
 * a fixed dictionary of what canonical domain XML looks like (a typical definition of ~600
 * bytes deflates to ~70). Entries share 256 KiB chunks instead of costing a heap object each;
 * a domain keeps only a handle (a small integer). A chunk is freed when its last entry is
 * released.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const CHUNK = 256 * 1024;
/** Handles are chunkIndex * CHUNK + offset, which stays a small integer (< 2^31). */
const MAX_CHUNKS = Math.floor(0x7fffffff / CHUNK);
/** maxMem (f64), memory (f64), vcpus (u32), deflated length (u32), XML length (u32), kind (u8). */
const HEADER = 29;

/**
 * The preset dictionary: fragments of canonical domain XML as the test driver formats it,
 * the most common last (deflate finds them at the shortest distances).
 */
const DICTIONARY = Buffer.from(
  [
    "    <controller type='usb' index='0'/>\n    <controller type='pci' index='0' model='pci-root'/>\n",
    "    <input type='mouse' bus='ps2'/>\n    <input type='keyboard' bus='ps2'/>\n",
    "    <video>\n      <model type='vga' vram='16384' heads='1' primary='yes'/>\n    </video>\n",
    "    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n",
    "    <memballoon model='virtio'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n    </memballoon>\n",
    "    <graphics type='vnc' port='-1' autoport='yes'>\n      <listen type='address'/>\n    </graphics>\n",
    "    <interface type='bridge'>\n      <mac address='52:54:00:",
    "'/>\n      <source bridge='br0'/>\n      <target dev='testnet0'/>\n      <model type='virtio'/>\n    </interface>\n",
    "    <interface type='network'>\n      <mac address='52:54:00:",
    "'/>\n      <source network='default'/>\n      <target dev='testnet0'/>\n    </interface>\n",
    "    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n      <source file='/var/lib/libvirt/images/",
    ".iso'/>\n      <target dev='hdc' bus='ide'/>\n      <readonly/>\n    </disk>\n",
    "  <description></description>\n  <title></title>\n  <vcpu placement='static' current='1'>2</vcpu>\n",
    "  <features>\n    <acpi/>\n    <apic/>\n    <pae/>\n  </features>\n",
    "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='/var/lib/libvirt/images/",
    ".qcow2'/>\n      <target dev='sda' bus='scsi'/>\n      <target dev='hda' bus='ide'/>\n    </disk>\n",
    "<domain type='test'>\n  <name></name>\n  <uuid></uuid>\n  <memory unit='KiB'>1048576</memory>\n",
    "  <currentMemory unit='KiB'>1048576</currentMemory>\n  <vcpu placement='static'>1</vcpu>\n",
    "  <os>\n    <type arch='i686'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n",
    "  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n",
    "  <on_crash>destroy</on_crash>\n  <devices>\n    <disk type='file' device='disk'>\n      <source file='/var/lib/",
    ".img'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n  </devices>\n</domain>\n",
  ].join(''),
);
/** Output buffers sized for what one entry needs (zlib's default is 16 KiB a call). */
const DEFLATE = { dictionary: DICTIONARY, chunkSize: 512 };

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
 * Stores `xml` with the getInfo numbers and a caller-defined `kind` (0-255); returns the
 * entry's handle.
 */
export function arenaStore(xml: string, maxMem: number, memory: number, vcpus: number, kind = 0): number {
  const data = deflateRawSync(xml, DEFLATE);
  const len = HEADER + data.length;
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
  b.writeUInt32LE(data.length, off + 20);
  b.writeUInt32LE(Buffer.byteLength(xml, 'utf8'), off + 24);
  b[off + 28] = kind;
  data.copy(b, off + HEADER);
  c.used += len;
  c.live++;
  return ci * CHUNK + off;
}

/** The XML stored at `handle`. */
export function arenaLoad(handle: number): string {
  const b = bufOf(handle);
  const off = handle % CHUNK;
  const start = off + HEADER;
  const data = b.subarray(start, start + b.readUInt32LE(off + 20));
  // one output buffer of the right size (+1: zlib asks for more room when it fills exactly)
  return inflateRawSync(data, { dictionary: DICTIONARY, chunkSize: Math.max(64, b.readUInt32LE(off + 24) + 1) }).toString('utf8');
}

/** The `kind` stored with the entry. */
export function arenaKind(handle: number): number {
  return bufOf(handle)[(handle % CHUNK) + 28]!;
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
