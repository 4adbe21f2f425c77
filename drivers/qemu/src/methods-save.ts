/**
 * Save/restore and managed save methods.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { virtError, type HypervisorDriver } from '@virtkit/core';
import { parseDomainXML } from '@virtkit/xml';
import type { QemuDriverState } from './driver-state.js';
import { QemuDomainObj } from './domain-obj.js';
import { saveToFile, restoreFromFile, readSaveHeader } from './save-restore.js';
import { postParse } from './methods-define.js';
import { checkFlagsLocal } from './flags.js';
import * as C from './constants.js';

const SAVE_FLAGS = C.VIR_DOMAIN_SAVE_BYPASS_CACHE | C.VIR_DOMAIN_SAVE_RUNNING | C.VIR_DOMAIN_SAVE_PAUSED;

/** The save/restore methods. */
export function saveMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  return {
    async domainSave(ref, file, dxml, flags) {
      checkFlagsLocal(flags, SAVE_FLAGS, 'qemuDomainSaveFlags');
      const obj = st.get(ref);
      await obj.job.run('save', () => saveToFile(st, obj, file, dxml, flags));
    },
    async domainRestore(file, dxml, flags) {
      checkFlagsLocal(flags, SAVE_FLAGS, 'qemuDomainRestoreFlags');
      const { header } = readSaveHeader(file);
      const def = postParse(parseDomainXML(dxml ?? header.xml));
      let obj = st.byUuid(def.uuid!);
      if (obj && obj.name !== def.name) throw virtError(C.VIR_ERR_OPERATION_FAILED, `domain '${obj.name}' already exists with uuid ${def.uuid}`);
      if (obj?.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, `domain '${def.name}' is already active`);
      const created = !obj;
      if (!obj) {
        obj = new QemuDomainObj(def.name, def.uuid!);
        st.add(obj);
      }
      const target = obj;
      try {
        const paused = flags & C.VIR_DOMAIN_SAVE_PAUSED ? true : flags & C.VIR_DOMAIN_SAVE_RUNNING ? false : !header.running;
        await target.job.run('restore', () => restoreFromFile(st, target, file, def, paused, false));
      } catch (e) {
        if (created && !target.active) st.remove(target);
        throw e;
      }
    },
    async domainManagedSave(ref, flags) {
      checkFlagsLocal(flags, SAVE_FLAGS, 'qemuDomainManagedSave');
      const obj = st.get(ref);
      if (!obj.persistent) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot do managed save for transient domain');
      await obj.job.run('save', () => saveToFile(st, obj, st.store.managedSavePath(obj.name), undefined, flags));
    },
    async domainHasManagedSaveImage(ref, flags) {
      checkFlagsLocal(flags, 0, 'qemuDomainHasManagedSaveImage');
      const obj = st.get(ref);
      return existsSync(st.store.managedSavePath(obj.name));
    },
    async domainManagedSaveRemove(ref, flags) {
      checkFlagsLocal(flags, 0, 'qemuDomainManagedSaveRemove');
      const obj = st.get(ref);
      await rm(st.store.managedSavePath(obj.name), { force: true });
    },
  };
}
