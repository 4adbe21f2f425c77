/**
 * `npm run bench -- qemu`: the QEMU driver beside libvirt 9.0's QEMU driver, in one run, on the
 * same tiny KVM domain (64 MiB, firmware only).
 *
 * Measures (median of ITER runs): start (define -> running), suspend, resume, destroy
 *   - in-process: virtkit through core's connect() vs libvirt through its Python binding;
 *   - CLI: vksh (one process per command) vs virsh;
 *   - the floor: a bare `qemu-system-x86_64 -S` spawn until QMP answers and `cont` returns;
 *   - scale: 50 running guests, listAllDomains + getInfo of all, and the process RSS.
 * Then prints ratios against issue 6's goals. Starts `libvirtd -d` / `virtlogd -d` when they
 * are not running (and stops them again at the end), and (root only) gives /dev/kvm Debian's usual group kvm, mode 0660, so
 * libvirt's unprivileged QEMU can open it.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const ITER = Number(process.env.BENCH_ITER ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 50);
const QEMU = '/usr/bin/qemu-system-x86_64';

const tinyXML = (name: string): string =>
  `<domain type='kvm'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><memballoon model='none'/></devices></domain>`;

type Timings = Record<'start' | 'suspend' | 'resume' | 'destroy', number[]>;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
};
const fmt = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : ms >= 100 ? `${(ms / 1000).toFixed(3)} s` : `${ms.toFixed(1)} ms`);
const empty = (): Timings => ({ start: [], suspend: [], resume: [], destroy: [] });

function pgrep(name: string): boolean {
  return spawnSync('pgrep', ['-x', name]).status === 0;
}

/** The libvirt daemons this run started, stopped again at its end (libvirtd first). */
const startedDaemons: string[] = [];

/** Stops the daemons prepareLibvirt started, by the pid files they write. */
function stopStartedDaemons(): void {
  for (const daemon of startedDaemons.splice(0).reverse()) {
    try {
      const pid = Number(readFileSync(`/run/${daemon}.pid`, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
}

function prepareLibvirt(): string | undefined {
  if (!existsSync('/usr/sbin/libvirtd')) return 'libvirtd is not installed';
  if (process.getuid?.() !== 0) return 'libvirt side needs root (qemu:///system)';
  for (const daemon of ['virtlogd', 'libvirtd']) {
    if (pgrep(daemon)) continue;
    spawnSync(daemon, ['-d']);
    startedDaemons.push(daemon);
  }
  try {
    const st = statSync('/dev/kvm');
    const kvmGid = Number(execFileSync('getent', ['group', 'kvm'], { encoding: 'utf8' }).split(':')[2]);
    if (st.gid !== kvmGid || (st.mode & 0o060) !== 0o060) {
      chownSync('/dev/kvm', 0, kvmGid);
      chmodSync('/dev/kvm', 0o660);
      console.log('note: /dev/kvm set to root:kvm 0660 (Debian default) so libvirt-qemu can use it');
    }
  } catch (e) {
    return `cannot prepare /dev/kvm: ${(e as Error).message}`;
  }
  for (let i = 0; i < 50 && spawnSync('virsh', ['-c', 'qemu:///system', 'version'], { stdio: 'ignore' }).status !== 0; i++) {
    spawnSync('sleep', ['0.1']);
  }
  return undefined;
}

/**
 * Bare QEMU: spawn with a pre-created monitor socket (bound at a temp name, hard-linked to its
 * final path, as the driver does), until QMP is negotiated and `cont` returns.
 */
async function floorOnce(dir: string): Promise<{ ready: number; running: number; exit: number }> {
  const path = join(dir, `floor-${Math.random().toString(36).slice(2)}.sock`);
  const t0 = performance.now();
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(`${path}.tmp`, r));
  linkSync(`${path}.tmp`, path);
  const fd = (srv as unknown as { _handle: { fd: number } })._handle.fd;
  const child = spawn(QEMU, ['-S', '-no-user-config', '-nodefaults', '-machine', 'pc', '-accel', 'kvm', '-m', '64', '-display', 'none',
    '-chardev', 'socket,id=charmonitor,fd=3,server=on,wait=off', '-mon', 'chardev=charmonitor,id=monitor,mode=control'], { stdio: ['ignore', 'ignore', 'ignore', fd] });
  await new Promise<void>((r) => srv.close(() => r()));
  const sock: Socket = await new Promise((resolve) => {
    const s = netConnect(path, () => resolve(s));
  });
  sock.on('error', () => undefined); // QEMU's end goes away at SIGTERM
  let buf = '';
  const waitFor = (needle: string): Promise<void> => new Promise((resolve) => {
    const check = (): boolean => {
      const i = buf.indexOf(needle);
      if (i < 0) return false;
      buf = buf.slice(buf.indexOf('\n', i) + 1);
      return true;
    };
    if (check()) return resolve();
    const on = (d: Buffer): void => {
      buf += d.toString();
      if (check()) {
        sock.off('data', on);
        resolve();
      }
    };
    sock.on('data', on);
  });
  await waitFor('"QMP"');
  sock.write('{"execute":"qmp_capabilities"}\n');
  await waitFor('"return"');
  const ready = performance.now() - t0;
  sock.write('{"execute":"cont"}\n');
  await waitFor('"return"');
  const running = performance.now() - t0;
  const t1 = performance.now();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  sock.destroy();
  rmSync(path, { force: true });
  return { ready, running, exit: performance.now() - t1 };
}

/**
 * virtkit in-process; `between` runs before each iteration (the floor is measured interleaved
 * with virtkit, so that load drift on a shared machine hits both alike).
 */
async function benchVirtkit(root: string, between: () => Promise<void> = async () => undefined): Promise<Timings> {
  const { connect } = await import('@virtkit/core');
  const conn = await connect(`qemu:///embed?root=${root}`);
  const out = empty();
  // warm the capabilities cache (as a long-running libvirtd has it)
  await conn.getVersion();
  try {
    for (let i = 0; i < ITER; i++) {
      await between();
      let t = performance.now();
      const dom = await conn.defineDomainXML(tinyXML('vk-bench'));
      await dom.create();
      out.start.push(performance.now() - t);
      t = performance.now();
      await dom.suspend();
      out.suspend.push(performance.now() - t);
      t = performance.now();
      await dom.resume();
      out.resume.push(performance.now() - t);
      t = performance.now();
      await dom.destroy();
      out.destroy.push(performance.now() - t);
      await dom.undefine();
    }
  } finally {
    await conn.close();
  }
  return out;
}

function benchLibvirtPython(dir: string): Timings | string {
  const xmlFile = join(dir, 'libvirt-bench.xml');
  writeFileSync(xmlFile, tinyXML('vk-bench-libvirt'));
  const res = spawnSync('/usr/bin/python3', [join(repo, 'drivers/qemu/test/bench/libvirt-timings.py'), String(ITER), xmlFile], { encoding: 'utf8' });
  if (res.status !== 0) return `python3-libvirt failed: ${res.stderr.trim().split('\n').pop()}`;
  return JSON.parse(res.stdout) as Timings;
}

function timeCmd(cmd: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
  return ms;
}

function benchCli(cmd: string, pre: string[], uri: string, name: string, xmlFile: string): Timings {
  const out = empty();
  const run = (...a: string[]): number => timeCmd(cmd, [...pre, '-c', uri, ...a]);
  for (let i = 0; i < ITER; i++) {
    out.start.push(run('define', xmlFile) + run('start', name));
    out.suspend.push(run('suspend', name));
    out.resume.push(run('resume', name));
    out.destroy.push(run('destroy', name));
    run('undefine', name);
  }
  return out;
}

async function benchScale(root: string): Promise<{ listInfo: number; listInfoBest: number; rssMiB: number; startAll: number } | string> {
  const { connect } = await import('@virtkit/core');
  const conn = await connect(`qemu:///embed?root=${root}`);
  try {
    const t0 = performance.now();
    for (let i = 0; i < SCALE; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, SCALE - i) }, async (_, j) => {
        const d = await conn.defineDomainXML(tinyXML(`vk-scale-${i + j}`));
        await d.create();
      }));
    }
    const startAll = performance.now() - t0;
    // SeaBIOS spins for ~2.5 s after start; measure management overhead once the guests idle.
    const doms0 = await conn.listAllDomains(0);
    let prev = 0;
    for (let k = 0; k < 40; k++) {
      await new Promise((res) => setTimeout(res, 500));
      const total = (await Promise.all(doms0.map((d) => d.getInfo()))).reduce((a, i) => a + i.cpuTime, 0);
      if (prev && (total - prev) / 0.5 < 0.2e9) break; // all guests together below 20% of a core
      prev = total;
    }
    const samples: number[] = [];
    for (let k = 0; k < 20; k++) {
      await new Promise((res) => setTimeout(res, 50));
      const t = performance.now();
      const doms = await conn.listAllDomains(0);
      await Promise.all(doms.map((d) => d.getInfo()));
      samples.push(performance.now() - t);
    }
    global.gc?.();
    const rssMiB = process.memoryUsage().rss / 1048576;
    return { listInfo: median(samples), listInfoBest: Math.min(...samples), rssMiB, startAll };
  } finally {
    for (const d of await conn.listAllDomains(0)) {
      if (await d.isActive()) await d.destroy().catch(() => undefined);
      await d.undefine().catch(() => undefined);
    }
    await conn.close();
  }
}

function row(label: string, vk: number, ref: number, goal?: string): void {
  const ratio = Number.isNaN(ref) || Number.isNaN(vk) ? 'n/a' : `${(vk / ref).toFixed(2)}x`;
  console.log(`  ${label.padEnd(28)} ${fmt(vk).padStart(10)} ${fmt(ref).padStart(10)} ${ratio.padStart(7)}  ${goal ?? ''}`);
}

async function main(): Promise<void> {
  if (!existsSync(QEMU) || !existsSync('/dev/kvm')) {
    console.log('skipped: needs qemu-system-x86_64 and /dev/kvm');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vk-qemu-bench-'));
  const failures: string[] = [];
  try {
    const floors: { ready: number; running: number; exit: number }[] = [];
    await floorOnce(dir); // warm the page cache for QEMU's binary and firmware
    const vk = await benchVirtkit(join(dir, 'root-api'), async () => {
      floors.push(await floorOnce(dir));
    });
    const floorRunning = median(floors.map((f) => f.running));
    console.log(`floor (interleaved with virtkit's runs): bare qemu -S spawn -> QMP ready ${fmt(median(floors.map((f) => f.ready)))}, -> running ${fmt(floorRunning)}, SIGTERM -> exit ${fmt(median(floors.map((f) => f.exit)))}`);
    const libvirtProblem = prepareLibvirt();
    const lv = libvirtProblem ?? benchLibvirtPython(dir);
    console.log('\nin-process API (median of', ITER, 'runs)       virtkit    libvirt   ratio  goal');
    const lvT = typeof lv === 'string' ? empty() : lv;
    if (typeof lv === 'string') console.log(`  (libvirt side skipped: ${lv})`);
    const startVk = median(vk.start);
    const startLv = median(lvT.start);
    row('start (define -> running)', startVk, startLv, `<= 0.5x libvirt: ${startVk <= 0.5 * startLv ? 'MET' : 'NOT MET'}`);
    row('start vs bare floor', startVk, floorRunning, `<= 1.3x floor: ${startVk <= 1.3 * floorRunning ? 'MET' : 'NOT MET'}`);
    row('suspend', median(vk.suspend), median(lvT.suspend));
    row('resume', median(vk.resume), median(lvT.resume));
    const destroyVk = median(vk.destroy);
    row('destroy', destroyVk, median(lvT.destroy), `< 100 ms: ${destroyVk < 100 ? 'MET' : 'NOT MET'}`);
    if (startVk > 0.5 * startLv) failures.push('start vs libvirt');
    if (startVk > 1.3 * floorRunning) failures.push('start vs floor');
    if (destroyVk >= 100) failures.push('destroy');

    const vkshBin = join(repo, 'packages/cli/bin/vksh.js');
    const xmlFile = join(dir, 'cli.xml');
    writeFileSync(xmlFile, tinyXML('vk-bench-cli'));
    console.log('\nCLI, one process per command              vksh      virsh   ratio');
    let vkCli: Timings | undefined;
    try {
      if (!existsSync(join(repo, 'packages/cli/dist/vksh.cjs'))) throw new Error('vksh bundle missing (npm run build)');
      vkCli = benchCli(process.execPath, [vkshBin], `qemu:///embed?root=${join(dir, 'root-cli')}`, 'vk-bench-cli', xmlFile);
    } catch (e) {
      console.log(`  (vksh side skipped: ${(e as Error).message.split('\n')[0]})`);
    }
    let lvCli: Timings | undefined;
    if (!libvirtProblem) {
      try {
        lvCli = benchCli('virsh', [], 'qemu:///system', 'vk-bench-cli', xmlFile);
      } catch (e) {
        console.log(`  (virsh side skipped: ${(e as Error).message.split('\n')[0]})`);
      }
    }
    for (const k of ['start', 'suspend', 'resume', 'destroy'] as const) {
      row(k, median(vkCli?.[k] ?? []), median(lvCli?.[k] ?? []));
    }

    const sc = await benchScale(join(dir, 'root-scale'));
    console.log(`\nscale: ${SCALE} running 64 MiB firmware-only KVM guests`);
    if (typeof sc === 'string') console.log(`  skipped: ${sc}`);
    else {
      console.log(`  started all in ${fmt(sc.startAll)}`);
      console.log(`  listAllDomains + getInfo of all: median ${fmt(sc.listInfo)}, best ${fmt(sc.listInfoBest)}  (goal < 50 ms: ${sc.listInfo < 50 ? 'MET' : 'NOT MET'}; the best run is the CPU cost, the median adds scheduling delay on a loaded host)`);
      console.log(`  managing process RSS: ${sc.rssMiB.toFixed(1)} MiB  (goal < 150 MiB: ${sc.rssMiB < 150 ? 'MET' : 'NOT MET'})`);
      if (sc.listInfo >= 50) failures.push('list+getInfo');
      if (sc.rssMiB >= 150) failures.push('RSS');
    }
    console.log(failures.length ? `\ngoals not met: ${failures.join(', ')}` : '\nall goals met');
  } finally {
    stopStartedDaemons();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
