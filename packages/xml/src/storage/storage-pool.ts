/**
 * Storage pool documents (`<pool type='dir'>`): typed model, parse and format.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { formatByteSize, readByteSize, readUUID, textElement, type ByteSize } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement, markExpanded } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { checkEnum, missingAttr, VIR_FROM_STORAGE, xmlError } from '../util/codes.js';
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
    if (p !== undefined) dev.path = p;
    keepExtra(dr, dev);
    s.devices.push(dev);
  }
  const dir = r.peek('dir');
  if (dir && dir.attributes.length === 1 && dir.attributes[0]!.name === 'path' && !dir.children.length) {
    r.use(dir);
    s.dir = dir.attributes[0]!.value;
  }
  const name = r.simpleText('name', s);
  if (name !== undefined) s.name = name;
  const fmt = r.peek('format');
  if (fmt && fmt.attributes.length === 1 && fmt.attributes[0]!.name === 'type' && !fmt.children.length) {
    r.use(fmt);
    s.format = fmt.attributes[0]!.value;
  }
  keepExtra(r, s);
  return s;
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
            s.dir !== undefined && buildElement('dir', [['path', s.dir]], []),
            textElement('name', s.name, s),
            s.format !== undefined && buildElement('format', [['type', s.format]], []),
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
