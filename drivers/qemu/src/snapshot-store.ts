/**
 * Snapshot metadata of one domain: `libDir/snapshot/DOMAIN/NAME.xml` per snapshot (libvirt's
 * snapshot XML with the domain it captured) and `current` naming the current snapshot.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDomainSnapshotXML, parseDomainSnapshotXML, type DomainSnapshotDef } from '@virtkit/xml';
import { writeFileAtomic } from './atomic-file.js';

/** The snapshots of one domain. */
export class SnapshotStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Every snapshot, oldest first. */
  list(): DomainSnapshotDef[] {
    if (!existsSync(this.#dir)) return [];
    return readdirSync(this.#dir)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => parseDomainSnapshotXML(readFileSync(join(this.#dir, f), 'utf8')))
      .sort((a, b) => (a.creationTime ?? 0) - (b.creationTime ?? 0) || (a.name ?? '').localeCompare(b.name ?? ''));
  }

  /** One snapshot, or undefined. */
  get(name: string): DomainSnapshotDef | undefined {
    const file = join(this.#dir, `${name}.xml`);
    return existsSync(file) ? parseDomainSnapshotXML(readFileSync(file, 'utf8')) : undefined;
  }

  /** Writes a snapshot's metadata. */
  async put(def: DomainSnapshotDef): Promise<void> {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.#dir, `${def.name}.xml`), formatDomainSnapshotXML(def));
  }

  /** Removes a snapshot's metadata. */
  async remove(name: string): Promise<void> {
    await rm(join(this.#dir, `${name}.xml`), { force: true });
  }

  /** The current snapshot's name. */
  current(): string | undefined {
    try {
      const n = readFileSync(join(this.#dir, 'current'), 'utf8').trim();
      return n && existsSync(join(this.#dir, `${n}.xml`)) ? n : undefined;
    } catch {
      return undefined;
    }
  }

  /** Sets (or clears) the current snapshot. */
  async setCurrent(name: string | undefined): Promise<void> {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    if (name === undefined) await rm(join(this.#dir, 'current'), { force: true });
    else await writeFileAtomic(join(this.#dir, 'current'), name);
  }
}
