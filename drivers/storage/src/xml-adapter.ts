/**
 * Between @virtkit/xml's storage documents and the driver's models: pool definitions (the
 * parsed document is kept so that formatting is lossless), volume requests, and volume XML
 * as libvirt reports it (target format, permissions, timestamps, backing store).
 */
import {
  formatStoragePoolXML,
  formatStorageVolXML,
  generateUUID,
  parseStoragePoolXML,
  parseStorageVolElement,
  parseXmlDocument,
  xmlElement,
  xmlText,
  type StoragePoolDef,
  type StorageTarget,
  type StorageVolDef,
  type XmlElement,
} from '@virtkit/xml';
import { VIR_ERR_XML_ERROR, VIR_FROM_STORAGE } from './constants.js';
import type { Permissions, PoolDef, VolDef, VolRequest } from './types.js';
import { storageError } from './util.js';

/** A parsed pool definition: the document as given and the driver's view of it. */
export interface PoolDoc {
  xml: StoragePoolDef;
  def: PoolDef;
}

function parseMode(s: string | undefined, what: string): number | undefined {
  if (s === undefined) return undefined;
  if (!/^[0-7]{1,4}$/.test(s.trim())) throw storageError(VIR_ERR_XML_ERROR, `malformed octal mode for ${what}`);
  return parseInt(s.trim(), 8);
}

function parseId(s: string | undefined, what: string): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (t === '-1') return undefined;
  if (!/^\d+$/.test(t)) throw storageError(VIR_ERR_XML_ERROR, `malformed ${what} element`);
  return Number(t);
}

function permsFrom(t: StorageTarget | undefined): Permissions {
  const p = t?.permissions;
  if (!p) return {};
  return {
    mode: parseMode(p.mode, 'pool or volume'),
    owner: parseId(p.owner, 'owner'),
    group: parseId(p.group, 'group'),
    label: p.label,
  };
}

/** Parses pool XML into a PoolDoc (generating a UUID when absent). */
export function parsePool(xml: string): PoolDoc {
  const doc = parseStoragePoolXML(xml);
  if (!doc.uuid) doc.uuid = generateUUID();
  const def: PoolDef = {
    name: doc.name,
    uuid: doc.uuid,
    type: doc.type,
    targetPath: doc.target?.path ?? '',
    targetPerms: permsFrom(doc.target),
    devices: (doc.source?.devices ?? []).filter((d) => d.path !== undefined).map((d) => ({ path: d.path! })),
    sourceFormat: doc.source?.format,
    capacity: 0,
    allocation: 0,
    available: 0,
  };
  if (!doc.source) doc.source = { hosts: [], devices: [] };
  return { xml: doc, def };
}

function fmtPerms(p: Permissions): NonNullable<StorageTarget['permissions']> {
  const out: NonNullable<StorageTarget['permissions']> = {};
  if (p.mode !== undefined) out.mode = p.mode.toString(8).padStart(4, '0');
  if (p.owner !== undefined) out.owner = String(p.owner);
  if (p.group !== undefined) out.group = String(p.group);
  if (p.label !== undefined) out.label = p.label;
  return out;
}

/**
 * Formats a pool as libvirt's pool-dumpxml: sizes from the last refresh when `active` (else
 * 0), target permissions as found on disk when `live` is given, else as defined.
 */
export function formatPool(doc: PoolDoc, opts: { live?: Permissions; active?: boolean } = {}): string {
  const x: StoragePoolDef = structuredClone(doc.xml);
  const d = doc.def;
  const sized = !!opts.active;
  x.capacity = { bytes: sized ? d.capacity : 0 };
  x.allocation = { bytes: sized ? d.allocation : 0 };
  x.available = { bytes: sized ? d.available : 0 };
  if (opts.live && x.target) {
    x.target.permissions = { ...fmtPerms({ ...opts.live, label: x.target.permissions?.label }), extra: x.target.permissions?.extra };
  }
  return formatStoragePoolXML(x);
}

/**
 * Parses volume XML into a request. `allowNoCapacity` (clones) accepts a document without
 * `<capacity>`, as libvirt's VIR_VOL_XML_PARSE_NO_CAPACITY.
 */
export function parseVolRequest(xml: string, allowNoCapacity = false): VolRequest {
  let doc: StorageVolDef;
  let hasCapacity = true;
  const root = parseXmlDocument(xml, { url: 'storage_volume_definition', errorDomain: VIR_FROM_STORAGE });
  if (allowNoCapacity && root.name === 'volume' && !root.children.some((c) => c.type === 'element' && c.name === 'capacity')) {
    hasCapacity = false;
    root.children.push(xmlElement('capacity', [], [xmlText('0')]));
  }
  doc = parseStorageVolElement(root);
  const extraKids = (doc.target?.extra?.children ?? []).map((c) => c.node);
  const compatEl = extraKids.find((n) => n.name === 'compat');
  const featuresEl = extraKids.find((n) => n.name === 'features');
  const text = (e: XmlElement | undefined) =>
    e?.children.map((c) => (c.type === 'text' ? c.text : '')).join('').trim();
  const req: VolRequest = {
    name: doc.name,
    type: doc.type,
    capacity: doc.capacity.bytes,
    allocation: doc.allocation?.bytes,
    format: doc.target?.format,
    perms: permsFrom(doc.target),
    hasCapacity,
  };
  if (doc.backingStore?.path) req.backingStore = { path: doc.backingStore.path, format: doc.backingStore.format };
  if (compatEl) req.compat = text(compatEl);
  if (featuresEl) {
    req.features = featuresEl.children.filter((c): c is XmlElement => c.type === 'element').map((c) => c.name);
  }
  return req;
}

function timestampsEl(v: VolDef): XmlElement | undefined {
  const t = v.timestamps;
  if (!t) return undefined;
  const kid = (n: string, s: string) => xmlElement(n, [], [xmlText(s)]);
  return xmlElement('timestamps', [], [kid('atime', t.atime), kid('mtime', t.mtime), kid('ctime', t.ctime), kid('btime', t.btime)]);
}

function target(path: string, format: string | undefined, perms: Permissions, v?: VolDef): StorageTarget {
  const t: StorageTarget = { path, permissions: fmtPerms(perms) };
  if (format !== undefined) t.format = format;
  const kids: XmlElement[] = [];
  const ts = v && timestampsEl(v);
  if (ts) kids.push(ts);
  // libvirt: <compat> and <features> when the definition has features (v3 probe or request),
  // <clusterSize> when probed (not for volumes it just created)
  const c = v?.createdAs ? { compat: v.createdAs.compat ?? (v.createdAs.features ? '1.1' : undefined), features: v.createdAs.features } : v;
  if (c?.compat !== undefined && c.features) kids.push(xmlElement('compat', [], [xmlText(c.compat)]));
  if (v?.clusterSize && !v.createdAs) kids.push(xmlElement('clusterSize', [['unit', 'B']], [xmlText(String(v.clusterSize))]));
  if (c?.features) kids.push(xmlElement('features', [], c.features.map((f) => xmlElement(f))));
  if (kids.length) t.extra = { attributes: [], children: kids.map((node) => ({ after: 'permissions', node })) };
  return t;
}

/** Formats a volume as libvirt's vol-dumpxml. `backing` is the probed backing file, if any. */
export function formatVol(v: VolDef, backing?: VolDef): string {
  const x: StorageVolDef = {
    type: v.type,
    name: v.name,
    key: v.key,
    capacity: { bytes: v.capacity },
    allocation: { bytes: v.allocation },
    target: target(v.path, v.format, v.perms, v),
  };
  if (v.physical !== undefined && v.type !== 'dir') x.physical = { bytes: v.physical };
  if (v.extents?.length) {
    const dev = xmlElement('device', [['path', v.path.replace(/p?\d+$/, '')]], v.extents.map((e) =>
      xmlElement('extent', [['start', e.start], ['end', e.end]]),
    ));
    x.extra = { attributes: [], children: [{ after: 'key', node: xmlElement('source', [], [dev]) }] };
  }
  if (v.backingStore) {
    x.backingStore = backing
      ? target(v.backingStore.path, v.backingStore.format ?? backing.format, backing.perms, {
          ...backing,
          compat: undefined,
          features: undefined,
          clusterSize: undefined,
        })
      : { path: v.backingStore.path, ...(v.backingStore.format ? { format: v.backingStore.format } : {}) };
  }
  return formatStorageVolXML(x);
}
