/**
 * A qcow2 header reader, for re-probing volumes whose format the driver already knows
 * (after create, resize, on getInfo/getXMLDesc) without spawning qemu-img: virtual size,
 * backing file and backing format, compat level. Pool refresh still probes unknown files
 * with `qemu-img info`.
 */
import { promises as fsp } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** What the header says. */
export interface Qcow2Header {
  virtualSize: number;
  backing?: string;
  backingFormat?: string;
  compat: string;
  clusterSize: number;
  lazyRefcounts: boolean;
}

const MAGIC = 0x514649fb; // "QFI\xfb"
const EXT_BACKING_FORMAT = 0xe2792aca;

/** Reads the qcow2 header of `path`; undefined when it is not a qcow2 image. */
export async function readQcow2Header(path: string): Promise<Qcow2Header | undefined> {
  const fh = await fsp.open(path, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead < 72 || buf.readUInt32BE(0) !== MAGIC) return undefined;
    const version = buf.readUInt32BE(4);
    if (version !== 2 && version !== 3) return undefined;
    const backingOff = Number(buf.readBigUInt64BE(8));
    const backingLen = buf.readUInt32BE(16);
    const size = Number(buf.readBigUInt64BE(24));
    const out: Qcow2Header = {
      virtualSize: size,
      compat: version === 2 ? '0.10' : '1.1',
      clusterSize: 2 ** buf.readUInt32BE(20),
      lazyRefcounts: version === 3 && (buf.readBigUInt64BE(80) & 1n) === 1n,
    };
    const headerLen = version === 3 && bytesRead >= 104 ? buf.readUInt32BE(100) : 72;
    // header extensions: type(4) len(4) data, padded to 8, until type 0
    let off = headerLen;
    while (off + 8 <= bytesRead) {
      const type = buf.readUInt32BE(off);
      const len = buf.readUInt32BE(off + 4);
      if (type === 0) break;
      if (type === EXT_BACKING_FORMAT && off + 8 + len <= bytesRead) out.backingFormat = buf.toString('utf8', off + 8, off + 8 + len);
      off += 8 + Math.ceil(len / 8) * 8;
    }
    if (backingOff && backingLen) {
      const b = Buffer.alloc(backingLen);
      await fh.read(b, 0, backingLen, backingOff);
      const name = b.toString('utf8');
      out.backing = isAbsolute(name) ? name : resolve(dirname(path), name);
    }
    return out;
  } finally {
    await fh.close();
  }
}
