/**
 * Storage pool commands: pool-list, pool-info, pool-dumpxml, pool-define, pool-define-as,
 * pool-create, pool-build, pool-start, pool-destroy, pool-delete, pool-undefine,
 * pool-refresh, pool-autostart. Output as virsh-pool.c.
 */
import type { StoragePool } from '../api.js';
import { attempt, type Cmd, CmdError, type Ctl, libvirtOnly } from '../context.js';
import { byNameCI, field, poolStateName, prettyCapacity, withNewline, yesNo } from '../format.js';
import { lookupPool } from '../lookup.js';
import { formatTable } from '../table.js';
import { fromFileCommand, simpleCommand } from './simple.js';
import type { CommandImpl } from './types.js';

const POOL_RUNNING = 2;
const POOL_DEGRADED = 3;

/** virConnectListAllStoragePoolsFlags bits for --type names. */
const POOL_TYPES: Record<string, number> = {
  dir: 64, fs: 128, netfs: 256, logical: 512, disk: 1024, iscsi: 2048, scsi: 4096, mpath: 8192,
  rbd: 16384, sheepdog: 32768, gluster: 65536, zfs: 131072, vstorage: 262144, 'iscsi-direct': 524288,
};

async function settle<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}

interface PoolFacts {
  name: string;
  uuid: string;
  state?: number;
  capacity?: number;
  allocation?: number;
  available?: number;
  active?: boolean;
  persistent?: boolean;
  autostart?: boolean;
}

async function facts(pool: StoragePool): Promise<PoolFacts> {
  const info = await settle(pool.getInfo());
  const live = info !== undefined && (info.state === POOL_RUNNING || info.state === POOL_DEGRADED);
  return {
    name: pool.getName(),
    uuid: pool.getUUIDString(),
    state: info?.state,
    capacity: live ? info.capacity : undefined,
    allocation: live ? info.allocation : undefined,
    available: live ? info.available : undefined,
    active: await settle(pool.isActive()),
    persistent: await settle(pool.isPersistent()),
    autostart: await settle(pool.getAutostart()),
  };
}

function factsJSON(p: PoolFacts): Record<string, unknown> {
  return {
    name: p.name,
    uuid: p.uuid,
    state: p.state === undefined ? null : poolStateName(p.state),
    active: p.active ?? null,
    persistent: p.persistent ?? null,
    autostart: p.autostart ?? null,
    capacity: p.capacity ?? null,
    allocation: p.allocation ?? null,
    available: p.available ?? null,
  };
}

async function poolList(ctl: Ctl, cmd: Cmd): Promise<void> {
  let flags = 2;
  if (cmd.bool('inactive')) flags = 1;
  if (cmd.bool('all')) flags = 3;
  if (cmd.bool('persistent')) flags |= 4;
  if (cmd.bool('transient')) flags |= 8;
  if (cmd.bool('autostart')) flags |= 16;
  if (cmd.bool('no-autostart')) flags |= 32;
  for (const t of cmd.str('type')?.split(',') ?? []) {
    const bit = POOL_TYPES[t];
    if (bit === undefined) throw new CmdError(`Invalid pool type '${t}'`);
    flags |= bit;
  }
  cmd.exclusive('details', 'uuid');
  cmd.exclusive('details', 'name');
  const pools = (await attempt('Failed to list pools', () => ctl.conn.listAllStoragePools(flags))).sort((a, b) =>
    byNameCI(a.getName(), b.getName()),
  );
  const all = await Promise.all(pools.map(facts));
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(all.map(factsJSON));
    return;
  }
  if (cmd.bool('name') || cmd.bool('uuid')) {
    for (const p of all) {
      // virsh pads these columns (%-36s %-20s)
      const parts: string[] = [];
      if (cmd.bool('uuid')) parts.push(p.uuid.padEnd(36));
      if (cmd.bool('name')) parts.push(p.name.padEnd(20));
      ctl.print(parts.join(' ') + '\n');
    }
    return;
  }
  const autostart = (p: PoolFacts): string => (p.autostart === undefined ? 'no autostart' : yesNo(p.autostart));
  if (!cmd.bool('details')) {
    const rows = all.map((p) => [p.name, p.active ? 'active' : 'inactive', autostart(p)]);
    ctl.print(formatTable(['Name', 'State', 'Autostart'], rows, !ctl.quiet));
    return;
  }
  const size = (v: number | undefined): string => (v === undefined ? '-' : prettyCapacity(v));
  const rows = all.map((p) => [
    p.name,
    p.state === undefined ? 'unknown' : poolStateName(p.state),
    autostart(p),
    p.persistent === undefined ? 'unknown' : yesNo(p.persistent),
    size(p.capacity),
    size(p.allocation),
    size(p.available),
  ]);
  ctl.print(
    formatTable(['Name', 'State', 'Autostart', 'Persistent', 'Capacity', 'Allocation', 'Available'], rows, !ctl.quiet),
  );
}

async function poolInfo(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { pool } = await lookupPool(ctl, cmd);
  const p = await facts(pool);
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(factsJSON(p));
    return;
  }
  ctl.print(field('Name:', p.name));
  ctl.print(field('UUID:', p.uuid));
  if (p.state !== undefined) {
    ctl.print(field('State:', poolStateName(p.state)));
    ctl.print(field('Persistent:', p.persistent === undefined ? 'unknown' : yesNo(p.persistent)));
    ctl.print(field('Autostart:', p.autostart === undefined ? 'no autostart' : yesNo(p.autostart)));
    if (p.capacity !== undefined) {
      const size = (v: number | undefined): string => (cmd.bool('bytes') ? String(v) : prettyCapacity(v ?? 0));
      ctl.print(field('Capacity:', size(p.capacity)));
      ctl.print(field('Allocation:', size(p.allocation)));
      ctl.print(field('Available:', size(p.available)));
    }
  }
}

async function poolDumpxml(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { pool } = await lookupPool(ctl, cmd);
  const xml = await libvirtOnly(() => pool.getXMLDesc(cmd.bool('inactive') ? 1 : 0));
  ctl.value(cmd, withNewline(xml), false);
}

const fromFile = (create: boolean): CommandImpl =>
  fromFileCommand('pool', create, (ctl, xml, c) => (c ? ctl.conn.createStoragePoolXML(xml, 0) : ctl.conn.defineStoragePoolXML(xml, 0)));

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** virshBuildPoolXML: the pool document pool-define-as describes. */
export function buildPoolXML(cmd: Cmd): { name: string; xml: string } {
  const name = cmd.req('name');
  const type = cmd.req('type');
  const o = (k: string): string | undefined => cmd.str(k);
  let xml = `<pool type='${esc(type)}'>\n  <name>${esc(name)}</name>\n`;
  const src = ['source-host', 'source-path', 'source-dev', 'source-format', 'source-name', 'adapter-name', 'adapter-wwnn', 'source-initiator', 'auth-type'];
  if (src.some((k) => o(k) !== undefined)) {
    xml += '  <source>\n';
    if (o('source-host')) xml += `    <host name='${esc(o('source-host')!)}'/>\n`;
    if (o('source-path')) xml += `    <dir path='${esc(o('source-path')!)}'/>\n`;
    if (o('source-dev')) xml += `    <device path='${esc(o('source-dev')!)}'/>\n`;
    if (o('source-format')) xml += `    <format type='${esc(o('source-format')!)}'/>\n`;
    if (o('source-name')) xml += `    <name>${esc(o('source-name')!)}</name>\n`;
    if (o('source-initiator')) xml += `    <initiator>\n      <iqn name='${esc(o('source-initiator')!)}'/>\n    </initiator>\n`;
    if (o('adapter-name')) xml += `    <adapter name='${esc(o('adapter-name')!)}'/>\n`;
    xml += '  </source>\n';
  }
  if (o('target')) xml += `  <target>\n    <path>${esc(o('target')!)}</path>\n  </target>\n`;
  xml += '</pool>\n';
  return { name, xml };
}

async function poolDefineAs(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { name, xml } = buildPoolXML(cmd);
  if (cmd.bool('print-xml')) {
    ctl.print(xml);
    return;
  }
  const pool = await attempt(`Failed to define pool ${name}`, () => ctl.conn.defineStoragePoolXML(xml, 0));
  ctl.extra(`Pool ${pool.getName()} defined\n`);
}

/** A command that looks the pool up, calls one method and prints one line (see simpleCommand). */
const simple = <T>(method: (p: StoragePool, arg: T) => Promise<void>, done: string, failed: string, prepare?: (cmd: Cmd) => T): CommandImpl =>
  simpleCommand(async (ctl, cmd) => {
    const { pool, name } = await lookupPool(ctl, cmd);
    return { obj: pool, name };
  }, method, done, failed, prepare);

async function poolAutostart(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { pool, name } = await lookupPool(ctl, cmd);
  const on = !cmd.bool('disable');
  await attempt(on ? `failed to mark pool ${name} as autostarted` : `failed to unmark pool ${name} as autostarted`, () =>
    pool.setAutostart(on),
  );
  ctl.extra(on ? `Pool ${name} marked as autostarted\n` : `Pool ${name} unmarked as autostarted\n`);
}

/** virStoragePoolBuildFlags from --overwrite/--no-overwrite (virsh lets the driver judge both). */
function buildFlags(cmd: Cmd): number {
  return (cmd.bool('overwrite') ? 8 : 0) | (cmd.bool('no-overwrite') ? 4 : 0);
}

/** virStoragePoolCreateFlags from --build/--overwrite/--no-overwrite. */
function startFlags(cmd: Cmd): number {
  cmd.exclusive('overwrite', 'no-overwrite');
  return (cmd.bool('build') ? 1 : 0) | (cmd.bool('overwrite') ? 2 : 0) | (cmd.bool('no-overwrite') ? 4 : 0);
}

/** The storage pool group. */
export const POOL_COMMANDS: Record<string, CommandImpl> = {
  'pool-list': { run: poolList, json: true },
  'pool-info': { run: poolInfo, json: true },
  'pool-dumpxml': { run: poolDumpxml, json: true },
  'pool-define': fromFile(false),
  'pool-create': fromFile(true),
  'pool-define-as': { run: poolDefineAs },
  'pool-build': simple((p, f: number) => p.build(f), 'Pool %s built', 'Failed to build pool %s', buildFlags),
  'pool-start': simple((p, f: number) => p.create(f), 'Pool %s started', 'Failed to start pool %s', startFlags),
  'pool-destroy': simple((p) => p.destroy(), 'Pool %s destroyed', 'Failed to destroy pool %s'),
  'pool-delete': simple((p) => p.delete(0), 'Pool %s deleted', 'Failed to delete pool %s'),
  'pool-undefine': simple((p) => p.undefine(), 'Pool %s has been undefined', 'Failed to undefine pool %s'),
  'pool-refresh': simple((p) => p.refresh(0), 'Pool %s refreshed', 'Failed to refresh pool %s'),
  'pool-autostart': { run: poolAutostart },
};
