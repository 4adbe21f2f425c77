/**
 * Loading a `<node>` document into a driver state (libvirt's testOpenParse): host CPU and
 * memory, domains (with the test namespace: runstate, transient, hasmanagedsave,
 * domainsnapshot), networks, pools with inline volumes, and `<auth>` users. Objects may be
 * inline or `file=` references relative to the node file.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseDomainElement, parseXmlDocument } from '@virtkit/xml';
import type { XmlElement } from '@virtkit/xml';
import { DomState, Err, From, RunningReason } from './consts.js';
import { postParse, takeTestNamespace } from './domain-def.js';
import type { DomainDef, TestNamespaceData } from './domain-def.js';
import { DomainObj } from './domain-obj.js';
import { checkDuplicate, setRunState, startDomain, stopDomain } from './domain-run.js';
import type { DriverState } from './driver-state.js';
import { asVirtError, systemError, testError } from './errors.js';
import { assignNetworkDef } from './network.js';
import { parseNetworkDef } from './network-def.js';
import { parsePoolDef, parseVolDef, poolTargetPath } from './pool-def.js';
import { addPool, addVolume, setPoolDefaults } from './storage.js';
import { loadSnapshots } from './domain-snapshots.js';

function kids(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.type === 'element' && c.name === name) out.push(c);
  return out;
}

function attr(el: XmlElement, name: string): string | undefined {
  return el.attributes.find((a) => a.name === name)?.value;
}

function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  let s = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') s += c.text;
  return s.trim();
}

/** Parses an XML file into its root element, with libvirt's errors. */
export function readXmlFile(path: string): XmlElement {
  let xml: string;
  try {
    xml = readFileSync(path, 'utf8');
  } catch (e) {
    throw systemError(`failed to open file '${path}'`, e);
  }
  try {
    return parseXmlDocument(xml, { url: path, errorDomain: From.TEST });
  } catch (e) {
    throw asVirtError(e, From.TEST);
  }
}

/** An inline element, or the root of the file its `file=` attribute names. */
function resolve(el: XmlElement, nodeFile: string | undefined): XmlElement {
  const file = attr(el, 'file');
  if (file === undefined) return el;
  const abs = isAbsolute(file) || nodeFile === undefined ? file : join(dirname(nodeFile), file);
  return readXmlFile(abs);
}

function readLong(root: XmlElement, path: string[], what: string): number | undefined {
  let el: XmlElement | undefined = root;
  for (const p of path) el = el && kids(el, p)[0];
  const t = text(el);
  if (t === undefined) return undefined;
  if (!/^-?\d+$/.test(t)) throw testError(Err.XML_ERROR, `invalid node ${what} value`);
  return Number(t);
}

function parseNodeInfo(st: DriverState, root: XmlElement): void {
  const ni = st.nodeInfo;
  ni.nodes = readLong(root, ['cpu', 'nodes'], 'cpu nodes') ?? ni.nodes;
  ni.sockets = readLong(root, ['cpu', 'sockets'], 'cpu sockets') ?? ni.sockets;
  ni.cores = readLong(root, ['cpu', 'cores'], 'cpu cores') ?? ni.cores;
  ni.threads = readLong(root, ['cpu', 'threads'], 'cpu threads') ?? ni.threads;
  ni.cpus = ni.cores * ni.threads * ni.sockets * ni.nodes;
  const active = readLong(root, ['cpu', 'active'], 'cpu active');
  if (active !== undefined && active < ni.cpus) ni.cpus = active;
  ni.mhz = readLong(root, ['cpu', 'mhz'], 'cpu mhz') ?? ni.mhz;
  const model = text(kids(root, 'cpu')[0] && kids(kids(root, 'cpu')[0]!, 'model')[0]);
  if (model !== undefined) ni.model = model;
  ni.memory = readLong(root, ['memory'], 'memory') ?? ni.memory;
}

/** A node file's `<domain>`: its definition with libvirt's defaults, and its test namespace data. */
export function parseNodeDomain(node: XmlElement): { def: DomainDef & { uuid: string }; ns: TestNamespaceData } {
  let def;
  try {
    def = parseDomainElement(node);
  } catch (e) {
    throw asVirtError(e, From.DOMAIN);
  }
  const ns = takeTestNamespace(def);
  return { def: postParse(def), ns };
}

function parseDomains(st: DriverState, root: XmlElement, file: string | undefined): void {
  for (const el of kids(root, 'domain')) {
    const { def: full, ns } = parseNodeDomain(resolve(el, file));
    checkDuplicate(st, full.name, full.uuid, false);
    const obj = new DomainObj(full);
    st.domains.add(obj);
    loadSnapshots(obj, ns.snapshots.map((snapEl) => resolve(snapEl, file)));
    obj.persistent = !ns.transient;
    obj.hasManagedSave = ns.hasManagedSave;
    if (ns.runstate !== DomState.SHUTOFF) {
      startDomain(st, obj, RunningReason.BOOTED);
      obj.hasManagedSave = ns.hasManagedSave;
    } else stopDomain(st, obj, 0);
    setRunState(st, obj, ns.runstate, 0);
  }
}

function parseNetworks(st: DriverState, root: XmlElement, file: string | undefined): void {
  for (const el of kids(root, 'network')) {
    const obj = assignNetworkDef(st, parseNetworkDef(resolve(el, file)), false);
    obj.persistent = true;
    obj.active = true;
  }
}

function parsePools(st: DriverState, root: XmlElement, file: string | undefined): void {
  for (const el of kids(root, 'pool')) {
    const def = parsePoolDef(resolve(el, file));
    const obj = addPool(st, def, false);
    setPoolDefaults(obj);
    obj.active = true;
    // libvirt replaces a file= pool element by the file's root, losing its <volume> children
    if (attr(el, 'file') !== undefined) continue;
    for (const vEl of kids(el, 'volume')) {
      const vdef = parseVolDef(resolve(vEl, file), def);
      const path = vdef.target?.path ?? `${poolTargetPath(def)}/${vdef.name}`;
      addVolume(obj, { def: vdef, name: vdef.name, key: vdef.key ?? path, path, capacity: vdef.capacityBytes, allocation: vdef.allocationBytes });
    }
  }
}

function parseAuth(st: DriverState, root: XmlElement): void {
  const auth = kids(root, 'auth')[0];
  if (!auth) return;
  for (const u of kids(auth, 'user')) {
    const name = text(u);
    if (!name) throw testError(Err.XML_ERROR, 'missing username in /node/auth/user field');
    st.auth.set(name, attr(u, 'password'));
  }
}

/** Fills `st` from a `<node>` element; `file` resolves relative `file=` references. */
export function loadNode(st: DriverState, root: XmlElement, file: string | undefined): void {
  if (root.name !== 'node') throw testError(Err.XML_ERROR, "Root element is not 'node'");
  parseNodeInfo(st, root);
  parseDomains(st, root, file);
  parseNetworks(st, root, file);
  parsePools(st, root, file);
  parseAuth(st, root);
}
