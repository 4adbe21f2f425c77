/**
 * vksh as a program: the bundled bin (packages/cli/bin/vksh.js -> dist/vksh.cjs) spawned as a
 * real process, non-interactively and as an interactive shell with piped stdin.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { requireHost } from '../support/host.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'packages', 'cli');
const bin = join(cli, 'bin', 'vksh.js');

/** Runs the bin; NODE_OPTIONS from the test runner (tsx) must not reach the built program. */
function vksh(args: string[], input?: string, env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const res = spawnSync(process.execPath, [bin, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', ...env },
  });
  return { stdout: res.stdout, stderr: res.stderr, status: res.status };
}

describe('vksh bin (bundled, real processes)', function () {
  this.timeout(60000);

  before(function () {
    if (existsSync(join(cli, 'dist', 'vksh.cjs')) && existsSync(join(cli, 'dist', 'vksh-drivers.cjs'))) return;
    // A test run without `npm run build` builds the bundle rather than assume it.
    const b = spawnSync(process.execPath, [join(cli, 'bundle', 'build.mjs')], { cwd: cli, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });

  it('lists test:///default exactly as virsh', () => {
    const golden = (JSON.parse(readFileSync(join(cli, 'test', 'golden', 'cases.json'), 'utf8')) as { args: string[]; stdout: string }[]).find(
      (c) => c.args.join(' ') === '-c test:///default list --all',
    );
    assert.ok(golden);
    assert.deepEqual(vksh(['-c', 'test:///default', 'list', '--all']), { stdout: golden.stdout, stderr: '', status: 0 });
  });

  it('runs a multi-command string on one connection and exits with the last status', () => {
    const r = vksh(['-c', 'test:///default', 'destroy test; list --all --name; destroy test']);
    assert.equal(r.stdout, "Domain 'test' destroyed\n\ntest\n\n\n");
    assert.equal(r.stderr, "error: Failed to destroy domain 'test'\nerror: Requested operation is not valid: domain is not running\n");
    assert.equal(r.status, 1);
  });

  it('takes the URI from LIBVIRT_DEFAULT_URI and reports parse errors with status 1', () => {
    assert.deepEqual(vksh(['uri'], undefined, { LIBVIRT_DEFAULT_URI: 'test:///default' }), { stdout: 'test:///default\n\n', stderr: '', status: 0 });
    assert.deepEqual(vksh(['-c', 'test:///default', 'nosuch']), { stdout: '', stderr: "error: unknown command: 'nosuch'\n", status: 1 });
    assert.deepEqual(vksh(['-x']), { stdout: '', stderr: "error: unsupported option '-x'. See --help.\n", status: 1 });
  });

  it('loads only the bundle for a list; the XML and help chunks when first needed', () => {
    const env = { VKSH_TRACE_LOAD: '1' };
    assert.equal(vksh(['-c', 'test:///default', 'list', '--all'], undefined, env).stderr, 'vksh: loading vksh\n');
    assert.equal(vksh(['-c', 'test:///default', 'dumpxml test'], undefined, env).stderr, 'vksh: loading vksh\nvksh: loading vksh-xml\n');
    assert.equal(vksh(['-c', 'test:///default', 'help list'], undefined, env).stderr, 'vksh: loading vksh\nvksh: loading vksh-help\n');
  });

  it('runs qemu:// and storage:// URIs from the bundle, loading its drivers chunk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vksh-bin-drivers-'));
    try {
      const env = { VKSH_TRACE_LOAD: '1' };
      const q = vksh(['-c', `qemu:///embed?root=${join(dir, 'q')}`, 'list --all; pool-list --all'], undefined, env);
      assert.equal(q.status, 0, q.stderr);
      assert.equal(q.stderr, 'vksh: loading vksh\nvksh: loading vksh-drivers\n');
      assert.equal(q.stdout, ' Id   Name   State\n--------------------\n\n Name   State   Autostart\n---------------------------\n\n');
      const s = vksh(['-c', `storage:///embed?root=${join(dir, 's')}`, 'pool-list --all'], undefined, env);
      assert.equal(s.status, 0, s.stderr);
      assert.equal(s.stderr, 'vksh: loading vksh\nvksh: loading vksh-drivers\n');
      assert.equal(s.stdout, ' Name   State   Autostart\n---------------------------\n\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads its XML and help chunks on first use, with the same output as in-process vksh', async () => {
    const { runVksh } = await import('@virtkit/cli');
    const cmds = 'dumpxml test; net-dumpxml default; pool-dumpxml default-pool; help list; suspend test; dominfo test';
    const out: string[] = [];
    const err: string[] = [];
    const status = await runVksh(['-c', 'test:///default', cmds], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    });
    const mask = (s: string) => s.replace(/CPU time:.*/g, 'CPU time: -');
    const r = vksh(['-c', 'test:///default', cmds]);
    assert.deepEqual({ ...r, stdout: mask(r.stdout) }, { stdout: mask(out.join('')), stderr: err.join(''), status });
    assert.match(r.stdout, /<domain type='test' id='1'>/);
  });

  it('fails to connect in virsh form', () => {
    const r = vksh(['-c', 'bogus:///x', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: failed to connect to the hypervisor\nerror: .+\n$/);
  });

  it('is an interactive shell on piped stdin: banner, prompt, echo, errors, quit', () => {
    const r = vksh(['-c', 'test:///default'], 'list --name\nnosuch\ndomstate test\nquit\nlist\n');
    assert.equal(
      r.stdout,
      "Welcome to vksh, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n" +
        'vksh # list --name\ntest\n\nvksh # nosuch\nvksh # domstate test\nrunning\n\nvksh # quit\n\n',
    );
    assert.equal(r.stderr, "error: unknown command: 'nosuch'\n");
    assert.equal(r.status, 0);
  });

  it('keeps state across shell lines and shows the read-only prompt with -r', () => {
    const rw = vksh(['-q', '-c', 'test:///default'], 'suspend test\ndomstate test --reason\n');
    // -q drops the confirmation, as virsh's does
    assert.equal(rw.stdout, 'vksh # suspend test\nvksh # domstate test --reason\npaused (user)\nvksh # \n');
    const ro = vksh(['-q', '-r', '-c', 'test:///default'], 'suspend test\n');
    assert.equal(ro.stdout, 'vksh > suspend test\nvksh > \n');
    assert.equal(ro.stderr, "error: Failed to suspend domain 'test'\nerror: operation forbidden: read only access prevents virDomainSuspend\n");
  });

  it('edits lines and keeps history on a terminal (python3 pty provides the terminal)', async function () {
    requireHost(this, { binaries: ['python3'] });
    const cache = mkdtempSync(join(tmpdir(), 'vksh-history-'));
    try {
      const session = async (keys: string[]): Promise<string> => {
        // pty.spawn copies our stdin to the terminal and the terminal to our stdout; an argument
        // array, no shell in between
        const child = spawn('python3', ['-c', 'import pty, sys; pty.spawn(sys.argv[1:])', process.execPath, bin, '-c', 'test:///default'], {
          env: { PATH: process.env.PATH ?? '', HOME: cache, XDG_CACHE_HOME: cache, TERM: 'xterm' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
        const kill = setTimeout(() => child.kill('SIGKILL'), 20000);
        try {
          // keystrokes paced so readline sees them as typed; the first waits for the shell to put
          // the terminal in raw mode (a ^C before that would be the terminal's own interrupt)
          for (const [i, k] of keys.entries()) {
            await delay(i === 0 ? 1500 : 400);
            child.stdin.write(k);
          }
          await exited;
        } finally {
          clearTimeout(kill);
        }
        // drop the terminal's cursor controls and carriage returns
        return out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
      };
      const first = await session(['list --name\r', 'quit\r']);
      assert.match(first, /vksh # .*list --name\ntest\n/);
      assert.equal(readFileSync(join(cache, 'vksh', 'history'), 'utf8'), 'list --name\nquit\n');
      // a new shell recalls the previous session's lines: Up, Up gives "list --name"
      const second = await session(['\x1b[A\x1b[A\r', 'quit\r']);
      assert.match(second, /\ntest\n/);
      // Ctrl-C drops the half-typed line and prompts again; the shell goes on
      const third = await session(['dominf', '\x03', 'uri\r', 'quit\r']);
      assert.match(third, /vksh # dominf\nvksh # uri\ntest:\/\/\/default\n/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('waits for events until interrupted, then reports like virsh', async () => {
    const child = spawn(process.execPath, [bin, '-c', 'test:///default', 'event --all --loop'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(child.exitCode, null, 'still waiting for events');
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(out, 'event loop interrupted\nevents received: 0\n\n');
    assert.equal(code, 1);
  });

  it('is linked as node_modules/.bin/vksh by the workspace install', function () {
    const link = join(root, 'node_modules', '.bin', 'vksh');
    if (!existsSync(link)) {
      console.log('    skipped: node_modules/.bin/vksh missing (run npm install at the root)');
      this.skip();
    }
    const cwd = mkdtempSync(join(tmpdir(), 'vksh-bin-'));
    try {
      const r = spawnSync(link, ['-c', 'test:///default', 'list', '--name'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      assert.equal(r.stdout, 'test\n\n');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
