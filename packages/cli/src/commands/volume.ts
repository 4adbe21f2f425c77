/**
 * Storage volume commands: vol-list, vol-info, vol-dumpxml, vol-create, vol-create-as,
 * vol-clone, vol-delete, vol-wipe, vol-resize, vol-upload, vol-download, vol-path, vol-key,
 * vol-name. Output as virsh-volume.c; upload, download and clone draw a progress bar.
 */
import { statSync } from 'node:fs';
import type { Transform } from 'node:stream';
import type { StorageVol } from '../api.js';
import { attempt, type Cmd, CmdError, type Ctl, libvirtOnly, parseScaled } from '../context.js';
import { readInput, strerror, userPath } from '../files.js';
import { byNameCI, field, prettyCapacity, volTypeName, withNewline } from '../format.js';
import { lookupPool, lookupVol } from '../lookup.js';
import { progressFor } from '../progress.js';
import { formatTable } from '../table.js';
import type { CommandImpl } from './types.js';

async function volPath(vol: StorageVol): Promise<string> {
  return await vol.getPath();
}

async function volList(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { pool } = await lookupPool(ctl, cmd);
  const vols = (await attempt('Failed to list volumes', () => pool.listAllVolumes(0))).sort((a, b) =>
    byNameCI(a.getName(), b.getName()),
  );
  const rows = await Promise.all(
    vols.map(async (v) => {
      const info = await v.getInfo().catch(() => undefined);
      return { name: v.getName(), path: await volPath(v).catch(() => undefined), info };
    }),
  );
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(
      rows.map((r) => ({
        name: r.name,
        path: r.path ?? null,
        type: r.info ? volTypeName(r.info.type) : null,
        capacity: r.info?.capacity ?? null,
        allocation: r.info?.allocation ?? null,
      })),
    );
    return;
  }
  if (!cmd.bool('details')) {
    ctl.print(formatTable(['Name', 'Path'], rows.map((r) => [r.name, r.path ?? '-']), !ctl.quiet));
    return;
  }
  const table = rows.map((r) => [
    r.name,
    r.path ?? '-',
    r.info ? volTypeName(r.info.type) : '-',
    r.info ? prettyCapacity(r.info.capacity) : '-',
    r.info ? prettyCapacity(r.info.allocation) : '-',
  ]);
  ctl.print(formatTable(['Name', 'Path', 'Type', 'Capacity', 'Allocation'], table, !ctl.quiet));
}

async function volInfo(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol } = await lookupVol(ctl, cmd);
  const info = await attempt('Failed to get volume information', () => vol.getInfo());
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON({ name: vol.getName(), type: volTypeName(info.type), capacity: info.capacity, allocation: info.allocation });
    return;
  }
  const size = (v: number): string => (cmd.bool('bytes') ? `${v} bytes` : prettyCapacity(v));
  ctl.print(field('Name:', vol.getName()));
  ctl.print(field('Type:', volTypeName(info.type)));
  ctl.print(field('Capacity:', size(info.capacity)));
  ctl.print(field('Allocation:', size(info.allocation)));
}

async function volDumpxml(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol } = await lookupVol(ctl, cmd);
  ctl.value(cmd, withNewline(await libvirtOnly(() => vol.getXMLDesc(0))), false);
}

async function volCreate(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { pool } = await lookupPool(ctl, cmd);
  const file = cmd.req('file');
  const xml = await readInput(ctl, file);
  const flags = (cmd.bool('prealloc-metadata') ? 1 : 0) | (cmd.bool('validate') ? 4 : 0);
  const vol = await attempt(`Failed to create vol from ${file}`, () => pool.createVolXML(xml, flags));
  ctl.extra(`Vol ${vol.getName()} created from ${file}\n`);
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

async function volCreateAs(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { pool } = await lookupPool(ctl, cmd);
  const name = cmd.req('name');
  const capText = cmd.req('capacity');
  const capacity = parseScaled(capText, 1);
  if (capacity === undefined) throw new CmdError(`Malformed size ${capText}`);
  const allocText = cmd.str('allocation');
  const allocation = allocText === undefined ? undefined : parseScaled(allocText, 1);
  if (allocText !== undefined && allocation === undefined) throw new CmdError(`Malformed size ${allocText}`);
  const format = cmd.str('format');
  const backing = cmd.str('backing-vol');
  let xml = `<volume>\n  <name>${esc(name)}</name>\n  <capacity>${capacity}</capacity>\n`;
  if (allocation !== undefined) xml += `  <allocation>${allocation}</allocation>\n`;
  if (format) xml += `  <target>\n    <format type='${esc(format)}'/>\n  </target>\n`;
  if (backing) {
    // The backing volume may be named in this pool or by key/path, as virsh resolves it.
    const bvol = await lookupVol(ctl, cmd, 'backing-vol');
    const bpath = await volPath(bvol.vol);
    xml += `  <backingStore>\n    <path>${esc(bpath)}</path>\n`;
    const bfmt = cmd.str('backing-vol-format');
    if (bfmt) xml += `    <format type='${esc(bfmt)}'/>\n`;
    xml += '  </backingStore>\n';
  }
  xml += '</volume>\n';
  if (cmd.bool('print-xml')) {
    ctl.print(xml);
    return;
  }
  const flags = cmd.bool('prealloc-metadata') ? 1 : 0;
  await attempt(`Failed to create vol ${name}`, () => pool.createVolXML(xml, flags));
  ctl.extra(`Vol ${name} created\n`);
}

async function volClone(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol } = await lookupVol(ctl, cmd);
  const newName = cmd.req('newname');
  const pool = await attempt('failed to get parent pool', () => ctl.conn.lookupStoragePoolByVolume(vol));
  const orig = await attempt('Failed to get volume XML', () => vol.getXMLDesc(0));
  // virshMakeCloneXML: the original's document with the new name; the key is the driver's.
  const xml = orig.replace(/<name>[\s\S]*?<\/name>/, `<name>${esc(newName)}</name>`).replace(/\s*<key>[\s\S]*?<\/key>/, '');
  if (cmd.bool('print-xml')) {
    ctl.print(withNewline(xml));
    return;
  }
  const flags = (cmd.bool('prealloc-metadata') ? 1 : 0) | (cmd.bool('reflink') ? 2 : 0);
  const progress = progressFor(ctl, 'Clone', false);
  try {
    await attempt(`Failed to clone vol from ${vol.getName()}`, () => pool.createVolXMLFrom(xml, vol, flags, { onProgress: progress?.update }));
  } finally {
    progress?.done();
  }
  ctl.extra(`Vol ${newName} cloned from ${vol.getName()}\n`);
}

async function volDelete(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol, name } = await lookupVol(ctl, cmd);
  await attempt(`Failed to delete vol ${name}`, () => vol.delete(cmd.bool('delete-snapshots') ? 2 : 0));
  ctl.extra(`Vol ${name} deleted\n`);
}

const WIPE_ALGORITHMS = ['zero', 'nnsa', 'dod', 'bsi', 'gutmann', 'schneier', 'pfitzner7', 'pfitzner33', 'random', 'trim'];

async function volWipe(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol, name } = await lookupVol(ctl, cmd);
  const algName = cmd.str('algorithm');
  const alg = algName === undefined ? 0 : WIPE_ALGORITHMS.indexOf(algName);
  if (alg < 0) throw new CmdError(`Unsupported algorithm '${algName}'`);
  await attempt(`Failed to wipe vol ${name}`, async () => {
    // virsh calls virStorageVolWipe for the default (zero) algorithm
    if (alg !== 0) await vol.wipePattern(alg, 0);
    else await vol.wipe(0);
  });
  ctl.extra(`Vol ${name} wiped\n`);
}

async function volResize(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol, name } = await lookupVol(ctl, cmd);
  let text = cmd.req('capacity');
  let flags = 0;
  if (cmd.bool('allocate')) flags |= 1;
  if (cmd.bool('delta')) flags |= 2;
  if (cmd.bool('shrink')) flags |= 4;
  if (text.startsWith('-')) {
    // the API takes sizes only; virsh reads a negative one as "shrink by", with --shrink
    if (!cmd.bool('shrink')) throw new CmdError('negative size requires --shrink');
    text = text.slice(1);
    flags |= 2;
  }
  const capacity = parseScaled(text, 1);
  if (capacity === undefined) throw new CmdError(`Malformed size ${text}`);
  const how = flags & 2 ? 'by' : 'to';
  await attempt(`Failed to change size of volume '${name}' ${how} ${text}`, () => vol.resize(capacity, flags));
  ctl.extra(`Size of volume '${name}' successfully changed ${how} ${text}\n`);
}

/** Node's stream modules, loaded only by the commands that stream (start-up stays lean). */
async function streams(): Promise<{
  fs: typeof import('node:fs');
  pipeline: typeof import('node:stream/promises').pipeline;
  Transform: typeof import('node:stream').Transform;
}> {
  const [fs, sp, st] = await Promise.all([import('node:fs'), import('node:stream/promises'), import('node:stream')]);
  return { fs, pipeline: sp.pipeline, Transform: st.Transform };
}

/** Counts bytes through a stream and reports them as job progress. */
function counter(
  T: typeof import('node:stream').Transform,
  total: number,
  onProgress?: (done: number, total: number) => void,
): Transform {
  let done = 0;
  return new T({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      onProgress?.(done, total);
      cb(null, chunk);
    },
  });
}

async function volUpload(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol, name } = await lookupVol(ctl, cmd);
  const file = cmd.req('file');
  const offset = cmd.uint('offset') ?? 0;
  const length = cmd.uint('length') ?? 0;
  const path = userPath(ctl, file);
  let size: number;
  let regular: boolean;
  try {
    const st = statSync(path);
    size = st.size;
    regular = st.isFile();
  } catch (e) {
    throw new CmdError(`cannot read ${file}: ${strerror(e)}`);
  }
  const total = length > 0 ? Math.min(length, size) : size;
  const progress = progressFor(ctl, 'Upload', false);
  const flags = cmd.bool('sparse') ? 1 : 0;
  if (regular) {
    // a regular file: the file fast path (in-kernel copy where the driver has one)
    try {
      await attempt(`cannot upload to volume ${name}`, () =>
        vol.uploadFromFile(path, { offset, length, flags, onProgress: progress ? (d) => progress.update(d, total) : undefined }),
      );
    } finally {
      progress?.done();
    }
    return;
  }
  const { fs, pipeline, Transform } = await streams();
  try {
    await attempt(`cannot upload to volume ${name}`, async () => {
      const sink = await vol.upload(offset, length, flags, {});
      const src = fs.createReadStream(path, length > 0 ? { end: length - 1 } : {});
      await pipeline(src, counter(Transform, total, progress?.update), sink);
    });
  } finally {
    progress?.done();
  }
}

async function volDownload(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { vol, name } = await lookupVol(ctl, cmd);
  const file = cmd.req('file');
  const offset = cmd.uint('offset') ?? 0;
  const length = cmd.uint('length') ?? 0;
  const info = await vol.getInfo().catch(() => undefined);
  const total = length > 0 ? length : Math.max(0, (info?.capacity ?? 0) - offset);
  const progress = progressFor(ctl, 'Download', false);
  const flags = cmd.bool('sparse') ? 1 : 0;
  const target = userPath(ctl, file);
  let fileTarget: boolean;
  try {
    fileTarget = statSync(target, { throwIfNoEntry: false })?.isFile() ?? true;
  } catch {
    fileTarget = false; // the stream path reports the error as before
  }
  if (fileTarget) {
    // a regular (or new) file: the file fast path (in-kernel copy where the driver has one)
    try {
      await attempt(`cannot download from volume ${name}`, () =>
        vol.downloadToFile(target, { offset, length, flags, onProgress: progress ? (d) => progress.update(d, total) : undefined }),
      );
    } finally {
      progress?.done();
    }
    return;
  }
  const { fs, pipeline, Transform } = await streams();
  try {
    await attempt(`cannot download from volume ${name}`, async () => {
      const src = await vol.download(offset, length, flags, {});
      await pipeline(src, counter(Transform, total, progress?.update), fs.createWriteStream(target));
    });
  } finally {
    progress?.done();
  }
}

/** The storage volume group. */
export const VOLUME_COMMANDS: Record<string, CommandImpl> = {
  'vol-list': { run: volList, json: true },
  'vol-info': { run: volInfo, json: true },
  'vol-dumpxml': { run: volDumpxml, json: true },
  'vol-create': { run: volCreate },
  'vol-create-as': { run: volCreateAs },
  'vol-clone': { run: volClone },
  'vol-delete': { run: volDelete },
  'vol-wipe': { run: volWipe },
  'vol-resize': { run: volResize },
  'vol-upload': { run: volUpload },
  'vol-download': { run: volDownload },
  'vol-path': {
    json: true,
    run: async (ctl, cmd) => {
      const { vol } = await lookupVol(ctl, cmd);
      ctl.value(cmd, await attempt('failed to get vol path', () => volPath(vol)));
    },
  },
  'vol-key': {
    json: true,
    run: async (ctl, cmd) => {
      const { vol } = await lookupVol(ctl, cmd);
      ctl.value(cmd, vol.getKey());
    },
  },
  'vol-name': {
    json: true,
    run: async (ctl, cmd) => {
      const { vol } = await lookupVol(ctl, cmd);
      ctl.value(cmd, vol.getName());
    },
  },
};
