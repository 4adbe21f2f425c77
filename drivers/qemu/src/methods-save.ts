/**
 * Save/restore and managed save methods.
 */
import { checkQemuFlags } from './flags.js';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { virtError, type HypervisorDriver } from '@virtkit/core';
import { parseDomainXML } from '@virtkit/xml';
import type { QemuDriverState } from './driver-state.js';
import { QemuDomainObj } from './domain-obj.js';
import { saveToFile, restoreFromFile, readSaveHeader } from './save-restore.js';
import { postParse } from './methods-define.js';
import { stopProcess } from './process-control.js';
import * as C from './constants.js';

const DUMP_CRASH = 1;
const DUMP_LIVE = 2;
const DUMP_BYPASS_CACHE = 4;
const DUMP_RESET = 8;
const DUMP_MEMORY_ONLY = 16;
const SAVE_FLAGS = C.VIR_DOMAIN_SAVE_BYPASS_CACHE | C.VIR_DOMAIN_SAVE_RUNNING | C.VIR_DOMAIN_SAVE_PAUSED;

/** The save/restore methods. */
export function saveMethods(st: QemuDriverState): Partial<HypervisorDriver> {
  return {
    async domainSave(ref, file, dxml, flags, opts) {
      checkQemuFlags(flags, SAVE_FLAGS, 'qemuDomainSaveFlags');
      const obj = st.get(ref);
      await obj.job.run('save', () => saveToFile(st, obj, file, dxml, flags, opts));
    },
    async domainRestore(file, dxml, flags) {
      checkQemuFlags(flags, SAVE_FLAGS, 'qemuDomainRestoreFlags');
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
    async domainManagedSave(ref, flags, opts) {
      checkQemuFlags(flags, SAVE_FLAGS, 'qemuDomainManagedSave');
      const obj = st.get(ref);
      if (!obj.persistent) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'cannot do managed save for transient domain');
      await obj.job.run('save', () => saveToFile(st, obj, st.store.managedSavePath(obj.name), undefined, flags, opts));
    },
    async domainCoreDump(ref, file, flags) {
      checkQemuFlags(flags, DUMP_CRASH | DUMP_LIVE | DUMP_BYPASS_CACHE | DUMP_RESET | DUMP_MEMORY_ONLY, 'qemuDomainCoreDumpWithFormat');
      const obj = st.get(ref);
      if (!(flags & DUMP_MEMORY_ONLY)) {
        throw virtError(C.VIR_ERR_ARGUMENT_UNSUPPORTED, 'only memory-only dumps (VIR_DUMP_MEMORY_ONLY) are supported');
      }
      if (flags & DUMP_CRASH && flags & DUMP_RESET) throw virtError(C.VIR_ERR_INVALID_ARG, 'crash and reset flags are mutually exclusive');
      await obj.job.run('dump', async () => {
        if (!obj.active) throw virtError(C.VIR_ERR_OPERATION_INVALID, 'domain is not running');
        const mon = obj.mon();
        const wasRunning = obj.state === C.VIR_DOMAIN_RUNNING;
        if (wasRunning && !(flags & DUMP_LIVE)) {
          obj.pendingPauseReason = C.VIR_DOMAIN_PAUSED_DUMP;
          await mon.execute('stop');
          obj.pendingPauseReason = undefined;
        }
        try {
          await mon.execute('dump-guest-memory', { paging: false, protocol: `file:${file}`, format: 'elf' }, 600_000);
        } finally {
          if (flags & DUMP_CRASH) {
            await stopProcess(st, obj, C.VIR_DOMAIN_SHUTOFF_CRASHED, C.VIR_DOMAIN_EVENT_STOPPED_CRASHED);
          } else {
            if (flags & DUMP_RESET && obj.active) await obj.mon().execute('system_reset');
            if (wasRunning && obj.active && obj.state === C.VIR_DOMAIN_PAUSED) {
              await obj.mon().execute('cont');
            }
          }
        }
      });
    },
    async domainHasManagedSaveImage(ref, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainHasManagedSaveImage');
      const obj = st.get(ref);
      return existsSync(st.store.managedSavePath(obj.name));
    },
    async domainManagedSaveRemove(ref, flags) {
      checkQemuFlags(flags, 0, 'qemuDomainManagedSaveRemove');
      const obj = st.get(ref);
      await rm(st.store.managedSavePath(obj.name), { force: true });
    },
  };
}
