/**
 * Domain management commands: define, undefine, create, start, suspend, resume, shutdown,
 * reboot, reset, destroy, save, restore, managedsave, managedsave-remove, setmem, setmaxmem,
 * setvcpus, autostart, attach-device, detach-device, domrename. Messages as virsh 9.0.
 */
import {
  VIR_DOMAIN_SAVE_BYPASS_CACHE,
  VIR_DOMAIN_SAVE_PAUSED,
  VIR_DOMAIN_SAVE_RESET_NVRAM,
  VIR_DOMAIN_SAVE_RUNNING,
} from '@virtkit/core';
import type { Domain, JobOpts, StorageVol } from '../api.js';
import { attempt, type Cmd, CmdError, type Ctl, failure, libvirtOnly } from '../context.js';
import { readInput, userPath } from '../files.js';
import { lookupDomain } from '../lookup.js';
import { progressFor } from '../progress.js';
import { attr, children, parseXml } from '../xml-lite.js';
import { simpleCommand } from './simple.js';
import type { CommandImpl } from './types.js';

const AFFECT_LIVE = 1;
const AFFECT_CONFIG = 2;

/** --config/--live/--current (and --persistent where offered) as virDomainModificationImpact. */
function affectFlags(cmd: Cmd): number {
  cmd.exclusive('current', 'live');
  cmd.exclusive('current', 'config');
  let flags = 0;
  if (cmd.bool('config')) flags |= AFFECT_CONFIG;
  if (cmd.bool('live')) flags |= AFFECT_LIVE;
  return flags;
}

async function define(ctl: Ctl, cmd: Cmd): Promise<void> {
  const file = cmd.req('file');
  const xml = await readInput(ctl, file);
  const dom = await attempt(`Failed to define domain from ${file}`, () => ctl.conn.defineDomainXML(xml, cmd.bool('validate') ? 1 : undefined));
  ctl.extra(`Domain '${dom.getName()}' defined from ${file}\n`);
}

async function create(ctl: Ctl, cmd: Cmd): Promise<void> {
  const file = cmd.req('file');
  const xml = await readInput(ctl, file);
  let flags = 0;
  if (cmd.bool('paused')) flags |= 1;
  if (cmd.bool('autodestroy')) flags |= 2;
  if (cmd.bool('validate')) flags |= 16;
  const dom = await attempt(`Failed to create domain from ${file}`, () => ctl.conn.createDomainXML(xml, flags));
  ctl.extra(`Domain '${dom.getName()}' created from ${file}\n`);
}

async function start(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  if (dom.getID() >= 0) throw new CmdError('Domain is already active');
  let flags = 0;
  if (cmd.bool('paused')) flags |= 1;
  if (cmd.bool('autodestroy')) flags |= 2;
  if (cmd.bool('bypass-cache')) flags |= 4;
  if (cmd.bool('force-boot')) flags |= 8;
  if (cmd.bool('reset-nvram')) flags |= 32;
  // no flags: plain virDomainCreate, as virsh calls it (errors name the API)
  await attempt(`Failed to start domain '${dom.getName()}'`, () => dom.create(flags || undefined));
  ctl.extra(`Domain '${dom.getName()}' started\n`);
}

/** A command that looks the domain up, calls one method and prints one line (see simpleCommand). */
const simple = <T>(method: (d: Domain, arg: T) => Promise<void>, done: string, failed: string, prepare?: (cmd: Cmd) => T): CommandImpl =>
  simpleCommand(async (ctl, cmd) => {
    const { dom, name } = await lookupDomain(ctl, cmd);
    return { obj: dom, name };
  }, method, done, failed, prepare);

const SHUTDOWN_MODES: Record<string, number> = { acpi: 1, agent: 2, initctl: 4, signal: 8, paravirt: 16 };

/** --mode acpi,agent,... as virDomainShutdownFlagValues (virsh words the two errors apart). */
function modeFlags(cmd: Cmd, shutdown: boolean): number {
  const mode = cmd.str('mode');
  if (mode === undefined) return 0;
  let flags = 0;
  for (const m of mode.split(',')) {
    const bit = SHUTDOWN_MODES[m];
    if (bit === undefined) {
      throw new CmdError(`Unknown mode ${m} value, expecting 'acpi', 'agent', 'initctl', 'signal'${shutdown ? ',' : ''} or 'paravirt'`);
    }
    flags |= bit;
  }
  return flags;
}

async function undefine(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  cmd.exclusive('nvram', 'keep-nvram');
  cmd.exclusive('tpm', 'keep-tpm');
  let flags = 0;
  if (cmd.bool('managed-save')) flags |= 1;
  if (cmd.bool('snapshots-metadata')) flags |= 2;
  if (cmd.bool('nvram')) flags |= 4;
  if (cmd.bool('keep-nvram')) flags |= 8;
  if (cmd.bool('checkpoints-metadata')) flags |= 16;
  if (cmd.bool('tpm')) flags |= 32;
  if (cmd.bool('keep-tpm')) flags |= 64;
  const removeAll = cmd.bool('remove-all-storage');
  const storage = cmd.str('storage')?.split(',') ?? [];
  // Collect the volumes before the domain (and its XML) goes away, as virsh does; disks that
  // no pool manages are reported and left alone.
  const volumes: { target: string; source: string; vol: StorageVol }[] = [];
  if (removeAll || storage.length) {
    const xml = parseXml(await libvirtOnly(() => dom.getXMLDesc(0)));
    for (const d of children(xml, 'devices/disk')) {
      const source = attr(d, 'source', 'file', 'dev', 'volume', 'name');
      const target = attr(d, 'target', 'dev') ?? '';
      if (!source || !(removeAll || storage.includes(target) || storage.includes(source))) continue;
      try {
        volumes.push({ target, source, vol: await ctl.conn.lookupStorageVolByPath(source) });
      } catch {
        ctl.error(`Storage volume '${target}'(${source}) is not managed by libvirt. Remove it manually.\n`);
      }
    }
  }
  await attempt(`Failed to undefine domain '${name}'`, () => dom.undefine(flags));
  ctl.extra(`Domain '${name}' has been undefined\n`);
  const failed: string[] = [];
  for (const v of volumes) {
    try {
      await v.vol.delete(cmd.bool('delete-storage-volume-snapshots') ? 2 : 0);
      ctl.extra(`Volume '${v.target}'(${v.source}) removed.\n`);
    } catch (e) {
      failed.push(`Failed to remove storage volume '${v.target}'(${v.source})`, failure(e).message);
    }
  }
  if (failed.length) throw new CmdError(failed);
}

/** --bypass-cache, --running, --paused of save, restore and managedsave (virDomainSaveRestoreFlags). */
function saveFlags(cmd: Cmd): number {
  let flags = 0;
  if (cmd.bool('bypass-cache')) flags |= VIR_DOMAIN_SAVE_BYPASS_CACHE;
  if (cmd.bool('running')) flags |= VIR_DOMAIN_SAVE_RUNNING;
  if (cmd.bool('paused')) flags |= VIR_DOMAIN_SAVE_PAUSED;
  return flags;
}

async function save(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  const file = cmd.req('file');
  const xmlFile = cmd.str('xml');
  const dxml = xmlFile === undefined ? undefined : await readInput(ctl, xmlFile);
  const flags = saveFlags(cmd);
  const progress = progressFor(ctl, 'Save', cmd.bool('verbose'));
  try {
    await attempt(`Failed to save domain '${name}' to ${file}`, () =>
      // plain virDomainSave unless flags or XML ask for virDomainSaveFlags, as virsh
      // the library gets an absolute path, as libvirt's client makes it; messages keep the user's
      dom.save(userPath(ctl, file), dxml === undefined && flags === 0 ? { onProgress: progress?.update } : { dxml, flags, onProgress: progress?.update }),
    );
  } finally {
    progress?.done();
  }
  // virsh ends its job-watch line before the message
  ctl.extra(`\nDomain '${name}' saved to ${file}\n`);
}

async function restore(ctl: Ctl, cmd: Cmd): Promise<void> {
  const file = cmd.req('file');
  const xmlFile = cmd.str('xml');
  const dxml = xmlFile === undefined ? undefined : await readInput(ctl, xmlFile);
  let flags = saveFlags(cmd);
  if (cmd.bool('reset-nvram')) flags |= VIR_DOMAIN_SAVE_RESET_NVRAM;
  const progress = progressFor(ctl, 'Restore', false);
  const opts: JobOpts & { dxml?: string; flags?: number } = { onProgress: progress?.update };
  if (dxml !== undefined || flags !== 0) Object.assign(opts, { dxml, flags });
  try {
    await attempt(`Failed to restore domain from ${file}`, () => ctl.conn.restoreDomain(userPath(ctl, file), opts));
  } finally {
    progress?.done();
  }
  ctl.extra(`Domain restored from ${file}\n`);
}

async function managedsave(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  const flags = saveFlags(cmd);
  await attempt(`Failed to save domain '${name}' state`, () => dom.managedSave(flags));
  ctl.extra(`\nDomain '${name}' state saved by libvirt\n`);
}

async function managedsaveRemove(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  const has = await attempt(`Failed to check for domain managed save image`, () => dom.hasManagedSaveImage(0));
  // virsh prints these two without a newline: the command's blank line ends them
  if (!has) {
    ctl.extra(`Domain '${name}' has no manage save image; removal skipped`);
    return;
  }
  await attempt(`Failed to remove managed save image for domain '${name}'`, () => dom.managedSaveRemove(0));
  ctl.extra(`Removed managedsave image for domain '${name}'`);
}

async function setmem(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const flags = affectFlags(cmd);
  const bytes = cmd.scaled('size', 1024)!;
  const kib = Math.ceil(bytes / 1024);
  // virsh 9.0 always calls virDomainSetMemoryFlags (AFFECT_CURRENT without options)
  await libvirtOnly(() => dom.setMemoryFlags(kib, flags));
}

async function setmaxmem(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const flags = affectFlags(cmd);
  const bytes = cmd.scaled('size', 1024)!;
  const kib = Math.ceil(bytes / 1024);
  await attempt('Unable to change MaxMemorySize', () => dom.setMemoryFlags(kib, flags | 4));
}

async function setvcpus(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  let flags = affectFlags(cmd);
  const count = cmd.int('count')!;
  if (cmd.bool('maximum') && !cmd.bool('config')) throw new CmdError('Option --config is required by option --maximum');
  if (cmd.bool('maximum')) flags |= 4;
  if (cmd.bool('guest')) flags |= 8;
  if (cmd.bool('hotpluggable')) flags |= 16;
  // virDomainSetVcpus unless an option asks for the Flags variant, as virsh 9.0
  const plain = flags === 0 && !cmd.bool('current');
  await libvirtOnly(() => (plain ? dom.setVcpus(count) : dom.setVcpusFlags(count, flags)));
}

async function autostart(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom, name } = await lookupDomain(ctl, cmd);
  const on = !cmd.bool('disable');
  await attempt(on ? `Failed to mark domain '${name}' as autostarted` : `Failed to unmark domain '${name}' as autostarted`, () =>
    dom.setAutostart(on),
  );
  ctl.extra(on ? `Domain '${name}' marked as autostarted\n` : `Domain '${name}' unmarked as autostarted\n`);
}

/** attach-device/detach-device: the plain API without impact options, the Flags one with. */
function deviceCommand(attach: boolean): CommandImpl {
  return {
    run: async (ctl, cmd) => {
      const { dom } = await lookupDomain(ctl, cmd);
      const file = cmd.req('file');
      let flags = affectFlags(cmd);
      const persistent = cmd.bool('persistent');
      if (persistent) {
        flags |= AFFECT_CONFIG;
        if (await dom.isActive()) flags |= AFFECT_LIVE;
      }
      const xml = await readInput(ctl, file);
      const what = attach ? 'attach' : 'detach';
      await attempt(`Failed to ${what} device from ${file}`, async () => {
        if (flags === 0 && !cmd.bool('current')) await (attach ? dom.attachDevice(xml) : dom.detachDevice(xml));
        else if (attach) await dom.attachDeviceFlags(xml, flags);
        else await dom.detachDeviceFlags(xml, flags);
      });
      ctl.extra(`Device ${what}ed successfully\n`);
    },
  };
}

async function domrename(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const newName = cmd.req('new-name');
  try {
    await dom.rename(newName, 0);
  } catch (e) {
    throw failure(e);
  }
  ctl.extra('Domain successfully renamed\n');
}

/** The domain management group. */
export const DOMAIN_COMMANDS: Record<string, CommandImpl> = {
  define: { run: define },
  create: { run: create },
  start: { run: start },
  suspend: simple((d) => d.suspend(), "Domain '%s' suspended", "Failed to suspend domain '%s'"),
  resume: simple((d) => d.resume(), "Domain '%s' resumed", "Failed to resume domain '%s'"),
  shutdown: simple((d, f: number) => d.shutdown(f || undefined), "Domain '%s' is being shutdown", "Failed to shutdown domain '%s'", (c) =>
    modeFlags(c, true),
  ),
  reboot: simple((d, f: number) => d.reboot(f), "Domain '%s' is being rebooted", "Failed to reboot domain '%s'", (c) =>
    modeFlags(c, false),
  ),
  reset: simple((d) => d.reset(0), "Domain '%s' was reset", "Failed to reset domain '%s'"),
  destroy: simple((d, f: number) => d.destroy(f || undefined), "Domain '%s' destroyed", "Failed to destroy domain '%s'", (c) =>
    c.bool('graceful') ? 1 : 0,
  ),
  undefine: { run: undefine },
  save: { run: save },
  restore: { run: restore },
  managedsave: { run: managedsave },
  'managedsave-remove': { run: managedsaveRemove },
  setmem: { run: setmem },
  setmaxmem: { run: setmaxmem },
  setvcpus: { run: setvcpus },
  autostart: { run: autostart },
  'attach-device': deviceCommand(true),
  'detach-device': deviceCommand(false),
  domrename: { run: domrename },
};
