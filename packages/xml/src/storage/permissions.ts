/**
 * The `<target>` of pools and volumes: path, format and permissions.
 */
import { ElementReader } from '../model/element-reader.js';
import { buildElement, type HasExtra } from '../model/extra.js';
import { textElement } from '../model/common-fields.js';
import type { XmlElement } from '../tree/xml-node.js';
import { keepExtra } from '../domain/device-common.js';
import { VIR_FROM_STORAGE, xmlError } from '../util/codes.js';

/** `<permissions>`: mode (octal string), owner, group, label. */
export interface StoragePermissions extends HasExtra {
  mode?: string;
  owner?: string;
  group?: string;
  label?: string;
}

/** A pool's or volume's `<target>`. */
export interface StorageTarget extends HasExtra {
  path?: string;
  /** `<format type='qcow2'/>`. */
  format?: string;
  formatExtra?: HasExtra['extra'];
  permissions?: StoragePermissions;
}

/** Parses a `<target>` element. */
export function parseStorageTarget(el: XmlElement): StorageTarget {
  const r = new ElementReader(el);
  const t: StorageTarget = {};
  const path = r.simpleText('path', t);
  if (path !== undefined) t.path = path;
  const fmt = r.child('format');
  if (fmt) {
    const fr = new ElementReader(fmt);
    const type = fr.attr('type');
    if (type !== undefined) t.format = type;
    const e = fr.extra();
    if (e) t.formatExtra = e;
  }
  const perms = r.child('permissions');
  if (perms) {
    const pr = new ElementReader(perms);
    const p: StoragePermissions = {};
    for (const k of ['mode', 'owner', 'group', 'label'] as const) {
      const v = pr.simpleText(k, p);
      if (v !== undefined) p[k] = v;
    }
    // virStorageDefParsePerms: an octal mode within 0777, owner/group ids from -1 up
    if (p.mode !== undefined && (!/^[0-7]+$/.test(p.mode.trim()) || parseInt(p.mode, 8) > 0o777)) {
      throw xmlError('malformed octal mode', VIR_FROM_STORAGE);
    }
    for (const k of ['owner', 'group'] as const) {
      const v = p[k];
      if (v !== undefined && !(/^\s*-?[0-9]+$/.test(v) && Number(v) >= -1 && Number(v) <= 4294967295)) throw xmlError(`malformed ${k} element`, VIR_FROM_STORAGE);
    }
    keepExtra(pr, p);
    t.permissions = p;
  }
  keepExtra(r, t);
  return t;
}

/** Formats a `<target>`. */
export function formatStorageTarget(t: StorageTarget): XmlElement {
  const p = t.permissions;
  return buildElement(
    'target',
    [],
    [
      textElement('path', t.path, t),
      (t.format !== undefined || t.formatExtra) && buildElement('format', [['type', t.format]], [], t.formatExtra),
      p &&
        buildElement(
          'permissions',
          [],
          [textElement('mode', p.mode, p), textElement('owner', p.owner, p), textElement('group', p.group, p), textElement('label', p.label, p)],
          p.extra,
        ),
    ],
    t.extra,
  );
}
