/**
 * Host and hypervisor commands (version, uri, hostname, nodeinfo, capabilities,
 * domcapabilities) and vksh's own (connect, help, quit, exit).
 */
import { COMMAND_DEFS } from '../command-defs.js';
import { attempt, CmdError, type Ctl, type Cmd } from '../context.js';
import { field, withNewline } from '../format.js';
import type { CommandImpl } from './types.js';

/** Formats libvirt's packed version number (major * 1e6 + minor * 1e3 + micro). */
export function versionString(v: number): string {
  return `${Math.floor(v / 1e6)}.${Math.floor((v % 1e6) / 1e3)}.${v % 1e3}`;
}

/** The libvirt release whose API and behaviour virtkit reproduces. */
const API_LEVEL = '9.0.0';

async function version(ctl: Ctl, cmd: Cmd): Promise<void> {
  const conn = ctl.conn;
  const type = await attempt('failed to get hypervisor type', () => conn.getType());
  const lib = await attempt('failed to get the library version', () => conn.getLibVersion());
  const hv = await attempt('failed to get the hypervisor version', () => conn.getVersion());
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON({ compiledAgainst: API_LEVEL, library: versionString(lib), api: { type, version: versionString(lib) }, hypervisor: { type, version: versionString(hv) } });
    return;
  }
  ctl.print(`Compiled against library: libvirt ${API_LEVEL}\n`);
  ctl.print(`Using library: libvirt ${versionString(lib)}\n`);
  ctl.print(`Using API: ${type} ${versionString(lib)}\n`);
  ctl.print(`Running hypervisor: ${type} ${versionString(hv)}\n`);
  // no daemon: the library itself answers, as libvirtd would report its own version
  if (cmd.bool('daemon')) ctl.print(`Running against daemon: ${versionString(lib)}\n`);
}

async function uri(ctl: Ctl, cmd: Cmd): Promise<void> {
  const u = await attempt('failed to get URI', async () => ctl.conn.getURI());
  ctl.value(cmd, u);
}

async function hostname(ctl: Ctl, cmd: Cmd): Promise<void> {
  const h = await attempt('failed to get hostname', () => ctl.conn.getHostname());
  ctl.value(cmd, h);
}

async function nodeinfo(ctl: Ctl, cmd: Cmd): Promise<void> {
  const info = await attempt('failed to get node information', () => ctl.conn.getNodeInfo());
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON({
      model: info.model,
      cpus: info.cpus,
      mhz: info.mhz,
      sockets: info.sockets,
      cores: info.cores,
      threads: info.threads,
      nodes: info.nodes,
      memoryKiB: info.memory,
    });
    return;
  }
  ctl.print(field('CPU model:', info.model, 20));
  ctl.print(field('CPU(s):', info.cpus, 20));
  ctl.print(field('CPU frequency:', `${info.mhz} MHz`, 20));
  ctl.print(field('CPU socket(s):', info.sockets, 20));
  ctl.print(field('Core(s) per socket:', info.cores, 20));
  ctl.print(field('Thread(s) per core:', info.threads, 20));
  ctl.print(field('NUMA cell(s):', info.nodes, 20));
  ctl.print(field('Memory size:', `${info.memory} KiB`, 20));
}

async function capabilities(ctl: Ctl, cmd: Cmd): Promise<void> {
  const caps = await attempt('failed to get capabilities', () => ctl.conn.getCapabilities());
  ctl.value(cmd, withNewline(caps) + (ctl.wantsJSON(cmd) ? '' : '\n'), false);
}

async function domcapabilities(ctl: Ctl, cmd: Cmd): Promise<void> {
  const caps = await attempt('failed to get emulator capabilities', () =>
    ctl.conn.getDomainCapabilities({
      emulatorbin: cmd.str('emulatorbin'),
      arch: cmd.str('arch'),
      machine: cmd.str('machine'),
      virttype: cmd.str('virttype'),
    }),
  );
  ctl.value(cmd, withNewline(caps), false);
}

async function connect(ctl: Ctl, cmd: Cmd): Promise<void> {
  await ctl.connect(cmd.str('name') ?? ctl.uri, cmd.bool('readonly'));
}

const GROUP_TITLES: Record<string, string> = {
  domain: 'Domain Management',
  monitor: 'Domain Monitoring',
  host: 'Host and Hypervisor',
  network: 'Networking',
  pool: 'Storage Pool',
  volume: 'Storage Volume',
  snapshot: 'Snapshot',
  virsh: 'Virsh itself',
};

function groupHelp(group: string): string {
  let out = ` ${GROUP_TITLES[group]} (help keyword '${group}'):\n`;
  for (const d of COMMAND_DEFS) if (d.group === group) out += `    ${d.name.padEnd(30)} ${d.summary}\n`;
  return out;
}

async function help(ctl: Ctl, cmd: Cmd): Promise<void> {
  const name = cmd.str('command');
  if (name === undefined) {
    ctl.print('Grouped commands:\n\n');
    ctl.print(Object.keys(GROUP_TITLES).map(groupHelp).join('\n'));
    return;
  }
  const def = COMMAND_DEFS.find((d) => d.name === name);
  if (def) {
    const { COMMAND_HELP } = await import('../command-help.js');
    ctl.print(COMMAND_HELP[def.name]);
    return;
  }
  const group = Object.entries(GROUP_TITLES).find(([k, title]) => k === name || title === name);
  if (group) {
    ctl.print(groupHelp(group[0]));
    return;
  }
  throw new CmdError(`command or command group '${name}' doesn't exist`);
}

/** Signals the shell loop to stop; the runner treats quit/exit specially, as virsh. */
async function quit(): Promise<void> {}

/** The host group and vksh's own commands. */
export const HOST_COMMANDS: Record<string, CommandImpl> = {
  version: { run: version, json: true },
  uri: { run: uri, json: true },
  hostname: { run: hostname, json: true },
  nodeinfo: { run: nodeinfo, json: true },
  capabilities: { run: capabilities, json: true },
  domcapabilities: { run: domcapabilities, json: true },
  connect: { run: connect, noConnect: true },
  help: { run: help, noConnect: true },
  quit: { run: quit, noConnect: true },
  exit: { run: quit, noConnect: true },
};
