/**
 * The Linux test guest: Debian's cloud kernel plus a busybox initramfs, built lazily and cached.
 *
 * The initramfs init loads the ACPI button, evdev and pvpanic modules, runs busybox `acpid` so
 * that an ACPI power-button press (QMP `system_powerdown`) powers the guest off, prints
 * `VIRTKIT-READY` on ttyS0 once acpid runs, and panics (sysrq `c`) when the kernel command line
 * holds `virtkit.panic` — which, with a pvpanic device, yields QMP `GUEST_PANICKED`.
 *
 * Cache: $VIRTKIT_TEST_CACHE or /var/cache/virtkit-test (falls back to the repo's tmp/). The
 * build takes a few seconds (apt-get download of one .deb, dpkg -x, cpio); results are renamed
 * into place, so concurrent builders never see a half-written image.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths of a built guest. */
export interface GuestImage {
  kernel: string;
  initrd: string;
}

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in evdev button pvpanic pvpanic-mmio; do insmod /lib/modules/$m.ko 2>/dev/null; done
mkdir -p /etc/acpi/PWRF /etc/acpi/button /var/log /var/run
printf '#!/bin/sh\\necho VIRTKIT-POWERDOWN > /dev/ttyS0\\npoweroff -f\\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
cp /etc/acpi/PWRF/00000080 /etc/acpi/button/power
acpid -f -c /etc/acpi -l /dev/null &
case " $(cat /proc/cmdline) " in *" virtkit.panic "*) echo VIRTKIT-PANIC > /dev/ttyS0; echo c > /proc/sysrq-trigger;; esac
echo VIRTKIT-READY > /dev/ttyS0
while true; do sleep 3600; done
`;

const MODULES = ['drivers/input/evdev.ko', 'drivers/acpi/button.ko', 'drivers/misc/pvpanic/pvpanic.ko', 'drivers/misc/pvpanic/pvpanic-mmio.ko'];

function cacheRoot(): string {
  if (process.env.VIRTKIT_TEST_CACHE) return process.env.VIRTKIT_TEST_CACHE;
  try {
    mkdirSync('/var/cache/virtkit-test', { recursive: true });
    return '/var/cache/virtkit-test';
  } catch {
    const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
    return join(repo, 'tmp', 'virtkit-test-cache');
  }
}

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Returns the cached guest, building it first if needed. Synchronous: call from a `before` hook. */
export function ensureGuestImage(): GuestImage {
  const dir = join(cacheRoot(), 'linux-guest-v1');
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.gz');
  if (existsSync(kernel) && existsSync(initrd)) return { kernel, initrd };
  mkdirSync(dirname(dir), { recursive: true });
  // Concurrent builders each use their own work dir and rename the results into place.
  const work = `${dir}.build-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const deps = run('apt-cache', ['depends', 'linux-image-cloud-amd64']);
    const m = /Depends: (linux-image-[0-9][^\s]*-cloud-amd64)/.exec(deps);
    if (!m) throw new Error(`cannot find the cloud kernel package: ${deps}`);
    run('apt-get', ['download', '-q', m[1]!], work);
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download produced no .deb');
    const x = join(work, 'x');
    run('dpkg', ['-x', join(work, deb), x]);
    const vmlinuz = readdirSync(join(x, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    const modver = readdirSync(join(x, 'lib', 'modules'))[0];
    if (!vmlinuz || !modver) throw new Error('unexpected kernel package layout');
    const ir = join(work, 'ir');
    for (const d of ['bin', 'sbin', 'proc', 'sys', 'dev', 'etc', 'tmp', 'lib/modules']) mkdirSync(join(ir, d), { recursive: true });
    copyFileSync('/bin/busybox', join(ir, 'bin', 'busybox'));
    chmodSync(join(ir, 'bin', 'busybox'), 0o755);
    for (const mod of MODULES) {
      copyFileSync(join(x, 'lib', 'modules', modver, 'kernel', mod), join(ir, 'lib', 'modules', mod.split('/').pop()!));
    }
    writeFileSync(join(ir, 'init'), INIT, { mode: 0o755 });
    const list = run('find', ['.'], ir);
    const cpio = execFileSync('cpio', ['-o', '-H', 'newc', '--quiet'], { cwd: ir, input: list, maxBuffer: 64 << 20 });
    const gz = execFileSync('gzip', ['-1'], { input: cpio, maxBuffer: 64 << 20 });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(work, 'initrd.gz'), gz);
    copyFileSync(join(x, 'boot', vmlinuz), join(work, 'vmlinuz'));
    renameSync(join(work, 'initrd.gz'), initrd);
    renameSync(join(work, 'vmlinuz'), kernel);
    return { kernel, initrd };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
