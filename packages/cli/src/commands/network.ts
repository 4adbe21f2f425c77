/**
 * Network commands: net-list, net-info, net-dumpxml, net-define, net-create, net-start,
 * net-destroy, net-undefine, net-autostart, net-uuid, net-name. Output as virsh-network.c.
 */
import type { Network } from '../api.js';
import { attempt, type Cmd, CmdError, type Ctl, libvirtOnly } from '../context.js';
import { byNameCI, field, withNewline, yesNo } from '../format.js';
import { lookupNetwork } from '../lookup.js';
import { formatTable } from '../table.js';
import { fromFileCommand, simpleCommand } from './simple.js';
import type { CommandImpl } from './types.js';

async function settle<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}

/** One network's list/info facts; fields the driver cannot tell are undefined. */
async function facts(net: Network): Promise<{
  name: string;
  uuid: string;
  active?: boolean;
  persistent?: boolean;
  autostart?: boolean;
  bridge?: string;
}> {
  return {
    name: net.getName(),
    uuid: net.getUUIDString(),
    active: await settle(net.isActive()),
    persistent: await settle(net.isPersistent()),
    autostart: await settle(net.getAutostart()),
    bridge: await settle(net.getBridgeName()),
  };
}

async function netList(ctl: Ctl, cmd: Cmd): Promise<void> {
  if (['table', 'name', 'uuid'].filter((o) => cmd.bool(o)).length > 1) {
    throw new CmdError('Only one argument from --table, --name and --uuid may be specified.');
  }
  let flags = 2;
  if (cmd.bool('inactive')) flags = 1;
  if (cmd.bool('all')) flags = 3;
  if (cmd.bool('persistent')) flags |= 4;
  if (cmd.bool('transient')) flags |= 8;
  if (cmd.bool('autostart')) flags |= 16;
  if (cmd.bool('no-autostart')) flags |= 32;
  const nets = (await attempt('Failed to list networks', () => ctl.conn.listAllNetworks(flags))).sort((a, b) =>
    byNameCI(a.getName(), b.getName()),
  );
  const all = await Promise.all(nets.map(facts));
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(
      all.map((n) => ({ name: n.name, uuid: n.uuid, active: n.active ?? null, autostart: n.autostart ?? null, persistent: n.persistent ?? null })),
    );
    return;
  }
  if (cmd.bool('name') || cmd.bool('uuid')) {
    for (const n of all) ctl.print(`${cmd.bool('uuid') ? n.uuid : n.name}\n`);
    return;
  }
  const rows = all.map((n) => [
    n.name,
    n.active ? 'active' : 'inactive',
    n.autostart === undefined ? 'no autostart' : yesNo(n.autostart),
    yesNo(n.persistent ?? false),
  ]);
  ctl.print(formatTable(['Name', 'State', 'Autostart', 'Persistent'], rows, !ctl.quiet));
}

async function netInfo(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { net } = await lookupNetwork(ctl, cmd);
  const n = await facts(net);
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON({
      name: n.name,
      uuid: n.uuid,
      active: n.active ?? null,
      persistent: n.persistent ?? null,
      autostart: n.autostart ?? null,
      bridge: n.bridge ?? null,
    });
    return;
  }
  ctl.print(field('Name:', n.name));
  ctl.print(field('UUID:', n.uuid));
  if (n.active !== undefined) ctl.print(field('Active:', yesNo(n.active)));
  ctl.print(field('Persistent:', n.persistent === undefined ? 'unknown' : yesNo(n.persistent)));
  ctl.print(field('Autostart:', n.autostart === undefined ? 'no autostart' : yesNo(n.autostart)));
  if (n.bridge !== undefined) ctl.print(field('Bridge:', n.bridge));
}

async function netDumpxml(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { net } = await lookupNetwork(ctl, cmd);
  const xml = await libvirtOnly(() => net.getXMLDesc(cmd.bool('inactive') ? 1 : 0));
  ctl.value(cmd, withNewline(xml), false);
}

const fromFile = (create: boolean): CommandImpl =>
  fromFileCommand('network', create, (ctl, xml, c) => (c ? ctl.conn.createNetworkXML(xml) : ctl.conn.defineNetworkXML(xml)));

/** A command that looks the network up, calls one method and prints one line. */
const simple = (method: (n: Network) => Promise<void>, done: string, failed: string): CommandImpl =>
  simpleCommand(async (ctl, cmd) => {
    const { net, name } = await lookupNetwork(ctl, cmd);
    return { obj: net, name };
  }, method, done, failed);

async function netAutostart(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { net, name } = await lookupNetwork(ctl, cmd);
  const on = !cmd.bool('disable');
  await attempt(on ? `failed to mark network ${name} as autostarted` : `failed to unmark network ${name} as autostarted`, () =>
    net.setAutostart(on),
  );
  ctl.extra(on ? `Network ${name} marked as autostarted\n` : `Network ${name} unmarked as autostarted\n`);
}

async function netUuid(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { net } = await lookupNetwork(ctl, cmd);
  ctl.value(cmd, net.getUUIDString());
}

async function netName(ctl: Ctl, cmd: Cmd): Promise<void> {
  const name = cmd.req('network');
  const net = await attempt(`failed to get network '${name}'`, () => ctl.conn.lookupNetworkByUUIDString(name));
  ctl.value(cmd, net.getName());
}

/** The networking group. */
export const NETWORK_COMMANDS: Record<string, CommandImpl> = {
  'net-list': { run: netList, json: true },
  'net-info': { run: netInfo, json: true },
  'net-dumpxml': { run: netDumpxml, json: true },
  'net-define': fromFile(false),
  'net-create': fromFile(true),
  'net-start': simple((n) => n.create(0), 'Network %s started', 'Failed to start network %s'),
  'net-destroy': simple((n) => n.destroy(), 'Network %s destroyed', 'Failed to destroy network %s'),
  'net-undefine': simple((n) => n.undefine(), 'Network %s has been undefined', 'Failed to undefine network %s'),
  'net-autostart': { run: netAutostart },
  'net-uuid': { run: netUuid, json: true },
  'net-name': { run: netName, json: true },
};
