/**
 * The domain store: persistent definitions (`configDir/NAME.xml`), autostart markers
 * (`configDir/autostart/NAME.xml`), and status files of running domains (`stateDir/NAME.json`),
 * all written atomically. The status file is what a new connection reconnects from.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { virtError } from '@virtkit/core';
import { VIR_ERR_XML_ERROR } from './constants.js';
import type { QemuPaths } from './paths.js';
import { writeFileAtomic } from './atomic-file.js';

/** What a running domain's status file records. */
export interface DomainStatus {
  readonly version: 1;
  name: string;
  uuid: string;
  id: number;
  pid: number;
  /** Start time of `pid` in clock ticks (field 22 of /proc/PID/stat), to detect pid reuse. */
  pidStart: number;
  /** virDomainState and its reason. */
  state: number;
  reason: number;
  /** The QMP socket path. */
  monitor: string;
  /** The live definition (as started, with aliases), as XML. */
  xml: string;
  /** Set while a guest-initiated reboot is being turned into a reset (libvirt's fakeReboot). */
  fakeReboot?: boolean;
  /** Whether the domain was started from a transient definition. */
  persistent: boolean;
  /** Tap devices the driver created for it (removed when it stops). */
  taps?: { ifname: string; bridge?: string; managed: boolean }[];
}

/**
 * Checks a domain name as the driver stores it: not empty, no '/', no leading '.', no control
 * characters, at most 255 bytes.
 */
export function validateDomainName(name: string): void {
  if (name === '') throw virtError(VIR_ERR_XML_ERROR, 'missing domain name information');
  if (name.includes('/')) throw virtError(VIR_ERR_XML_ERROR, `name ${name} cannot contain '/'`);
  if (name.startsWith('.')) throw virtError(VIR_ERR_XML_ERROR, `name ${name} cannot start with '.'`);
  if (/[\x00-\x1f\x7f]/.test(name)) throw virtError(VIR_ERR_XML_ERROR, `name ${JSON.stringify(name)} cannot contain control characters`);
  if (Buffer.byteLength(name) > 255) throw virtError(VIR_ERR_XML_ERROR, `name is longer than 255 bytes`);
}

/** Reads and writes one root's definitions and status files. */
export class DomainStore {
  readonly #paths: QemuPaths;

  constructor(paths: QemuPaths) {
    this.#paths = paths;
    for (const d of [paths.configDir, join(paths.configDir, 'autostart'), paths.stateDir, paths.logDir, paths.libDir, paths.cacheDir]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
    }
    mkdirSync(join(paths.libDir, 'save'), { recursive: true, mode: 0o700 });
    mkdirSync(join(paths.libDir, 'snapshot'), { recursive: true, mode: 0o700 });
    mkdirSync(join(paths.libDir, 'shutoff'), { recursive: true, mode: 0o700 });
  }

  /** The directory layout. */
  get paths(): QemuPaths {
    return this.#paths;
  }

  /** Every persistent definition, by name. */
  loadDefinitions(): Map<string, string> {
    const out = new Map<string, string>();
    for (const f of readdirSync(this.#paths.configDir)) {
      if (!f.endsWith('.xml')) continue;
      out.set(f.slice(0, -4), readFileSync(join(this.#paths.configDir, f), 'utf8'));
    }
    return out;
  }

  /** Names with autostart set. */
  loadAutostart(): Set<string> {
    const dir = join(this.#paths.configDir, 'autostart');
    return new Set(readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => f.slice(0, -4)));
  }

  /** Every status file (running domains as last recorded). Unreadable ones are skipped. */
  loadStatuses(): DomainStatus[] {
    const out: DomainStatus[] = [];
    for (const f of readdirSync(this.#paths.stateDir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const s = JSON.parse(readFileSync(join(this.#paths.stateDir, f), 'utf8')) as DomainStatus;
        if (s.version === 1) out.push(s);
      } catch {
        // torn or foreign file: ignore
      }
    }
    return out;
  }

  /** Writes a persistent definition. */
  async writeDefinition(name: string, xml: string): Promise<void> {
    await writeFileAtomic(join(this.#paths.configDir, `${name}.xml`), xml);
  }

  /** Removes a persistent definition and its autostart marker. */
  async removeDefinition(name: string): Promise<void> {
    await rm(join(this.#paths.configDir, `${name}.xml`), { force: true });
    await this.setAutostart(name, false);
    await this.writeShutoffReason(name, undefined);
  }

  /** Sets or clears the autostart marker (a symlink to the definition, as libvirt's). */
  async setAutostart(name: string, on: boolean): Promise<void> {
    const link = join(this.#paths.configDir, 'autostart', `${name}.xml`);
    await unlink(link).catch(() => undefined);
    if (on) await symlink(join(this.#paths.configDir, `${name}.xml`), link);
  }

  /** The recorded shut-off reason of an inactive persistent domain (0 = unknown). */
  loadShutoffReason(name: string): number {
    try {
      return Number(readFileSync(join(this.#paths.libDir, 'shutoff', name), 'utf8')) || 0;
    } catch {
      return 0;
    }
  }

  /** Records why a persistent domain shut off, so later connections report it too. */
  async writeShutoffReason(name: string, reason: number | undefined): Promise<void> {
    const file = join(this.#paths.libDir, 'shutoff', name);
    if (reason === undefined) await rm(file, { force: true });
    else await writeFileAtomic(file, String(reason), 0o600, false);
  }

  /** Writes a status file. */
  async writeStatus(status: DomainStatus): Promise<void> {
    await writeFileAtomic(join(this.#paths.stateDir, `${status.name}.json`), JSON.stringify(status), 0o600, false);
  }

  /** Removes a status file. */
  async removeStatus(name: string): Promise<void> {
    await rm(join(this.#paths.stateDir, `${name}.json`), { force: true });
  }

  /** The QMP socket path of a domain (by uuid: names may be too long for a socket path). */
  monitorPath(uuid: string): string {
    return join(this.#paths.stateDir, `mon-${uuid}.sock`);
  }

  /** The log file of a domain. */
  logPath(name: string): string {
    return join(this.#paths.logDir, `${name}.log`);
  }

  /** The managed-save image of a domain. */
  managedSavePath(name: string): string {
    return join(this.#paths.libDir, 'save', `${name}.save`);
  }

  /** The snapshot metadata directory of a domain. */
  snapshotDir(name: string): string {
    return join(this.#paths.libDir, 'snapshot', name);
  }
}
