/**
 * The launcher (bin/tceops.js): `tceops help`, `--help`, `-h` and no arguments print the text the build saved
 * (dist/help.json) without loading the bundle; everything else — `help <command>` included — runs the bundle with
 * its arguments untouched, and so does a missing or damaged help.json. Run here against a stand-in bundle that
 * says it ran, beside a copy of the real launcher.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/', import.meta.url));

describe('cli: the launcher', () => {
  let dir: string;
  const helpJson = (text: string) => writeFileSync(join(dir, 'dist', 'help.json'), text);
  const tceops = (...args: string[]) => {
    const run = spawnSync(process.execPath, [join(dir, 'bin', 'tceops.js'), ...args], { encoding: 'utf8' });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-bin-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist'));
    for (const file of ['tceops.js', 'package.json']) copyFileSync(join(BIN, file), join(dir, 'bin', file));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(
      join(dir, 'dist', 'tceops.js'),
      "console.log('bundle ' + JSON.stringify(process.argv.slice(2))); process.exitCode = 3;\n",
    );
    helpJson(JSON.stringify({ usage: 'USAGE TEXT\n', help: 'HELP TEXT\n' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the saved help for help, --help, -h and no arguments, without the bundle', () => {
    assert.deepEqual(tceops('help'), { code: 0, out: 'HELP TEXT\n', err: '' });
    for (const args of [['--help'], ['-h'], []])
      assert.deepEqual(tceops(...args), { code: 0, out: 'USAGE TEXT\n', err: '' });
  });

  it('runs the bundle for anything else, arguments untouched', () => {
    for (const args of [
      ['help', 'cvm', 'stop'],
      ['call', 'cvm', 'DescribeInstances'],
      ['help', '--help'],
      ['--help', 'x'],
    ])
      assert.deepEqual(tceops(...args), { code: 3, out: `bundle ${JSON.stringify(args)}\n`, err: '' });
  });

  it('leaves help to the bundle when help.json is missing, damaged or of another shape', () => {
    rmSync(join(dir, 'dist', 'help.json'));
    assert.equal(tceops('help').out, 'bundle ["help"]\n');
    helpJson('{"help": "HELP');
    assert.equal(tceops('help').out, 'bundle ["help"]\n');
    helpJson('{"help": 42}');
    assert.equal(tceops('help').out, 'bundle ["help"]\n');
  });

  it('a reader that goes away early (tceops help | head -1) is no error', () => {
    helpJson(JSON.stringify({ usage: '', help: 'line\n'.repeat(200_000) }));
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${join(dir, 'bin', 'tceops.js')}" help | head -1`], {
      encoding: 'utf8',
    });
    assert.equal(run.stdout, 'line\n');
    assert.equal(run.stderr, '');
  });
});
