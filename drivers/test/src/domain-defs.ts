/**
 * Choosing which definition a call affects (libvirt's virDomainObjUpdateModificationImpact,
 * virDomainObjGetDefs and virDomainObjGetOneDefState) for AFFECT_CURRENT / LIVE / CONFIG.
 */
import { Affect, Err, From } from './consts.js';
import type { DomainDef } from './domain-def.js';
import type { DomainObj } from './domain-obj.js';
import { testError } from './errors.js';

/** The definitions a call affects: `live` and/or `config`. */
export interface AffectedDefs {
  live: DomainDef | undefined;
  config: DomainDef | undefined;
}

/** Resolves AFFECT_CURRENT and validates LIVE/CONFIG against the domain's state. */
export function modificationImpact(obj: DomainObj, flags: number): number {
  let f = flags & (Affect.LIVE | Affect.CONFIG);
  if (f === Affect.CURRENT) f = obj.isActive() ? Affect.LIVE : Affect.CONFIG;
  if (f & Affect.LIVE && !obj.isActive()) throw testError(Err.OPERATION_INVALID, 'domain is not running', From.DOMAIN);
  if (f & Affect.CONFIG && !obj.persistent) {
    throw testError(Err.OPERATION_INVALID, 'transient domains do not have any persistent config', From.DOMAIN);
  }
  return f;
}

/**
 * The definitions to change (virDomainObjGetDefs). The live and persistent definitions of a
 * running persistent domain are separated first, so changing one never changes the other.
 */
export function affectedDefs(obj: DomainObj, flags: number): AffectedDefs {
  const f = modificationImpact(obj, flags);
  if (obj.isActive()) obj.ensureTransientDef();
  return {
    live: f & Affect.LIVE ? obj.def : undefined,
    config: f & Affect.CONFIG ? obj.persistentDef : undefined,
  };
}

/** Exactly one definition (virDomainObjGetOneDefState); `live` tells which. */
export function oneDef(obj: DomainObj, flags: number): { def: DomainDef; live: boolean } {
  if ((flags & (Affect.LIVE | Affect.CONFIG)) === (Affect.LIVE | Affect.CONFIG)) {
    throw testError(Err.INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", From.DOMAIN);
  }
  const f = modificationImpact(obj, flags);
  if (f & Affect.LIVE) {
    if (obj.persistent) obj.ensureTransientDef();
    return { def: obj.def, live: true };
  }
  if (obj.isActive()) obj.ensureTransientDef();
  return { def: obj.persistentDef, live: false };
}

/** Like {@link oneDef} for read-only use: no separation of definitions needed. */
export function readDef(obj: DomainObj, flags: number): DomainDef {
  if ((flags & (Affect.LIVE | Affect.CONFIG)) === (Affect.LIVE | Affect.CONFIG)) {
    throw testError(Err.INVALID_ARG, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive", From.DOMAIN);
  }
  const f = modificationImpact(obj, flags);
  return f & Affect.LIVE ? obj.def : obj.persistentDef;
}
