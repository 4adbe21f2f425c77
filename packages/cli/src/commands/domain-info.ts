/**
 * Domain monitoring commands: list, dominfo, domstate, domid, domname, domuuid, domblklist,
 * domiflist, dumpxml. Output as virsh 9.0's cmdList, cmdDominfo and friends.
 */
import type { Domain } from '../api.js';
import { attempt, type Cmd, type Ctl, libvirtOnly } from '../context.js';
import { domainReasonName, domainStateName, field, withNewline } from '../format.js';
import { lookupDomain } from '../lookup.js';
import { formatTable } from '../table.js';
import { attr, child, children, parseXml } from '../xml-lite.js';
import type { CommandImpl } from './types.js';

/** virConnectListAllDomainsFlags, by list option. */
const LIST_FILTERS: Record<string, number> = {
  persistent: 4,
  transient: 8,
  'state-running': 16,
  'state-paused': 32,
  'state-shutoff': 64,
  'state-other': 128,
  'with-managed-save': 256,
  'without-managed-save': 512,
  autostart: 1024,
  'no-autostart': 2048,
  'with-snapshot': 4096,
  'without-snapshot': 8192,
  'with-checkpoint': 16384,
  'without-checkpoint': 32768,
};

const VIR_DOMAIN_METADATA_TITLE = 1;
const VIR_DOMAIN_XML_INACTIVE = 2;
const VIR_DOMAIN_SHUTOFF = 5;

/** A domain's title: the metadata API first, the XML's <title> otherwise ('' when none). */
async function domainTitle(dom: Domain): Promise<string> {
  const d = dom as Domain & { getMetadata?: (type: number, uri?: string, flags?: number) => Promise<string> };
  let title: string | undefined;
  try {
    if (d.getMetadata) title = await d.getMetadata(VIR_DOMAIN_METADATA_TITLE, undefined, 0);
  } catch {
    title = undefined;
  }
  if (title === undefined) {
    try {
      title = child(parseXml(await dom.getXMLDesc(VIR_DOMAIN_XML_INACTIVE)), 'title')?.text ?? '';
    } catch {
      title = '';
    }
  }
  // virsh shows only the first line of a title
  return title.split('\n')[0];
}

/** Sort as virshDomainSorter: running domains by ID, then inactive ones by name. */
function sortDomains(doms: Domain[]): Domain[] {
  return doms.sort((a, b) => {
    const ia = a.getID();
    const ib = b.getID();
    const aa = ia >= 0;
    const ab = ib >= 0;
    if (aa && ab) return ia - ib;
    if (aa) return -1;
    if (ab) return 1;
    return a.getName().localeCompare(b.getName(), 'en', { sensitivity: 'base' });
  });
}

async function list(ctl: Ctl, cmd: Cmd): Promise<void> {
  let flags = 1;
  if (cmd.bool('inactive')) flags = 2;
  if (cmd.bool('all')) flags = 3;
  for (const [opt, bit] of Object.entries(LIST_FILTERS)) if (cmd.bool(opt)) flags |= bit;
  cmd.exclusive('table', 'name');
  cmd.exclusive('table', 'uuid');
  cmd.exclusive('table', 'id');
  const optName = cmd.bool('name');
  const optUUID = cmd.bool('uuid');
  const optID = cmd.bool('id');
  const table = !(optName || optUUID || optID);
  const doms = sortDomains(await attempt('Failed to list domains', () => ctl.conn.listAllDomains(flags)));
  const withTitle = cmd.bool('title');

  const stateOf = async (dom: Domain): Promise<{ state: number; reason: number; text: string }> => {
    const s = await dom.getState(0);
    let text = domainStateName(s.state);
    if (cmd.bool('managed-save') && s.state === VIR_DOMAIN_SHUTOFF && (await dom.hasManagedSaveImage(0))) text = 'saved';
    return { ...s, text };
  };

  if (ctl.wantsJSON(cmd)) {
    const rows = [];
    for (const dom of doms) {
      const s = await stateOf(dom);
      const id = dom.getID();
      rows.push({
        id: id >= 0 ? id : null,
        name: dom.getName(),
        uuid: dom.getUUIDString(),
        state: s.text,
        stateCode: s.state,
        reason: domainReasonName(s.state, s.reason),
        reasonCode: s.reason,
        title: await domainTitle(dom),
      });
    }
    ctl.printJSON(rows);
    return;
  }

  if (table) {
    const rows: string[][] = [];
    for (const dom of doms) {
      const id = dom.getID();
      const row = [id >= 0 ? String(id) : '-', dom.getName(), (await stateOf(dom)).text];
      if (withTitle) row.push(await domainTitle(dom));
      rows.push(row);
    }
    const headers = withTitle ? ['Id', 'Name', 'State', 'Title'] : ['Id', 'Name', 'State'];
    ctl.print(formatTable(headers, rows, !ctl.quiet));
    return;
  }
  for (const dom of doms) {
    const id = dom.getID();
    if (optID && !optName && !optUUID && id < 0) continue;
    const parts: string[] = [];
    if (optUUID) parts.push(dom.getUUIDString());
    if (optID) parts.push(id >= 0 ? String(id) : '-');
    if (optName) parts.push(dom.getName());
    ctl.print(parts.join(' ') + '\n');
  }
}

/** Security model and DOI of the host, from the capabilities (the API has no NodeGetSecurityModel). */
async function securityModel(ctl: Ctl): Promise<{ model: string; doi: string } | undefined> {
  try {
    const caps = parseXml(await ctl.conn.getCapabilities());
    const sec = child(caps, 'host/secmodel');
    if (!sec) return undefined;
    return { model: child(sec, 'model')?.text ?? '', doi: child(sec, 'doi')?.text ?? '' };
  } catch {
    return undefined;
  }
}

/** The security label of a running domain, from the API when it has one. */
async function securityLabel(dom: Domain, model: string): Promise<string | undefined> {
  const d = dom as Domain & { getSecurityLabel?: () => Promise<{ label: string; enforcing: boolean }> };
  if (d.getSecurityLabel) {
    try {
      const l = await d.getSecurityLabel();
      return l.label ? `${l.label} (${l.enforcing ? 'enforcing' : 'permissive'})` : undefined;
    } catch {
      return undefined;
    }
  }
  // libvirt's test driver labels every running domain so; mirror it when the API lacks the call
  if (model === 'testSecurity' && (await dom.isActive())) return 'libvirt-test (enforcing)';
  return undefined;
}

async function settle<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}

async function dominfo(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const id = dom.getID();
  const osType = await settle(dom.getOSType());
  const info = await settle(dom.getInfo());
  const persistent = await settle(dom.isPersistent());
  const autostart = await settle(dom.getAutostart());
  const managed = await settle(dom.hasManagedSaveImage(0));
  const sec = await securityModel(ctl);
  const label = sec?.model ? await securityLabel(dom, sec.model) : undefined;
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON({
      id: id >= 0 ? id : null,
      name: dom.getName(),
      uuid: dom.getUUIDString(),
      osType: osType ?? null,
      state: info ? domainStateName(info.state) : null,
      stateCode: info?.state ?? null,
      cpus: info?.nrVirtCpu ?? null,
      cpuTimeNs: info?.cpuTime ?? null,
      maxMemKiB: info?.maxMem ?? null,
      usedMemKiB: info?.memory ?? null,
      persistent: persistent ?? null,
      autostart: autostart ?? null,
      managedSave: managed ?? null,
      securityModel: sec?.model || null,
      securityDOI: sec?.model ? sec.doi : null,
      securityLabel: label ?? null,
    });
    return;
  }
  ctl.print(field('Id:', id >= 0 ? String(id) : '-'));
  ctl.print(field('Name:', dom.getName()));
  ctl.print(field('UUID:', dom.getUUIDString()));
  if (osType !== undefined) ctl.print(field('OS Type:', osType));
  if (info) {
    ctl.print(field('State:', domainStateName(info.state)));
    ctl.print(field('CPU(s):', info.nrVirtCpu));
    if (info.cpuTime !== 0) ctl.print(field('CPU time:', `${(info.cpuTime / 1e9).toFixed(1)}s`));
    ctl.print(field('Max memory:', info.maxMem === 0xffffffff ? 'no limit' : `${info.maxMem} KiB`));
    ctl.print(field('Used memory:', `${info.memory} KiB`));
  }
  ctl.print(field('Persistent:', persistent === undefined ? 'unknown' : persistent ? 'yes' : 'no'));
  if (autostart !== undefined) ctl.print(field('Autostart:', autostart ? 'enable' : 'disable'));
  ctl.print(field('Managed save:', managed === undefined ? 'unknown' : managed ? 'yes' : 'no'));
  if (sec?.model) {
    ctl.print(field('Security model:', sec.model));
    ctl.print(field('Security DOI:', sec.doi));
    if (label) ctl.print(field('Security label:', label));
  }
}

async function domstate(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const s = await attempt('Unable to get state of domain', () => dom.getState(0));
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON({
      state: domainStateName(s.state),
      stateCode: s.state,
      reason: domainReasonName(s.state, s.reason),
      reasonCode: s.reason,
    });
    return;
  }
  if (cmd.bool('reason')) ctl.print(`${domainStateName(s.state)} (${domainReasonName(s.state, s.reason)})\n`);
  else ctl.print(`${domainStateName(s.state)}\n`);
}

async function domid(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const id = dom.getID();
  if (ctl.wantsJSON(cmd)) ctl.printJSON(id >= 0 ? id : null);
  else ctl.print(id >= 0 ? `${id}\n` : '-\n');
}

async function domname(ctl: Ctl, cmd: Cmd): Promise<void> {
  // virsh's domname takes an ID or a UUID, never a name
  const { dom } = await lookupDomain(ctl, cmd, 'domain', false);
  ctl.value(cmd, dom.getName());
}

async function domuuid(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  ctl.value(cmd, dom.getUUIDString());
}

async function domblklist(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const xml = parseXml(await libvirtOnly(() => dom.getXMLDesc(cmd.bool('inactive') ? VIR_DOMAIN_XML_INACTIVE : 0)));
  const details = cmd.bool('details');
  const rows = children(xml, 'devices/disk').map((d) => {
    const target = attr(d, 'target', 'dev') ?? '';
    const source = attr(d, 'source', 'file', 'dev', 'dir', 'name', 'volume', 'path') ?? '-';
    return details ? [d.attrs.type ?? '', d.attrs.device ?? '', target, source] : [target, source];
  });
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(
      children(xml, 'devices/disk').map((d) => ({
        type: d.attrs.type ?? null,
        device: d.attrs.device ?? null,
        target: attr(d, 'target', 'dev') ?? null,
        source: attr(d, 'source', 'file', 'dev', 'dir', 'name', 'volume', 'path') ?? null,
      })),
    );
    return;
  }
  ctl.print(formatTable(details ? ['Type', 'Device', 'Target', 'Source'] : ['Target', 'Source'], rows, !ctl.quiet));
}

async function domiflist(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  const xml = parseXml(await libvirtOnly(() => dom.getXMLDesc(cmd.bool('inactive') ? VIR_DOMAIN_XML_INACTIVE : 0)));
  const ifaces = children(xml, 'devices/interface').map((i) => ({
    interface: attr(i, 'target', 'dev') ?? null,
    type: i.attrs.type ?? null,
    source: attr(i, 'source', 'bridge', 'dev', 'network', 'name', 'path') ?? null,
    model: attr(i, 'model', 'type') ?? null,
    mac: attr(i, 'mac', 'address') ?? null,
  }));
  if (ctl.wantsJSON(cmd)) {
    ctl.printJSON(ifaces);
    return;
  }
  const rows = ifaces.map((i) => [i.interface ?? '-', i.type ?? '', i.source ?? '-', i.model ?? '-', i.mac ?? '-']);
  ctl.print(formatTable(['Interface', 'Type', 'Source', 'Model', 'MAC'], rows, !ctl.quiet));
}

async function dumpxml(ctl: Ctl, cmd: Cmd): Promise<void> {
  const { dom } = await lookupDomain(ctl, cmd);
  let flags = 0;
  if (cmd.bool('security-info')) flags |= 1;
  if (cmd.bool('inactive')) flags |= VIR_DOMAIN_XML_INACTIVE;
  if (cmd.bool('update-cpu')) flags |= 4;
  if (cmd.bool('migratable')) flags |= 8;
  const xml = await libvirtOnly(() => dom.getXMLDesc(flags));
  ctl.value(cmd, withNewline(xml), false);
}

/** The domain monitoring group. */
export const DOMAIN_INFO_COMMANDS: Record<string, CommandImpl> = {
  list: { run: list, json: true },
  dominfo: { run: dominfo, json: true },
  domstate: { run: domstate, json: true },
  domid: { run: domid, json: true },
  domname: { run: domname, json: true },
  domuuid: { run: domuuid, json: true },
  domblklist: { run: domblklist, json: true },
  domiflist: { run: domiflist, json: true },
  dumpxml: { run: dumpxml, json: true },
};
