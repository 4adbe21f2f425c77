/**
 * Example: start QEMU paused, resume it, pause it, resume it again and print every QMP event,
 * then quit. Run: npx tsx --conditions=@virtkit/source examples/qmp-pause-resume.ts
 * (needs qemu-system-x86_64; the guest has no OS, which is fine for this).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from '@virtkit/qmp-client';

const dir = mkdtempSync(join(tmpdir(), 'qmp-example-'));
const socket = join(dir, 'qmp.sock');
// An argument array, no shell. QEMU listens on the socket; -S keeps the machine paused.
const qemu = spawn(
  'qemu-system-x86_64',
  ['-machine', 'none', '-S', '-nodefaults', '-display', 'none', '-qmp', `unix:${socket},server=on,wait=off`],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const exited = new Promise((resolve) => qemu.once('exit', resolve));
qemu.once('error', (err) => {
  console.error(`cannot start QEMU: ${err.message}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});

try {
  // QEMU creates the socket shortly after starting: retry until it is there.
  const client = await QmpClient.connect(socket, { retry: true });
  const { qemu: v } = client.greeting!.version;
  console.log(`connected to QEMU ${v.major}.${v.minor}.${v.micro} (oob ${client.oobEnabled ? 'on' : 'off'})`);
  client.on('event', (e) => console.log(`event ${e.event} ${JSON.stringify(e.data)}`));
  console.log(`status ${(await client.queryStatus()).status}`);

  for (const step of ['resume', 'pause', 'resume'] as const) {
    // Set the wait up before the command: QEMU may send the event before the reply.
    const event = client.waitForEvent(step === 'pause' ? 'STOP' : 'RESUME', { timeout: 5000 });
    await (step === 'pause' ? client.stop() : client.cont());
    await event;
    console.log(`status ${(await client.queryStatus()).status}`);
  }

  await client.quit();
  const { shutdownSeen } = await client.closed;
  console.log(`closed (shutdownSeen=${shutdownSeen})`);
} finally {
  if (qemu.exitCode === null) qemu.kill('SIGKILL');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}
