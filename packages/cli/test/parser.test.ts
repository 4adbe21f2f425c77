/**
 * The option parser and table printer against virsh's rules (texts captured from virsh 9.0).
 */
import { strict as assert } from 'node:assert';
import { ParseError, parseCommandArgv, parseCommandString, tokenize } from '../src/parser.js';
import { formatTable } from '../src/table.js';
import { EXTRA_OPTS } from '../src/registry.js';

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
