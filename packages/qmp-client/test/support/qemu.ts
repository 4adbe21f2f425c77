/**
 * Starts a throwaway QEMU with a QMP socket for tests (and the benchmark): `-S`, no devices
 * beyond what a test asks for, KVM when /dev/kvm works, TCG otherwise.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** A running QEMU and where its QMP socket is. */
export interface TestQemu {
  /** The QMP server socket (QEMU listens; connect with `retry: true`). */
  qmpPath: string;
  /** A scratch directory removed by `stop()`. */
  dir: string;
  proc: ResultPromise;
  /** Kills QEMU (if still running) and removes the scratch directory. */
  stop(): Promise<void>;
}

/** Options of {@link startQemu}. */
export interface StartQemuOptions {
  /** Machine type; default `none`. */
  machine?: string;
  /** Extra arguments (devices, `-incoming`, ...). */
  args?: string[];
  /** Where QEMU connects to instead of listening (accept-mode tests). */
  connectTo?: string;
  /** A complete `-qmp` value, replacing the unix socket (e.g. `tcp:127.0.0.1:4444,server=on,wait=off`). */
  qmp?: string;
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Starts `qemu-system-x86_64 -S -nodefaults -display none -qmp unix:...`. */
export function startQemu(options: StartQemuOptions = {}): TestQemu {
  const dir = mkdtempSync(join(tmpdir(), 'vk-qmp-'));
  const qmpPath = options.connectTo ?? join(dir, 'qmp.sock');
  const machine = options.machine ?? 'none';
  // QMP_TEST_ACCEL=tcg checks the suite as it runs on hosts without KVM.
  const accel = kvmUsable() && process.env.QMP_TEST_ACCEL !== 'tcg' ? ['-accel', 'kvm', '-accel', 'tcg'] : ['-accel', 'tcg'];
  const qmp = options.qmp ?? (options.connectTo ? `unix:${qmpPath}` : `unix:${qmpPath},server=on,wait=off`);
  const proc = execa(
    'qemu-system-x86_64',
    ['-machine', machine, ...accel, '-S', '-nodefaults', '-display', 'none', '-m', '64', '-qmp', qmp, ...(options.args ?? [])],
    { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', cleanup: true },
  );
  return {
    qmpPath,
    dir,
    proc,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await proc;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
