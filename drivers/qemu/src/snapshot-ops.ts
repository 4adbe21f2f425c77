/**
 * Internal snapshots of qcow2 guests: QEMU's snapshot-save / snapshot-load / snapshot-delete
 * jobs while running, `qemu-img snapshot` while shut off.
 */
import { virtError } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import type { QemuDomainObj } from './domain-obj.js';
import * as C from './constants.js';

/** The qcow2 disks of a definition; refuses definitions that cannot take internal snapshots. */
export function snapshotDisks(def: DomainDef): { path: string; alias?: string }[] {
  const out: { path: string; alias?: string }[] = [];
  for (const d of def.devices.disks) {
    if ((d.device ?? 'disk') === 'cdrom') continue;
    const fmt = d.driver?.type ?? 'raw';
    const path = (d.type ?? 'file') === 'block' ? d.source?.dev : d.source?.file;
    if (fmt !== 'qcow2') {
      throw virtError(C.VIR_ERR_CONFIG_UNSUPPORTED, `internal snapshot for disk ${d.target.dev} unsupported for storage type ${fmt}`);
    }
    if (path) out.push({ path, alias: d.alias });
  }
  return out;
}

/** The format node names of the live qcow2 disks (for the snapshot jobs). */
async function liveNodes(obj: QemuDomainObj): Promise<string[]> {
  snapshotDisks(obj.liveDef!);
  const blocks = (await obj.mon().execute('query-block')) as { qdev?: string; inserted?: { 'node-name'?: string; image?: { format?: string } } }[];
  const nodes = blocks.filter((b) => b.inserted?.image?.format === 'qcow2').map((b) => b.inserted!['node-name']!).filter(Boolean);
  if (nodes.length === 0) throw virtError(C.VIR_ERR_OPERATION_UNSUPPORTED, 'internal snapshots need at least one qcow2 disk');
  return nodes;
}

let jobCounter = 0;

/** Runs a snapshot-* job to its end and dismisses it. */
async function runJob(obj: QemuDomainObj, command: 'snapshot-save' | 'snapshot-load' | 'snapshot-delete', tag: string, withVmstate: boolean): Promise<void> {
  const mon = obj.mon();
  const devices = await liveNodes(obj);
  const id = `snapjob${++jobCounter}`;
  const args: Record<string, unknown> = { 'job-id': id, tag, devices };
  if (withVmstate) args.vmstate = devices[0];
  const concluded = mon.waitForEvent('JOB_STATUS_CHANGE', (e) => {
    const d = e.data as { id?: string; status?: string };
    return d.id === id && d.status === 'concluded';
  }, 600_000);
  await mon.execute(command, args);
  await concluded;
  const jobs = (await mon.execute('query-jobs')) as { id: string; error?: string }[];
  const err = jobs.find((j) => j.id === id)?.error;
  await mon.execute('job-dismiss', { id }).catch(() => undefined);
  if (err) throw virtError(C.VIR_ERR_OPERATION_FAILED, `${command} job failed: ${err}`);
}

/** Creates an internal snapshot `name` of a running domain (disks + memory). */
export function saveLive(obj: QemuDomainObj, name: string): Promise<void> {
  return runJob(obj, 'snapshot-save', name, true);
}

/** Loads snapshot `name` into a running (or started-paused) domain. */
export function loadLive(obj: QemuDomainObj, name: string): Promise<void> {
  return runJob(obj, 'snapshot-load', name, true);
}

/** Deletes snapshot `name` from the disks of a running domain. */
export function deleteLive(obj: QemuDomainObj, name: string): Promise<void> {
  return runJob(obj, 'snapshot-delete', name, false);
}

/** `qemu-img snapshot` on every qcow2 disk of a shut-off domain. */
export async function qemuImgSnapshot(def: DomainDef, op: '-c' | '-a' | '-d', name: string): Promise<void> {
  for (const d of snapshotDisks(def)) {
    try {
      await (await import('execa')).execa('qemu-img', ['snapshot', op, name, d.path]);
    } catch (e) {
      const msg = ((e as { stderr?: string }).stderr || (e as Error).message).trim();
      throw virtError(C.VIR_ERR_OPERATION_FAILED, `qemu-img snapshot ${op} ${name} ${d.path}: ${msg}`);
    }
  }
}
