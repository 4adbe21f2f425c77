/**
 * Against a real QEMU 7.2 (`-S`, KVM or TCG): negotiation, every typed wrapper that runs
 * without a guest OS, lifecycle events, the ~200 KB schema reply, 1,000 pipelined commands,
 * migration between two QEMUs, quit -> close, a killed QEMU, and accept mode.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { QmpClient, QmpDisconnectedError, QmpError, QmpRequestError, type QmpCloseInfo } from '@virtkit/qmp-client';
import { requireHost } from '../../../test/support/host.js';
import { startQemu, type TestQemu } from './support/qemu.js';

const DEVICES = ['-device', 'qemu-xhci,id=xhci', '-device', 'virtio-balloon-pci,id=balloon0', '-device', 'VGA,id=vga0', '-chardev', 'null,id=ch0'];

describe('qmp-client against real QEMU', function () {
  this.timeout(30_000);
  before(function () {
    requireHost(this, { binaries: ['qemu-system-x86_64', 'qemu-img'] });
  });

  describe('one q35 guest', () => {
    let qemu: TestQemu;
    let client: QmpClient;
    before(async () => {
      qemu = startQemu({ machine: 'q35', args: DEVICES });
      client = await QmpClient.connect(qemu.qmpPath, { retry: true });
    });
    after(async () => {
      await client?.close();
      await qemu?.stop();
    });

    it('negotiates: greeting, oob enabled, ready', async () => {
      assert.equal(client.state, 'ready');
      assert.deepEqual(client.greeting?.version.qemu.major, 7);
      assert.deepEqual(client.greeting?.version.qemu.minor, 2);
      assert.ok(client.greeting?.capabilities.includes('oob'));
      assert.equal(client.oobEnabled, true);
      const v = await client.queryVersion();
      assert.deepEqual(v.qemu, client.greeting?.version.qemu);
    });

    it('runs the query wrappers', async () => {
      assert.equal((await client.queryStatus()).status, 'prelaunch');
      const commands = (await client.queryCommands()).map((c) => c.name);
      for (const name of ['query-status', 'snapshot-save', 'blockdev-add', 'migrate']) assert.ok(commands.includes(name), name);
      const kvm = await client.queryKvm();
      assert.equal(typeof kvm.enabled, 'boolean');
      assert.ok((await client.queryMachines()).some((m) => m.name.startsWith('pc-q35')));
      assert.ok((await client.queryCpuDefinitions()).some((c) => c.name === 'qemu64'));
      const cpus = await client.queryCpusFast();
      assert.equal(cpus.length, 1);
      assert.equal(cpus[0]!['cpu-index'], 0);
      assert.equal((await client.queryHotpluggableCpus())[0]!['vcpus-count'], 1);
      const chardevs = await client.queryChardev();
      assert.ok(chardevs.some((c) => c.label === 'ch0' && c.filename === 'null'));
      const pci = await client.queryPci();
      assert.ok(pci[0]!.devices.some((d) => d.qdev_id === 'balloon0'));
      assert.deepEqual(await client.queryBlock(), []);
      assert.deepEqual(await client.queryJobs(), []);
      assert.equal((await client.queryMigrate()).status, undefined);
      assert.match(await client.humanMonitorCommand('info version'), /^7\.2/);
    });

    it('balloon and query-balloon', async () => {
      assert.deepEqual(await client.balloon(32 * 1024 * 1024), {});
      assert.equal((await client.queryBalloon()).actual, 64 * 1024 * 1024);
    });

    it('emits RESUME, STOP, RESET and POWERDOWN, waiters set up before the command', async () => {
      const resume = client.waitForEvent('RESUME', { timeout: 5000 });
      await client.cont();
      await resume;
      assert.equal((await client.queryStatus()).status, 'running');
      const stop = client.waitForEvent('STOP', { timeout: 5000 });
      await client.stop();
      await stop;
      assert.equal((await client.queryStatus()).status, 'paused');
      const reset = client.waitForEvent('RESET', { timeout: 5000 });
      await client.systemReset();
      assert.deepEqual((await reset).data, { guest: false, reason: 'host-qmp-system-reset' });
      const powerdown = client.waitForEvent('POWERDOWN', { timeout: 5000 });
      await client.systemPowerdown();
      assert.deepEqual((await powerdown).data, {});
    });

    it('inject-nmi, send-key, screendump; system_wakeup refused while not suspended', async () => {
      assert.deepEqual(await client.injectNmi(), {});
      assert.deepEqual(await client.sendKey([{ type: 'qcode', data: 'ctrl' }, { type: 'number', data: 30 }], 10), {});
      const file = join(qemu.dir, 'screen.ppm');
      assert.deepEqual(await client.screendump({ filename: file }), {});
      assert.equal(readFileSync(file).subarray(0, 2).toString(), 'P6');
      await assert.rejects(client.systemWakeup(), (e: unknown) => e instanceof QmpError && e.errorClass === 'GenericError' && e.command === 'system_wakeup');
    });

    it('device_add / device_del with DEVICE_DELETED, netdev_add / netdev_del', async () => {
      await client.deviceAdd({ driver: 'usb-tablet', id: 'tab0', bus: 'xhci.0' });
      const deleted = client.waitForEvent('DEVICE_DELETED', { predicate: (e) => e.data.device === 'tab0', timeout: 5000 });
      await client.deviceDel('tab0');
      assert.equal((await deleted).data.path, '/machine/peripheral/tab0');
      await client.netdevAdd({ type: 'user', id: 'net0' });
      await client.netdevDel('net0');
      await assert.rejects(client.netdevDel('net0'), QmpError);
    });

    it('blockdev-add, block queries, snapshot-save/load/delete as jobs, job-dismiss, blockdev-del', async () => {
      const image = join(qemu.dir, 'disk.qcow2');
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '16M']);
      await client.blockdevAdd({ driver: 'file', 'node-name': 'file0', filename: image });
      await client.blockdevAdd({ driver: 'qcow2', 'node-name': 'disk0', file: 'file0' });
      const nodes = await client.queryNamedBlockNodes({ flat: true });
      assert.equal(nodes.find((n) => n['node-name'] === 'disk0')?.drv, 'qcow2');
      const stats = await client.queryBlockstats({ 'query-nodes': true });
      assert.ok(stats.some((s) => s['node-name'] === 'disk0' && s.stats.rd_bytes === 0));
      for (const [i, run] of [
        () => client.snapshotSave({ 'job-id': 'save', tag: 'snap1', vmstate: 'disk0', devices: ['disk0'] }),
        () => client.snapshotLoad({ 'job-id': 'load', tag: 'snap1', vmstate: 'disk0', devices: ['disk0'] }),
        () => client.snapshotDelete({ 'job-id': 'delete', tag: 'snap1', devices: ['disk0'] }),
      ].entries()) {
        const id = ['save', 'load', 'delete'][i]!;
        const concluded = client.waitForEvent('JOB_STATUS_CHANGE', { predicate: (e) => e.data.id === id && e.data.status === 'concluded', timeout: 10_000 });
        await run();
        await concluded;
        const job = (await client.queryJobs()).find((j) => j.id === id);
        assert.equal(job?.status, 'concluded');
        assert.equal(job?.error, undefined);
        if (id === 'save') assert.match(await client.humanMonitorCommand('info snapshots'), /snap1/);
        await client.jobDismiss(id);
      }
      assert.deepEqual(await client.queryJobs(), []);
      await client.blockdevDel('disk0');
      await client.blockdevDel('file0');
    });

    it('a block job (blockdev-backup) reports JOB_STATUS_CHANGE and BLOCK_JOB_COMPLETED', async () => {
      await client.blockdevAdd({ driver: 'null-co', 'node-name': 'src0', size: 1024 * 1024 });
      await client.blockdevAdd({ driver: 'null-co', 'node-name': 'dst0', size: 1024 * 1024 });
      try {
        const statuses: string[] = [];
        const onJob = (e: { data: { id: string; status: string } }): void => {
          if (e.data.id === 'backup0') statuses.push(e.data.status);
        };
        client.on('JOB_STATUS_CHANGE', onJob);
        const completed = client.waitForEvent('BLOCK_JOB_COMPLETED', { predicate: (e) => e.data.device === 'backup0', timeout: 10_000 });
        await client.execute('blockdev-backup', { 'job-id': 'backup0', device: 'src0', target: 'dst0', sync: 'full' });
        const { data } = await completed;
        client.off('JOB_STATUS_CHANGE', onJob);
        assert.equal(data.type, 'backup');
        assert.equal(data.len, 1024 * 1024);
        assert.equal(data.offset, data.len);
        assert.equal(data.error, undefined);
        assert.deepEqual(statuses.slice(0, 2), ['created', 'running']);
        assert.ok(statuses.includes('concluded'));
      } finally {
        await client.blockdevDel('dst0');
        await client.blockdevDel('src0');
      }
    });

    it('returns the ~200 KB query-qmp-schema reply whole', async () => {
      const schema = (await client.execute('query-qmp-schema')) as Array<{ name: string; 'meta-type': string }>;
      assert.ok(JSON.stringify(schema).length > 150_000);
      assert.ok(schema.some((e) => e['meta-type'] === 'command' && e.name === 'query-status'));
    });

    it('answers 1,000 pipelined commands in the order of their ids', async () => {
      const order: number[] = [];
      const kinds = ['query-status', 'query-kvm', 'query-version'] as const;
      const all = Array.from({ length: 1000 }, (_, i) =>
        client.execute(kinds[i % 3]!).then((r) => {
          order.push(i);
          return r as object;
        }),
      );
      const results = await Promise.all(all);
      assert.deepEqual(order, Array.from({ length: 1000 }, (_, i) => i));
      results.forEach((r, i) => assert.ok(['status', 'present', 'qemu'][i % 3]! in r, `reply ${i} matched to its command`));
    });

    it('runs exec-oob and maps errors to QmpError', async () => {
      await assert.rejects(client.execute('migrate-pause', undefined, { oob: true }), (e: unknown) => e instanceof QmpError && /postcopy/.test(e.desc));
      await assert.rejects(client.execute('no-such-command'), (e: unknown) => e instanceof QmpError && e.errorClass === 'CommandNotFound');
    });

    it("attributes QEMU's id-less parse error to the request that caused it", async () => {
      const unmatched: QmpError[] = [];
      const onUnmatched = (e: QmpError): void => void unmatched.push(e);
      client.on('unmatched-error', onUnmatched);
      try {
        // A lone surrogate: QEMU's parser refuses the whole request, so its id is lost.
        const [before, bad, after] = await Promise.allSettled([
          client.queryStatus(),
          client.deviceDel('x\ud800y'),
          client.queryKvm(),
        ]);
        assert.equal(before.status, 'fulfilled');
        assert.equal(after.status, 'fulfilled');
        assert.equal(bad.status, 'rejected');
        const err = (bad as PromiseRejectedResult).reason as QmpError;
        assert.ok(err instanceof QmpError);
        assert.equal(err.idless, true);
        assert.equal(err.command, 'device_del');
        assert.match(err.desc, /JSON parse error/);
        assert.deepEqual(unmatched, [err]);
      } finally {
        client.off('unmatched-error', onUnmatched);
      }
    });

    it("refuses requests deeper than QEMU's nesting limit before sending them", async () => {
      const nest = (n: number): unknown => {
        let v: unknown = 0;
        for (let i = 0; i < n; i++) v = [v];
        return v;
      };
      // 1 (request) + 1 (arguments) + 1022 = 1024 levels: parsed by QEMU, refused as a bad argument.
      await assert.rejects(client.execute('query-status', { x: nest(1022) }), (e: unknown) => e instanceof QmpError && !e.idless);
      await assert.rejects(client.execute('query-status', { x: nest(1023) }), QmpRequestError);
      assert.equal((await client.queryStatus()).running, (await client.queryStatus()).running);
    });

    it('migrates to a file and into a second QEMU (-incoming defer) with MIGRATION events', async () => {
      const file = join(qemu.dir, 'migration');
      await client.migrateSetCapabilities([{ capability: 'events', state: true }]);
      await client.migrateSetParameters({ 'max-bandwidth': 1024 * 1024 * 1024 });
      const completed = client.waitForEvent('MIGRATION', { predicate: (e) => e.data.status === 'completed', timeout: 20_000 });
      await client.migrate({ uri: `exec:cat > ${file}` });
      await completed;
      assert.equal((await client.queryMigrate()).status, 'completed');
      const target = startQemu({ machine: 'q35', args: [...DEVICES, '-incoming', 'defer'] });
      const incoming = await QmpClient.connect(target.qmpPath, { retry: true });
      try {
        assert.equal((await incoming.queryStatus()).status, 'inmigrate');
        await incoming.migrateSetCapabilities([{ capability: 'events', state: true }]);
        const done = incoming.waitForEvent('MIGRATION', { predicate: (e) => e.data.status === 'completed', timeout: 20_000 });
        await incoming.migrateIncoming(`exec:cat ${file}`);
        await done;
      } finally {
        await incoming.close();
        await target.stop();
      }
    });
  });

  describe('lifecycle', () => {
    let qemu: TestQemu | undefined;
    afterEach(async () => {
      await qemu?.stop();
      qemu = undefined;
    });

    it('quit: SHUTDOWN, then close with shutdownSeen, and QEMU exits', async () => {
      qemu = startQemu();
      const client = await QmpClient.connect(qemu.qmpPath, { retry: true });
      const shutdown = client.waitForEvent('SHUTDOWN');
      const closed = new Promise<QmpCloseInfo>((resolve) => client.once('close', resolve));
      await client.quit();
      assert.equal((await shutdown).data.reason, 'host-qmp-quit');
      assert.deepEqual(await closed, { shutdownSeen: true });
      assert.equal(client.state, 'closed');
      assert.equal((await qemu.proc).exitCode, 0);
    });

    it('a killed QEMU rejects pending commands with QmpDisconnectedError', async () => {
      qemu = startQemu();
      const client = await QmpClient.connect(qemu.qmpPath, { retry: true });
      const pending = Array.from({ length: 200 }, () => client.queryStatus());
      qemu.proc.kill('SIGKILL');
      const settled = await Promise.allSettled(pending);
      assert.ok(settled.some((s) => s.status === 'rejected'));
      for (const s of settled) if (s.status === 'rejected') assert.ok(s.reason instanceof QmpDisconnectedError && s.reason.command === 'query-status');
      assert.equal((await client.closed).shutdownSeen, false);
    });

    it('speaks QMP over a child\'s stdio pipes (-qmp stdio) with fromStreams()', async () => {
      const proc = execa('qemu-system-x86_64', ['-machine', 'none', '-S', '-nodefaults', '-display', 'none', '-qmp', 'stdio'], {
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'ignore',
        buffer: false,
        reject: false,
      });
      try {
        const client = await QmpClient.fromStreams(proc.stdout!, proc.stdin!);
        assert.equal(client.state, 'ready');
        assert.equal((await client.queryStatus()).status, 'prelaunch');
        await client.quit();
        assert.equal((await client.closed).shutdownSeen, true);
        assert.equal((await proc).exitCode, 0);
      } finally {
        proc.kill('SIGKILL');
        await proc;
      }
    });

    it('connects over TCP ({ host, port })', async () => {
      const port = await freePort();
      qemu = startQemu({ qmp: `tcp:127.0.0.1:${port},server=on,wait=off` });
      const client = await QmpClient.connect({ host: '127.0.0.1', port }, { retry: true });
      assert.equal((await client.queryStatus()).status, 'prelaunch');
      await client.close();
      assert.equal(client.state, 'closed');
    });

    it('accept mode: QEMU connects to QmpClient.listen()', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vk-qmp-listen-'));
      const path = join(dir, 'listen.sock');
      const listener = await QmpClient.listen(path);
      try {
        qemu = startQemu({ connectTo: path });
        const client = await listener.accept({ timeout: 10_000 });
        assert.equal(client.state, 'ready');
        assert.equal((await client.queryStatus()).status, 'prelaunch');
        await client.quit();
        assert.equal((await client.closed).shutdownSeen, true);
      } finally {
        await listener.close();
      }
      assert.equal(existsSync(path), false);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});

/** A TCP port that was free a moment ago (QEMU binds it right after). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
