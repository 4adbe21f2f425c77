/**
 * Object lookup from a command's arguments, as virsh's virshCommandOptDomainBy and friends:
 * a domain by ID, then UUID, then name; networks and pools by UUID, then name; volumes by
 * name in the given pool, then key, then path. Failures print virsh's own first line.
 */
import type { Domain, Network, StoragePool, StorageVol } from './api.js';
import { type Cmd, CmdError, type Ctl, failure } from './context.js';

const UUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Looks up the domain named by option `opt`; returns it with the name as the user typed it. */
export async function lookupDomain(ctl: Ctl, cmd: Cmd, opt = 'domain', byName = true): Promise<{ dom: Domain; name: string }> {
  const name = cmd.req(opt);
  const conn = ctl.conn;
  if (/^\d+$/.test(name)) {
    try {
      return { dom: await conn.lookupDomainByID(Number(name)), name };
    } catch {
      // not an ID of a running domain: try the other forms
    }
  }
  if (UUID_RE.test(name)) {
    try {
      return { dom: await conn.lookupDomainByUUIDString(name), name };
    } catch {
      // fall through to the name
    }
  }
  try {
    if (!byName) throw new Error('by ID or UUID only');
    return { dom: await conn.lookupDomainByName(name), name };
  } catch {
    // virsh drops the library error here and prints only its own line
    throw new CmdError(`failed to get domain '${name}'`);
  }
}

/** Looks up a network by UUID, then by name. */
export async function lookupNetwork(ctl: Ctl, cmd: Cmd, opt = 'network'): Promise<{ net: Network; name: string }> {
  const name = cmd.req(opt);
  const conn = ctl.conn;
  if (UUID_RE.test(name)) {
    try {
      return { net: await conn.lookupNetworkByUUIDString(name), name };
    } catch {
      // fall through to the name
    }
  }
  try {
    return { net: await conn.lookupNetworkByName(name), name };
  } catch (e) {
    throw failure(e, `failed to get network '${name}'`);
  }
}

/** Looks up a pool by UUID, then by name, from a string. */
export async function lookupPoolByString(ctl: Ctl, name: string): Promise<StoragePool> {
  const conn = ctl.conn;
  if (UUID_RE.test(name)) {
    try {
      return await conn.lookupStoragePoolByUUIDString(name);
    } catch {
      // fall through to the name
    }
  }
  try {
    return await conn.lookupStoragePoolByName(name);
  } catch (e) {
    throw failure(e, `failed to get pool '${name}'`);
  }
}

/** Looks up the pool named by option `opt`. */
export async function lookupPool(ctl: Ctl, cmd: Cmd, opt = 'pool'): Promise<{ pool: StoragePool; name: string }> {
  const name = cmd.req(opt);
  return { pool: await lookupPoolByString(ctl, name), name };
}

/** A volume by name inside a pool, whichever name the core API gives that method. */
export function poolVolByName(pool: StoragePool, name: string): Promise<StorageVol> {
  const p = pool as unknown as Record<string, ((n: string) => Promise<StorageVol>) | undefined>;
  const fn = p.lookupStorageVolByName ?? p.storageVolLookupByName ?? p.lookupVolByName;
  if (!fn) return Promise.reject(new Error('volume lookup by name is not available'));
  return fn.call(pool, name);
}

/**
 * Looks up a volume (option `opt`, default `vol`) with the optional `--pool`: by name in the
 * pool, then by key, then by path; the error reported is the path lookup's, as in virsh.
 */
export async function lookupVol(ctl: Ctl, cmd: Cmd, opt = 'vol'): Promise<{ vol: StorageVol; name: string }> {
  const name = cmd.req(opt);
  const poolName = cmd.str('pool');
  const conn = ctl.conn;
  if (poolName !== undefined) {
    const pool = await lookupPoolByString(ctl, poolName);
    try {
      return { vol: await poolVolByName(pool, name), name };
    } catch {
      // try the key and path forms next
    }
  }
  try {
    return { vol: await conn.lookupStorageVolByKey(name), name };
  } catch {
    // and the path
  }
  try {
    return { vol: await conn.lookupStorageVolByPath(name), name };
  } catch (e) {
    const msg = poolVolHint(name, poolName);
    throw failure(e, msg);
  }
}

function poolVolHint(name: string, poolName: string | undefined): string {
  return poolName === undefined ? `failed to get vol '${name}', specifying --pool might help` : `failed to get vol '${name}'`;
}
