/**
 * The capabilities probe: one `-machine none` QMP session per emulator binary (version,
 * machine types, KVM availability, CPU models), cached in memory and on disk by binary path
 * and mtime. `getCapabilities`/`getDomainCapabilities` XML is formatted from it.
 */
import { statSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { QmpClient } from '@virtkit/qmp-client';
import { virtError } from '@virtkit/core';
import { VIR_ERR_INTERNAL_ERROR } from './constants.js';
import { launchQemu, readLogTail } from './process-launcher.js';
import { writeFileAtomic } from './atomic-file.js';

/** What the probe learns about one emulator. */
export interface QemuCaps {
  binary: string;
  mtimeMs: number;
  /** libvirt's version number: major * 1e6 + minor * 1e3 + micro. */
  version: number;
  /** Machine types; `alias` e.g. `pc` -> `pc-i440fx-7.2`. */
  machines: { name: string; alias?: string; isDefault?: boolean; maxCpus: number; deprecated?: boolean }[];
  kvm: boolean;
  cpuModels: string[];
}

const memo = new Map<string, QemuCaps>();

/** The default emulator binary. */
export function defaultEmulator(): string {
  return process.env.VIRTKIT_QEMU_BINARY ?? '/usr/bin/qemu-system-x86_64';
}

/** Probes (or returns the cached capabilities of) `binary`. */
export async function probeCaps(binary: string, cacheDir: string): Promise<QemuCaps> {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(binary).mtimeMs;
  } catch {
    throw virtError(VIR_ERR_INTERNAL_ERROR, `Cannot find QEMU binary ${binary}: No such file or directory`);
  }
  const key = `${binary}\0${mtimeMs}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const file = join(cacheDir, 'capabilities', `${createHash('sha256').update(binary).digest('hex').slice(0, 16)}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as QemuCaps;
    if (cached.binary === binary && cached.mtimeMs === mtimeMs) {
      memo.set(key, cached);
      return cached;
    }
  } catch {
    // no cache yet
  }
  const caps = await runProbe(binary, mtimeMs, cacheDir);
  mkdirSync(join(cacheDir, 'capabilities'), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(caps));
  memo.set(key, caps);
  return caps;
}

async function runProbe(binary: string, mtimeMs: number, cacheDir: string): Promise<QemuCaps> {
  const mon = join(cacheDir, `probe-${process.pid}.sock`);
  const log = join(cacheDir, `probe-${process.pid}.log`);
  const args = ['-S', '-no-user-config', '-nodefaults', '-nographic', '-machine', 'none', '-accel', 'kvm', '-accel', 'tcg',
    '-chardev', 'socket,id=charmonitor,fd=3,server=on,wait=off', '-mon', 'chardev=charmonitor,id=monitor,mode=control'];
  const q = await launchQemu(binary, args, mon, log);
  let qmp: QmpClient | undefined;
  try {
    const { QmpClient: Client } = await import('@virtkit/qmp-client');
    qmp = await Client.connect(mon, { connectTimeout: 10_000 });
    const ver = (await qmp.execute('query-version')) as { qemu: { major: number; minor: number; micro: number } };
    const machines = (await qmp.execute('query-machines')) as { name: string; alias?: string; 'is-default'?: boolean; 'cpu-max': number; deprecated?: boolean }[];
    const kvm = (await qmp.execute('query-kvm')) as { enabled: boolean; present: boolean };
    const cpus = (await qmp.execute('query-cpu-definitions')) as { name: string }[];
    await qmp.execute('quit').catch(() => undefined);
    return {
      binary,
      mtimeMs,
      version: ver.qemu.major * 1_000_000 + ver.qemu.minor * 1000 + ver.qemu.micro,
      machines: machines.map((m) => ({ name: m.name, alias: m.alias, isDefault: m['is-default'], maxCpus: m['cpu-max'], deprecated: m.deprecated })),
      kvm: kvm.enabled,
      cpuModels: cpus.map((c) => c.name).sort(),
    };
  } catch (e) {
    throw virtError(VIR_ERR_INTERNAL_ERROR, `Failed to probe capabilities for ${binary}: ${readLogTail(log, q.logOffset) || (e as Error).message}`);
  } finally {
    await qmp?.close().catch(() => undefined);
    try {
      process.kill(q.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Canonicalises a machine type (`pc` -> `pc-i440fx-7.2`); undefined when unknown. */
export function canonicalMachine(caps: QemuCaps, machine: string | undefined): string | undefined {
  const want = machine ?? caps.machines.find((m) => m.isDefault)?.name ?? 'pc';
  const byAlias = caps.machines.find((m) => m.alias === want);
  if (byAlias) return byAlias.name;
  return caps.machines.some((m) => m.name === want) ? want : undefined;
}

/** libvirt's `<capabilities>` XML for the host and this emulator. */
export function formatCapabilities(caps: QemuCaps, hostUuid: string, cpus: number, memKiB: number): string {
  const machines = caps.machines
    .filter((m) => m.name !== 'none')
    .map((m) => `      <machine maxCpus='${m.maxCpus}'>${m.name}</machine>\n${m.alias ? `      <machine canonical='${m.name}' maxCpus='${m.maxCpus}'>${m.alias}</machine>\n` : ''}`)
    .join('');
  return `<capabilities>

  <host>
    <uuid>${hostUuid}</uuid>
    <cpu>
      <arch>x86_64</arch>
      <topology sockets='1' dies='1' cores='${cpus}' threads='1'/>
    </cpu>
    <topology>
      <cells num='1'>
        <cell id='0'>
          <memory unit='KiB'>${memKiB}</memory>
        </cell>
      </cells>
    </topology>
  </host>

  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>${caps.binary}</emulator>
${machines}      <domain type='qemu'/>
${caps.kvm ? "      <domain type='kvm'/>\n" : ''}    </arch>
    <features>
      <acpi default='on' toggle='yes'/>
      <apic default='on' toggle='no'/>
    </features>
  </guest>

</capabilities>
`;
}

/** libvirt's `<domainCapabilities>` XML. */
export function formatDomainCapabilities(caps: QemuCaps, machine: string, virttype: string): string {
  const m = caps.machines.find((x) => x.name === machine);
  return `<domainCapabilities>
  <path>${caps.binary}</path>
  <domain>${virttype}</domain>
  <machine>${machine}</machine>
  <arch>x86_64</arch>
  <vcpu max='${m?.maxCpus ?? 255}'/>
  <iothreads supported='yes'/>
  <os supported='yes'>
    <enum name='firmware'/>
    <loader supported='yes'>
      <enum name='type'>
        <value>rom</value>
      </enum>
    </loader>
  </os>
  <cpu>
    <mode name='host-passthrough' supported='${virttype === 'kvm' ? 'yes' : 'no'}'/>
    <mode name='maximum' supported='yes'/>
    <mode name='host-model' supported='yes'/>
    <mode name='custom' supported='yes'>
${caps.cpuModels.map((c) => `      <model usable='unknown'>${c}</model>`).join('\n')}
    </mode>
  </cpu>
  <devices>
    <disk supported='yes'>
      <enum name='diskDevice'>
        <value>disk</value>
        <value>cdrom</value>
      </enum>
      <enum name='bus'>
        <value>ide</value>
        <value>scsi</value>
        <value>virtio</value>
        <value>sata</value>
      </enum>
    </disk>
    <graphics supported='yes'>
      <enum name='type'>
        <value>vnc</value>
      </enum>
    </graphics>
    <video supported='yes'>
      <enum name='modelType'>
        <value>vga</value>
        <value>cirrus</value>
        <value>virtio</value>
        <value>none</value>
      </enum>
    </video>
    <rng supported='yes'>
      <enum name='model'>
        <value>virtio</value>
      </enum>
      <enum name='backendModel'>
        <value>random</value>
      </enum>
    </rng>
  </devices>
  <features>
    <vmcoreinfo supported='yes'/>
  </features>
</domainCapabilities>
`;
}
