/**
 * virDomainObjUpdateModificationImpact: which definitions a LIVE/CONFIG/CURRENT call touches.
 */
import { virtError } from '@virtkit/core';
import type { QemuDomainObj } from './domain-obj.js';
import * as C from './constants.js';

/**
 * Resolves VIR_DOMAIN_AFFECT_* for `obj` (CURRENT means live when running, else config) and
 * refuses live changes to an inactive domain and config changes to a transient one, with the
 * caller's libvirt wording for the transient case.
 */
export function resolveAffect(obj: QemuDomainObj, flags: number, transientMessage: string): { live: boolean; config: boolean } {
  let live = (flags & C.VIR_DOMAIN_AFFECT_LIVE) !== 0;
  let config = (flags & C.VIR_DOMAIN_AFFECT_CONFIG) !== 0;
  if (!live && !config) {
    if (obj.active) live = true;
    else config = true;
  }
  if (live && !obj.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is not running');
  if (config && !obj.persistent) throw virtError(C.VIR_ERR_OPERATION_INVALID, transientMessage);
  return { live, config };
}
