/**
 * Storage volume documents (`<volume>`): typed model, parse and format. Sizes in bytes.
 */
import { ElementReader, elementText } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { formatByteSize, readByteSize, textElement, type ByteSize } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { formatXmlElement } from '../tree/xml-format.js';
import { parseXmlDocument } from '../tree/xml-parse.js';
import { VIR_FROM_STORAGE, xmlError } from '../util/codes.js';
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

/** Parses a `<volume>` document. */
export function parseStorageVolXML(xml: string): StorageVolDef {
  return parseStorageVolElement(parseXmlDocument(xml, { url: 'storage_volume_definition', errorDomain: VIR_FROM_STORAGE }));
}

/** Parses a `<volume>` element with libvirt's checks. */
export function parseStorageVolElement(root: XmlElement): StorageVolDef {
  expectRoot(root, 'volume');
  const r = new ElementReader(root);
  const te: HasExtra = {};
  const name = r.simpleText('name', te)?.trim();
  if (!name) throw xmlError('missing volume name element', VIR_FROM_STORAGE);
  const type = r.attr('type');
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
  if (tgt) def.target = parseStorageTarget(tgt);
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
