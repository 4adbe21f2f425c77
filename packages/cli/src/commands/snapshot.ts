/**
 * Snapshot commands: snapshot-create-as, snapshot-list, snapshot-current, snapshot-revert,
 * snapshot-delete, snapshot-dumpxml. Output as virsh-snapshot.c.
 */
import type { Domain, Snapshot } from '../api.js';
import { attempt, type Cmd, CmdError, type Ctl, failure, libvirtOnly } from '../context.js';
import { withNewline } from '../format.js';
import { lookupDomain } from '../lookup.js';
import { formatTable } from '../table.js';
import { child, parseXml } from '../xml-lite.js';
import type { CommandImpl } from './types.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** virDomainSnapshotCreateFlags from snapshot-create-as's options. */
function createFlags(cmd: Cmd): number {
  let flags = 0;
  if (cmd.bool('no-metadata')) flags |= 4;
  if (cmd.bool('halt')) flags |= 8;
  if (cmd.bool('disk-only')) flags |= 16;
  if (cmd.bool('reuse-external')) flags |= 32;
  if (cmd.bool('quiesce')) flags |= 64;
  if (cmd.bool('atomic')) flags |= 128;
  if (cmd.bool('live')) flags |= 256;
  if (cmd.bool('validate')) flags |= 512;
  return flags;
}

/** `[first=]value,key=value,...` of --memspec/--diskspec (`,,` escapes a comma). */
function specFields(spec: string, first: string): Map<string, string> {
  const fields = new Map<string, string>();
  spec
    .split(/(?<!,),(?!,)/)
    .map((p) => p.replace(/,,/g, ','))
    .forEach((p, i) => {
      const eq = p.indexOf('=');
      if (eq < 0 && i === 0) fields.set(first, p);
      else if (eq >= 0) fields.set(p.slice(0, eq), p.slice(eq + 1));
    });
  return fields;
}

/** virshParseSnapshotMemspec: `<memory snapshot='...' file='...'/>`. */
function memspecXML(spec: string): string {
  const f = specFields(spec, 'file');
  let xml = '  <memory';
  if (f.has('snapshot')) xml += ` snapshot='${esc(f.get('snapshot')!)}'`;
  if (f.has('file')) xml += ` file='${esc(f.get('file')!)}'`;
  return xml + '/>\n';
}

/** virshParseSnapshotDiskspec: a <disk> with its driver and source as virsh writes them. */
function diskspecXML(spec: string): string {
  const f = specFields(spec, 'name');
  let xml = `    <disk name='${esc(f.get('name') ?? '')}'`;
  if (f.has('snapshot')) xml += ` snapshot='${esc(f.get('snapshot')!)}'`;
  const stype = f.get('stype');
  if (stype) xml += ` type='${esc(stype)}'`;
  const driver = f.get('driver');
  const file = f.get('file');
  if (driver === undefined && file === undefined) return xml + '/>\n';
  xml += '>\n';
  if (driver !== undefined) xml += `      <driver type='${esc(driver)}'/>\n`;
  if (file !== undefined) xml += `      <source ${!stype || stype === 'file' ? 'file' : 'dev'}='${esc(file)}'/>\n`;
  return xml + '    </disk>\n';
}

async function snapshotCreateAs(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const name = cmd.str('name');
  const desc = cmd.str('description');
  let xml = '<domainsnapshot>\n';
  if (name !== undefined) xml += `  <name>${esc(name)}</name>\n`;
  if (desc !== undefined) xml += `  <description>${esc(desc)}</description>\n`;
  const mem = cmd.str('memspec');
  if (mem !== undefined) xml += memspecXML(mem);
  const disks = cmd.list('diskspec');
  if (disks.length) xml += `  <disks>\n${disks.map(diskspecXML).join('')}  </disks>\n`;
  xml += '</domainsnapshot>\n';
  if (cmd.bool('print-xml')) {
    ctl.print(xml + '\n');
    return;
  }
  let snap: Snapshot;
  try {
    snap = await dom.snapshotCreateXML(xml, createFlags(cmd));
  } catch (e) {
    throw failure(e);
  }
  // virsh prints this without a newline; the command's blank line ends it
  ctl.extra(`Domain snapshot ${snap.getName()} created`);
}

/** The snapshot a command names (--snapshotname, or the current one with --current or none). */
async function pickSnapshot(ctl: Ctl, cmd: Cmd, dom: Domain, domName: string): Promise<Snapshot> {
  const name = cmd.str('snapshotname');
  if (name === undefined && !cmd.bool('current')) throw new CmdError('--snapshotname or --current is required');
  if (name !== undefined && !cmd.bool('current')) {
    try {
      return await dom.snapshotLookupByName(name, 0);
    } catch (e) {
      throw failure(e);
    }
  }
  try {
    return await dom.snapshotCurrent(0);
  } catch {
    throw new CmdError(`domain '${domName}' has no current snapshot`);
  }
}

interface SnapFacts {
  name: string;
  creationTime: number;
  state: string;
  parent: string | null;
  current: boolean;
}

async function snapFacts(snap: Snapshot): Promise<SnapFacts> {
  const xml = parseXml(await snap.getXMLDesc(0));
  const parent = child(xml, 'parent/name')?.text ?? null;
  const current = await snap.isCurrent(0).catch(() => false);
  return {
    name: snap.getName(),
    creationTime: Number(child(xml, 'creationTime')?.text ?? 0),
    state: child(xml, 'state')?.text ?? '',
    parent,
    current,
  };
}

/** strftime("%Y-%m-%d %H:%M:%S %z") in local time, as virsh prints creation times. */
export function formatCreationTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const tz = `${sign}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${tz}`;
}

/** virDomainSnapshotListFlags from snapshot-list's filters. */
function listFlags(cmd: Cmd): number {
  let flags = 0;
  if (cmd.bool('roots')) flags |= 1;
  if (cmd.bool('metadata')) flags |= 2;
  if (cmd.bool('leaves')) flags |= 4;
  if (cmd.bool('no-leaves')) flags |= 8;
  if (cmd.bool('no-metadata')) flags |= 16;
  if (cmd.bool('inactive')) flags |= 32;
  if (cmd.bool('active')) flags |= 64;
  if (cmd.bool('disk-only')) flags |= 128;
  if (cmd.bool('internal')) flags |= 256;
  if (cmd.bool('external')) flags |= 512;
  if (cmd.bool('topological')) flags |= 1024;
  return flags;
}

async function snapshotList(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  cmd.exclusive('tree', 'name');
  cmd.exclusive('parent', 'roots');
  cmd.exclusive('parent', 'tree');
  cmd.exclusive('current', 'from');
  let from = cmd.str('from');
  if (cmd.bool('current')) {
    // --current is --from with the current snapshot
    try {
      from = (await dom.snapshotCurrent(0)).getName();
    } catch (e) {
      throw failure(e);
    }
  }
  let snaps: Snapshot[];
  try {
    snaps = await dom.listAllSnapshots(listFlags(cmd));
  } catch (e) {
    throw failure(e);
  }
  const all = await Promise.all(snaps.map(snapFacts));
  if (!cmd.bool('topological')) all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tree = cmd.bool('tree');
  const shown =
    from === undefined
      ? all
      : all.filter((s) => (tree && s.name === from) || isDescendant(all, s, from!, tree || cmd.bool('descendants')));
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(shown);
    return;
  }
  if (cmd.bool('name')) {
    for (const s of shown) ctl.print(`${s.name}\n`);
    return;
  }
  if (cmd.bool('tree')) {
    printTree(ctl, shown);
    return;
  }
  const withParent = cmd.bool('parent');
  const headers = withParent ? ['Name', 'Creation Time', 'State', 'Parent'] : ['Name', 'Creation Time', 'State'];
  const rows = shown.map((s) => {
    const row = [s.name, formatCreationTime(s.creationTime), s.state];
    if (withParent) row.push(s.parent ?? '');
    return row;
  });
  ctl.print(formatTable(headers, rows, !ctl.quiet));
}

/** virsh's vshTreePrint: each root, its children indented under `|` and `+- ` marks. */
function printTree(ctl: Ctl, snaps: readonly SnapFacts[]): void {
  let indent = '';
  const visit = (i: number, last: number, root: boolean): void => {
    const s = snaps[i];
    ctl.print(`${indent}${root ? '' : '+- '}${s.name}\n`);
    if (!root) indent += (i === last ? ' ' : '|') + ' ';
    let nextLast = -1;
    snaps.forEach((k, j) => {
      if (k.parent === s.name) nextLast = j;
    });
    if (nextLast !== -1) ctl.print(`${indent}  |\n`);
    indent += '  ';
    snaps.forEach((k, j) => {
      if (k.parent === s.name) visit(j, nextLast, false);
    });
    indent = indent.slice(0, -2);
    if (nextLast === -1 && i === last) ctl.print(`${indent}\n`);
    if (!root) indent = indent.slice(0, -2);
  };
  snaps.forEach((s, i) => {
    if (!s.parent || !snaps.some((p) => p.name === s.parent)) visit(i, i, true);
  });
}

function isDescendant(all: readonly SnapFacts[], s: SnapFacts, from: string, deep: boolean): boolean {
  if (!deep) return s.parent === from;
  for (let p = s.parent; p; p = all.find((x) => x.name === p)?.parent ?? null) if (p === from) return true;
  return false;
}

async function snapshotCurrent(ctl: Ctl, cmd: Cmd): Promise<void> {
  cmd.exclusive('name', 'snapshotname');
  const { dom, name } = await lookupDomain(ctl, cmd);
  const setName = cmd.str('snapshotname');
  if (setName !== undefined) {
    try {
      const snap = await dom.snapshotLookupByName(setName, 0);
      // VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | _CURRENT makes it the current snapshot again
      await dom.snapshotCreateXML(await snap.getXMLDesc(0), 1 | 2);
    } catch (e) {
      throw failure(e);
    }
    ctl.extra(`Snapshot ${setName} set as current`);
    return;
  }
  let snap: Snapshot;
  try {
    snap = await dom.snapshotCurrent(0);
  } catch {
    throw new CmdError(`domain '${name}' has no current snapshot`);
  }
  if (cmd.bool('name')) {
    // virsh prints the bare name; the command's blank line ends it
    ctl.value(cmd, snap.getName(), false);
    return;
  }
  ctl.value(cmd, withNewline(await libvirtOnly(() => snap.getXMLDesc(cmd.bool('security-info') ? 1 : 0))), false);
}

async function snapshotRevert(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  const snap = await pickSnapshot(ctl, cmd, dom, name);
  let flags = 0;
  if (cmd.bool('running')) flags |= 1;
  if (cmd.bool('paused')) flags |= 2;
  if (cmd.bool('force')) flags |= 4;
  if (cmd.bool('reset-nvram')) flags |= 8;
  try {
    const d = dom as Domain & { revertToSnapshot?: Domain['revertToSnapshot'] };
    if (d.revertToSnapshot) await d.revertToSnapshot(snap, flags);
    else if (snap.revert) await snap.revert(flags);
  } catch (e) {
    throw failure(e);
  }
  ctl.extra(`Domain snapshot ${snap.getName()} reverted\n`);
}

async function snapshotDelete(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  const snap = await pickSnapshot(ctl, cmd, dom, name);
  let flags = 0;
  if (cmd.bool('children')) flags |= 1;
  if (cmd.bool('children-only')) flags |= 4;
  if (cmd.bool('metadata')) flags |= 2;
  const sname = snap.getName();
  await attempt(`Failed to delete snapshot ${sname}`, () => snap.delete(flags));
  if (cmd.bool('children-only')) ctl.extra(`Domain snapshot ${sname} children deleted\n`);
  else ctl.extra(`Domain snapshot ${sname} deleted\n`);
}

async function snapshotDumpxml(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const sname = cmd.req('snapshotname');
  let snap: Snapshot;
  try {
    snap = await dom.snapshotLookupByName(sname, 0);
  } catch (e) {
    throw failure(e);
  }
  ctl.value(cmd, withNewline(await libvirtOnly(() => snap.getXMLDesc(cmd.bool('security-info') ? 1 : 0))), false);
}

/** The snapshot group. */
export const SNAPSHOT_COMMANDS: Record<string, CommandImpl> = {
  'snapshot-create-as': { run: snapshotCreateAs },
  'snapshot-list': { run: snapshotList, json: true },
  'snapshot-current': { run: snapshotCurrent, json: true },
  'snapshot-revert': { run: snapshotRevert },
  'snapshot-delete': { run: snapshotDelete },
  'snapshot-dumpxml': { run: snapshotDumpxml, json: true },
};
