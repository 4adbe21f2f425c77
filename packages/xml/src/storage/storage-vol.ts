/**
 * Storage volume documents (`<volume>`): typed model, parse and format. Sizes in bytes.
 */
import { ElementReader, elementText } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { formatByteSize, readByteSize, textElement, type ByteSize } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { unsupported, VIR_FROM_STORAGE, xmlError } from '../util/codes.js';
import { expectRoot } from '../domain/domain-parse.js';
import { keepExtra } from '../domain/device-common.js';
import { formatStorageTarget, parseStorageTarget, type StorageTarget } from './permissions.js';

/** A storage volume definition. */
export interface StorageVolDef extends HasExtra {
  /** file, block, dir, network, netdir, ploop. */
  type?: string;
  name: string;
  key?: string;
  capacity: ByteSize;
  allocation?: ByteSize;
  physical?: ByteSize;
  target?: StorageTarget;
  /** `<backingStore>` path/format. */
  backingStore?: StorageTarget;
}

/** Options of volume parsing: the type of the pool the volume belongs to (formats are checked against it). */
export interface ParseStorageVolOptions {
  poolType?: string;
}

const VOL_TYPES = ['file', 'block', 'dir', 'network', 'netdir', 'ploop'];
/** Image formats of file-based pools (virStorageFileFormat). */
const FILE_FORMATS = ['none', 'raw', 'dir', 'bochs', 'cloop', 'dmg', 'iso', 'vpc', 'vdi', 'fat', 'vhd', 'ploop', 'cow', 'qcow', 'qcow2', 'qed', 'vmdk'];
/** Partition types of disk pools. */
const PARTITION_FORMATS = ['none', 'linux', 'fat16', 'fat32', 'linux-swap', 'linux-lvm', 'linux-raid', 'extended'];
const FILE_POOLS = ['dir', 'fs', 'netfs', 'gluster', 'vstorage'];

/** Parses a `<volume>` document. */
export function parseStorageVolXML(xml: string, opts: ParseStorageVolOptions = {}): StorageVolDef {
  return parseStorageVolElement(parseXmlDocument(xml, { url: 'storage_volume_definition', errorDomain: VIR_FROM_STORAGE }), opts);
}

/** Parses a `<volume>` element with libvirt's checks (formats as the pool type allows). */
export function parseStorageVolElement(root: XmlElement, opts: ParseStorageVolOptions = {}): StorageVolDef {
  expectRoot(root, 'volume');
  const r = new ElementReader(root);
  const te: HasExtra = {};
  const name = r.simpleText('name', te)?.trim();
  if (!name) throw xmlError('missing volume name element', VIR_FROM_STORAGE);
  const type = r.attr('type');
  if (type !== undefined && !VOL_TYPES.includes(type)) throw unsupported(`unknown volume type '${type}'`, VIR_FROM_STORAGE);
  const key = r.simpleText('key', te);
  const malformed = (what: string) => () => xmlError(`malformed ${what} element`, VIR_FROM_STORAGE);
  const capEl = r.peek('capacity');
  const capacity = capEl && elementText(capEl) !== '' ? readByteSize(r, 'capacity', malformed('capacity')) : undefined;
  if (!capacity) throw xmlError('missing capacity element', VIR_FROM_STORAGE);
  const def: StorageVolDef = { name, capacity };
  if (te.textExtras) def.textExtras = te.textExtras;
  if (type !== undefined) def.type = type;
  if (key !== undefined) def.key = key;
  // libvirt 9.0 reports a bad allocation as a malformed capacity
  const allocation = readByteSize(r, 'allocation', malformed('capacity'));
  if (allocation) def.allocation = allocation;
  const physical = readByteSize(r, 'physical', malformed('physical'));
  if (physical) def.physical = physical;
  const tgt = r.child('target');
  if (tgt) {
    def.target = parseStorageTarget(tgt);
    // without the pool type, any format some pool type accepts passes
    const pool = opts.poolType;
    const formats = pool === undefined ? [...FILE_FORMATS, ...PARTITION_FORMATS] : FILE_POOLS.includes(pool) ? FILE_FORMATS : pool === 'disk' ? PARTITION_FORMATS : undefined;
    const fmt = def.target.format;
    if (fmt !== undefined && formats && !formats.includes(fmt)) throw unsupported(`unknown volume format type ${fmt}`, VIR_FROM_STORAGE);
    const features = tgt.children.find((c): c is XmlElement => c.type === 'element' && c.name === 'features');
    for (const f of features?.children ?? []) {
      if (f.type === 'element' && f.name !== 'lazy_refcounts' && f.name !== 'extended_l2') throw unsupported(`unsupported feature ${f.name}`, VIR_FROM_STORAGE);
    }
  }
  const bs = r.child('backingStore');
  if (bs) def.backingStore = parseStorageTarget(bs);
  keepExtra(r, def);
  return def;
}

/** Builds the `<volume>` element. */
export function formatStorageVolElement(def: StorageVolDef): XmlElement {
  const bs = def.backingStore && formatStorageTarget(def.backingStore);
  if (bs) bs.name = 'backingStore';
  return buildElement(
    'volume',
    [['type', def.type]],
    [
      textElement('name', def.name, def),
      textElement('key', def.key, def),
      formatByteSize('capacity', def.capacity),
      formatByteSize('allocation', def.allocation),
      formatByteSize('physical', def.physical),
      def.target && formatStorageTarget(def.target),
      bs,
    ],
    def.extra,
  );
}

/** Formats a volume as libvirt does. */
export function formatStorageVolXML(def: StorageVolDef): string {
  return formatXmlElement(formatStorageVolElement(def));
}
