/**
 * Storage pool documents (`<pool type='dir'>`): typed model, parse and format.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { formatByteSize, readByteSize, readUUID, textElement, type ByteSize } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement, markExpanded } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { checkEnum, missingAttr, unsupported, VIR_FROM_STORAGE, xmlError } from '../util/codes.js';
import { expectRoot } from '../domain/domain-parse.js';
import { keepExtra } from '../domain/device-common.js';
import { formatStorageTarget, parseStorageTarget, type StorageTarget } from './permissions.js';

/** Pool types libvirt 9.0 knows. */
export const POOL_TYPES = ['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'iscsi-direct', 'scsi', 'mpath', 'rbd', 'sheepdog', 'gluster', 'zfs', 'vstorage'] as const;

/** `<source>` of a pool: the common parts typed, the rest (adapter, auth, ...) as extra. */
export interface StoragePoolSource extends HasExtra {
  /** `<host name='...' port='...'/>` elements. */
  hosts: ({ name?: string; port?: string } & HasExtra)[];
  /** `<device path='/dev/sdb'/>` elements. */
  devices: ({ path?: string } & HasExtra)[];
  /** `<dir path='/export'/>`. */
  dir?: string;
  /** `<name>vg0</name>`. */
  name?: string;
  /** `<format type='ext4'/>`. */
  format?: string;
}

/** A storage pool definition; sizes in bytes. */
export interface StoragePoolDef extends HasExtra {
  type: (typeof POOL_TYPES)[number];
  name: string;
  uuid?: string;
  capacity?: ByteSize;
  allocation?: ByteSize;
  available?: ByteSize;
  source?: StoragePoolSource;
  target?: StorageTarget;
}

function parseSource(el: XmlElement): StoragePoolSource {
  const r = new ElementReader(el);
  const s: StoragePoolSource = { hosts: [], devices: [] };
  for (const h of r.children('host')) {
    const hr = new ElementReader(h);
    const host: StoragePoolSource['hosts'][number] = {};
    const n = hr.attr('name');
    if (n === undefined) throw xmlError('missing storage pool host name', VIR_FROM_STORAGE);
    if (n !== undefined) host.name = n;
    const p = hr.attr('port');
    if (p !== undefined) host.port = p;
    keepExtra(hr, host);
    s.hosts.push(host);
  }
  for (const d of r.children('device')) {
    const dr = new ElementReader(d);
    const dev: StoragePoolSource['devices'][number] = {};
    const p = dr.attr('path');
    if (p === undefined) throw xmlError('missing storage pool source device path', VIR_FROM_STORAGE);
    if (p !== undefined) dev.path = p;
    keepExtra(dr, dev);
    s.devices.push(dev);
  }
  for (const [el, attr] of [['dir', 'path'], ['format', 'type']] as const) {
    const c = r.peek(el);
    const cr = c && new ElementReader(c);
    const v = cr?.attr(attr);
    if (!c || v === undefined) continue;
    r.use(c);
    if (el === 'dir') s.dir = v;
    else s.format = v;
    const extra = cr!.extra();
    if (extra) (s.textExtras ??= {})[el] = extra;
  }
  const name = r.simpleText('name', s);
  if (name !== undefined) s.name = name;
  const auth = r.peek('auth');
  const authType = auth?.attributes.find((a) => a.name === 'type')?.value;
  if (authType !== undefined && authType !== 'chap' && authType !== 'ceph') throw unsupported(`unknown auth type '${authType}'`, VIR_FROM_STORAGE);
  keepExtra(r, s);
  return s;
}

/** What each pool type's backend requires of `<source>` (libvirt's VIR_STORAGE_POOL_SOURCE_* flags). */
const NEEDS: Record<string, readonly ('host' | 'dir' | 'device' | 'adapter')[]> = {
  fs: ['device'], netfs: ['host', 'dir'], disk: ['device'], iscsi: ['host'], 'iscsi-direct': ['host'], scsi: ['adapter'],
  rbd: ['host'], sheepdog: ['host'], gluster: ['host'],
};
/** Source formats by pool type. */
const POOL_FORMATS: Record<string, readonly string[]> = {
  fs: ['auto', 'ext2', 'ext3', 'ext4', 'ufs', 'iso9660', 'udf', 'gfs', 'gfs2', 'vfat', 'hfs+', 'xfs', 'ocfs2', 'vmfs'],
  netfs: ['auto', 'nfs', 'glusterfs', 'cifs'],
  disk: ['unknown', 'dos', 'dvh', 'gpt', 'mac', 'bsd', 'pc98', 'sun', 'lvm2'],
  logical: ['unknown', 'lvm2'],
};

function checkSource(type: string, src: StoragePoolSource | undefined, srcEl: XmlElement | undefined): void {
  for (const need of NEEDS[type] ?? []) {
    if (need === 'host' && !src?.hosts.length) throw xmlError('missing storage pool source host name', VIR_FROM_STORAGE);
    if (need === 'dir' && src?.dir === undefined) throw xmlError('missing storage pool source path', VIR_FROM_STORAGE);
    if (need === 'device' && !src?.devices.length) throw xmlError('missing storage pool source device name', VIR_FROM_STORAGE);
    if (need === 'adapter' && !srcEl?.children.some((c) => c.type === 'element' && c.name === 'adapter')) {
      throw xmlError('missing storage pool source adapter', VIR_FROM_STORAGE);
    }
  }
  const formats = POOL_FORMATS[type];
  if (formats && src?.format !== undefined && !formats.includes(src.format)) throw unsupported(`unknown pool format type ${src.format}`, VIR_FROM_STORAGE);
}

/** Parses a `<pool>` document. */
export function parseStoragePoolXML(xml: string): StoragePoolDef {
  return parseStoragePoolElement(parseXmlDocument(xml, { url: 'storage_pool_definition', errorDomain: VIR_FROM_STORAGE }));
}

/** Parses a `<pool>` element with libvirt's checks. */
export function parseStoragePoolElement(root: XmlElement): StoragePoolDef {
  expectRoot(root, 'pool');
  const r = new ElementReader(root);
  const typeRaw = r.attr('type');
  if (typeRaw === undefined) throw missingAttr('type', 'pool');
  const type = checkEnum(typeRaw, POOL_TYPES, 'type', 'pool')!;
  const srcEl = r.child('source');
  const source = srcEl ? parseSource(srcEl) : undefined;
  const te: HasExtra = {};
  let name = r.simpleText('name', te)?.trim();
  // logical pools default their name to the source name (and vice versa)
  if (!name && type === 'logical' && source?.name) name = source.name;
  if (!name) throw xmlError('missing pool source name element', VIR_FROM_STORAGE);
  if (name.includes('/')) throw xmlError(`name ${name} cannot contain '/'`, VIR_FROM_STORAGE);
  const def: StoragePoolDef = { type, name };
  if (te.textExtras) def.textExtras = te.textExtras;
  const uuid = readUUID(r, () => xmlError('malformed uuid element', VIR_FROM_STORAGE), def);
  if (uuid) def.uuid = uuid;
  // libvirt ignores sizes in a pool definition (they are runtime values): keep bad ones verbatim
  for (const k of ['capacity', 'allocation', 'available'] as const) {
    const el = r.peek(k);
    if (!el) continue;
    try {
      const s = readByteSize(new ElementReader({ type: 'element', name: 'pool', attributes: [], children: [el] }), k, () => new Error());
      if (s) {
        r.use(el);
        def[k] = s;
      }
    } catch {
      // left in extra
    }
  }
  if (source) def.source = source;
  checkSource(type, source, srcEl);
  const tgt = r.child('target');
  if (tgt) def.target = parseStorageTarget(tgt);
  const needsPath = ['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'scsi', 'mpath', 'zfs', 'vstorage'].includes(type);
  if (needsPath && !def.target?.path && type !== 'logical' && type !== 'zfs') {
    throw xmlError('missing storage pool target path', VIR_FROM_STORAGE);
  }
  keepExtra(r, def);
  return def;
}

/** Builds the `<pool>` element. */
export function formatStoragePoolElement(def: StoragePoolDef): XmlElement {
  const s = def.source;
  return buildElement(
    'pool',
    [['type', def.type]],
    [
      textElement('name', def.name, def),
      textElement('uuid', def.uuid, def),
      formatByteSize('capacity', def.capacity),
      formatByteSize('allocation', def.allocation),
      formatByteSize('available', def.available),
      s &&
        markExpanded(buildElement(
          'source',
          [],
          [
            ...s.hosts.map((h) => buildElement('host', [['name', h.name], ['port', h.port]], [], h.extra)),
            ...s.devices.map((d) => buildElement('device', [['path', d.path]], [], d.extra)),
            s.dir !== undefined && buildElement('dir', [['path', s.dir]], [], s.textExtras?.dir),
            textElement('name', s.name, s),
            s.format !== undefined && buildElement('format', [['type', s.format]], [], s.textExtras?.format),
          ],
          s.extra,
        )),
      def.target && formatStorageTarget(def.target),
    ],
    def.extra,
  );
}

/** Formats a pool as libvirt does. */
export function formatStoragePoolXML(def: StoragePoolDef): string {
  return formatXmlElement(formatStoragePoolElement(def));
}
