/**
 * The option parser and table printer against virsh's rules (texts captured from virsh 9.0).
 */
import { strict as assert } from 'node:assert';
import { ParseError, parseCommandArgv, parseCommandString, tokenize } from '../src/parser.js';
import { formatTable } from '../src/table.js';
import { COMMANDS, EXTRA_OPTS } from '../src/registry.js';
import { COMMAND_DEFS } from '../src/command-defs.js';
import { COMMAND_HELP } from '../src/command-help.js';

function parseErr(line: string): readonly string[] {
  try {
    parseCommandString(line, EXTRA_OPTS);
  } catch (e) {
    assert.ok(e instanceof ParseError);
    return e.lines;
  }
  assert.fail(`expected '${line}' to fail`);
}

function opts(line: string): Record<string, unknown>[] {
  return parseCommandString(line, EXTRA_OPTS).map((c) => ({ cmd: c.def.name, ...Object.fromEntries(c.opts) }));
}

describe('vksh option parser', () => {
  it('tokenizes with virsh quoting: single quotes literal, double quotes with escapes', () => {
    assert.deepEqual(tokenize(`a 'b c' "d\\"e" f\\ g 'h\\i'`), [
      { kind: 'arg', value: 'a' },
      { kind: 'arg', value: 'b c' },
      { kind: 'arg', value: 'd"e' },
      { kind: 'arg', value: 'f g' },
      { kind: 'arg', value: 'h\\i' },
    ]);
    assert.deepEqual(tokenize(`te'st'"x"`), [{ kind: 'arg', value: 'testx' }]);
  });

  it('separates commands with ; and newlines, and skips # comments at a token start', () => {
    assert.deepEqual(opts('list --name; list --uuid\nuri # comment; ignored'), [
      { cmd: 'list', name: true },
      { cmd: 'list', uuid: true },
      { cmd: 'uri' },
    ]);
    assert.deepEqual(opts('domstate te#st'), [{ cmd: 'domstate', domain: 'te#st' }]);
    assert.deepEqual(opts(' ; ;; '), []);
  });

  it('binds --opt value, --opt=value and positional data in declaration order', () => {
    assert.deepEqual(opts('setmem test 1024 --live'), [{ cmd: 'setmem', domain: 'test', size: '1024', live: true }]);
    assert.deepEqual(opts('setmem --size=2G --domain test'), [{ cmd: 'setmem', domain: 'test', size: '2G' }]);
    assert.deepEqual(opts('setmem --size 2G test'), [{ cmd: 'setmem', domain: 'test', size: '2G' }]);
    // optional string options take data too, unless virsh marks them named-only (xpath)
    assert.deepEqual(opts('vol-info v1 default-pool'), [{ cmd: 'vol-info', vol: 'v1', pool: 'default-pool' }]);
    assert.deepEqual(parseErr('dumpxml test /domain'), ["unexpected data '/domain'"]);
  });

  it('collects every value of an argv option', () => {
    assert.deepEqual(opts('snapshot-create-as test s1 d1 mem vda vdb --diskspec vdc'), [
      { cmd: 'snapshot-create-as', domain: 'test', name: 's1', description: 'd1', memspec: 'mem', diskspec: ['vda', 'vdb', 'vdc'] },
    ]);
  });

  it('treats everything after -- as data', () => {
    assert.deepEqual(opts('domstate -- --reason'), [{ cmd: 'domstate', domain: '--reason' }]);
  });

  it("reports virsh's exact texts", () => {
    assert.deepEqual(parseErr('nosuch'), ["unknown command: 'nosuch'"]);
    assert.deepEqual(parseErr('list; nosuch'), ["unknown command: 'nosuch'"]);
    assert.deepEqual(parseErr('dominfo'), ["command 'dominfo' requires <domain> option"]);
    assert.deepEqual(parseErr('setmem'), ["command 'setmem' requires <domain> option", "command 'setmem' requires --size option"]);
    assert.deepEqual(parseErr('dominfo test extra'), ["unexpected data 'extra'"]);
    assert.deepEqual(parseErr('dominfo --domain'), ['expected syntax: --domain <string>']);
    assert.deepEqual(parseErr('setvcpus test --count'), ['expected syntax: --count <number>']);
    assert.deepEqual(parseErr('dominfo --bogus test'), ["command 'dominfo' doesn't support option --bogus"]);
    assert.deepEqual(parseErr('domstate --reason=1 test'), ["invalid '=' after option --reason"]);
    assert.deepEqual(parseErr('domstate --domain a --domain b'), ['option --domain already seen']);
    assert.deepEqual(parseErr('domstate "test'), ['missing "']);
    assert.deepEqual(parseErr('domstate test\\'), ['dangling \\']);
  });

  it('has no prefix abbreviation, exactly like virsh 9.0', () => {
    assert.deepEqual(parseErr('domstate --dom test'), ["command 'domstate' doesn't support option --dom"]);
    assert.deepEqual(parseErr('list --al'), ["command 'list' doesn't support option --al"]);
  });

  it('turns CMD --help into help CMD and lets help ignore stray options', () => {
    assert.deepEqual(opts('list --all --help'), [{ cmd: 'help', command: 'list' }]);
    assert.deepEqual(opts('help --foo domstate extra'), [{ cmd: 'help', command: 'domstate' }]);
  });

  it('adds --json to information commands only', () => {
    assert.deepEqual(opts('list --json'), [{ cmd: 'list', json: true }]);
    assert.deepEqual(parseErr('suspend test --json'), ["command 'suspend' doesn't support option --json"]);
  });

  it('takes several shell arguments as one argv command, without ; splitting', () => {
    assert.deepEqual(
      parseCommandArgv(['domstate', 'test', '--reason']).map((c) => Object.fromEntries(c.opts)),
      [{ domain: 'test', reason: true }],
    );
    assert.throws(() => parseCommandArgv(['list', ';', 'list']), /unexpected data ';'/);
  });
});

describe('vksh command table', () => {
  // issue 4's command list
  const ISSUE_4 = `version uri hostname nodeinfo capabilities domcapabilities connect list dominfo domstate domid
    domname domuuid domblklist domiflist define undefine create start suspend resume shutdown reboot reset destroy
    save restore managedsave managedsave-remove dumpxml setmem setmaxmem setvcpus autostart attach-device
    detach-device domrename snapshot-create-as snapshot-list snapshot-current snapshot-revert snapshot-delete
    snapshot-dumpxml event net-list net-info net-dumpxml net-define net-create net-start net-destroy net-undefine
    net-autostart net-uuid net-name pool-list pool-info pool-dumpxml pool-define pool-define-as pool-create
    pool-build pool-start pool-destroy pool-delete pool-undefine pool-refresh pool-autostart vol-list vol-info
    vol-dumpxml vol-create vol-create-as vol-clone vol-delete vol-wipe vol-resize vol-upload vol-download vol-path
    vol-key vol-name help quit`.split(/\s+/);

  it("implements every command of issue 4 with virsh's options and help", () => {
    for (const name of ISSUE_4) {
      assert.ok(COMMANDS.has(name), `${name} implemented`);
      assert.ok(COMMAND_DEFS.some((d) => d.name === name), `${name} defined`);
      assert.match(COMMAND_HELP[name], new RegExp(`^  NAME\\n    ${name} - `));
    }
    assert.deepEqual(COMMAND_DEFS.map((d) => d.name).filter((n) => !COMMANDS.has(n)), []);
  });

  it("keeps issue 4's list options", () => {
    const opts = (cmd: string): string[] => COMMAND_DEFS.find((d) => d.name === cmd)!.opts.map((o) => o.name);
    for (const [cmd, want] of Object.entries({
      list: ['all', 'inactive', 'name', 'uuid', 'title', 'persistent', 'transient', 'autostart', 'state-running', 'state-paused', 'state-shutoff'],
      domstate: ['reason'],
      undefine: ['managed-save', 'snapshots-metadata', 'remove-all-storage'],
      create: ['paused'],
      start: ['paused'],
      dumpxml: ['inactive'],
      autostart: ['disable'],
      'attach-device': ['live', 'config', 'persistent', 'current'],
      'detach-device': ['live', 'config', 'persistent', 'current'],
      event: ['all', 'loop', 'timeout', 'event'],
      'net-list': ['all', 'inactive'],
      'pool-list': ['all', 'details', 'inactive'],
      'vol-list': ['details'],
      'vol-create-as': ['format', 'allocation', 'backing-vol'],
    })) {
      for (const o of want) assert.ok(opts(cmd).includes(o), `${cmd} --${o}`);
    }
  });
});

describe('vksh table printer', () => {
  it('pads with 3-space gaps, leaves the last column unpadded, dashes width + 3 per column', () => {
    const out = formatTable(['Id', 'Name', 'State', 'Title'], [['1', 'test', 'running', '']]);
    assert.equal(out, ' Id   Name   State     Title\n------------------------------\n 1    test   running   \n');
  });

  it('prints an empty table as header and rule', () => {
    assert.equal(formatTable(['Name', 'Path'], []), ' Name   Path\n--------------\n');
  });

  it('omits header and rule in quiet mode and sizes columns from the rows only', () => {
    assert.equal(formatTable(['Id', 'Name', 'State'], [['1', 'test', 'running']], false), ' 1   test   running\n');
  });

  it('escapes control characters as virsh does', () => {
    assert.equal(formatTable(['A', 'B'], [['x\ty', 'z']], false), ' x\\x09y   z\n');
  });
});
