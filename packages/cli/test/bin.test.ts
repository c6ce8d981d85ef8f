/**
 * The launcher (bin/tceops.js): `tceops help`, `--help`, `-h` and no arguments print the text the build saved
 * (dist/help.json) without loading a bundle; `bot` and `start` run dist/tceops.js (the Slack app is only there);
 * everything else runs dist/cli.cjs with its code cache, or dist/tceops.js when there is no cli.cjs. Arguments reach
 * the bundle untouched. Run against stand-in bundles that say which ran, beside a copy of the real launcher.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/', import.meta.url));
const STAND_IN = (name: string) =>
  `#!/usr/bin/env node\nconsole.log('${name} ' + JSON.stringify(process.argv.slice(2))); process.exitCode = 3;\n`;

describe('cli: the launcher', () => {
  let dir: string;
  const dist = (file: string) => join(dir, 'dist', file);
  const helpJson = (text: string) => writeFileSync(dist('help.json'), text);
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
    writeFileSync(dist('tceops.js'), STAND_IN('esm'));
    writeFileSync(dist('cli.cjs'), STAND_IN('cjs'));
    helpJson(JSON.stringify({ usage: 'USAGE TEXT\n', help: 'HELP TEXT\n' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the saved help for help, --help, -h and no arguments, without a bundle', () => {
    assert.deepEqual(tceops('help'), { code: 0, out: 'HELP TEXT\n', err: '' });
    for (const args of [['--help'], ['-h'], []])
      assert.deepEqual(tceops(...args), { code: 0, out: 'USAGE TEXT\n', err: '' });
  });

  it('runs cli.cjs for every other command, arguments untouched; bot and start run tceops.js', () => {
    for (const args of [
      ['help', 'cvm', 'stop'],
      ['call', 'cvm', 'DescribeInstances'],
      ['help', '--help'],
      ['--help', 'x'],
      ['console', 'bot'],
      ['--region', 'ap-guangzhou', 'cvm', 'instances'],
    ])
      assert.deepEqual(tceops(...args), { code: 3, out: `cjs ${JSON.stringify(args)}\n`, err: '' });
    for (const args of [['bot'], ['start'], ['bot', '--as', 'x']])
      assert.deepEqual(tceops(...args), { code: 3, out: `esm ${JSON.stringify(args)}\n`, err: '' });
  });

  it('runs tceops.js for everything when there is no cli.cjs (a build from before it)', () => {
    rmSync(dist('cli.cjs'));
    assert.equal(tceops('call', 'cvm').out, 'esm ["call","cvm"]\n');
  });

  it('leaves help to the bundle when help.json is missing, damaged or of another shape', () => {
    rmSync(dist('help.json'));
    assert.equal(tceops('help').out, 'cjs ["help"]\n');
    helpJson('{"help": "HELP');
    assert.equal(tceops('help').out, 'cjs ["help"]\n');
    helpJson('{"help": 42}');
    assert.equal(tceops('help').out, 'cjs ["help"]\n');
  });

  it('a reader that goes away early (tceops help | head -1) is no error', () => {
    helpJson(JSON.stringify({ usage: '', help: 'line\n'.repeat(200_000) }));
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${join(dir, 'bin', 'tceops.js')}" help | head -1`], {
      encoding: 'utf8',
    });
    assert.equal(run.stdout, 'line\n');
    assert.equal(run.stderr, '');
  });

  describe('the code cache', () => {
    // A file of some size whose functions run, so that the cache holds compiled code; it counts its runs.
    const BUNDLE = (name: string) => `#!/usr/bin/env node
${Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x.map((y) => y * ${i}).filter(Boolean).length; }`).join('\n')}
globalThis.${name} = [${Array.from({ length: 200 }, (_, i) => `f${i}([1, 2])`).join(', ')}].length;
module.exports = { file: __filename, dir: __dirname, join: typeof require('node:path').join };
`;
    /** Runs the file through the launcher's loader in a fresh process (V8 keeps compiled code per process). */
    const run = (file: string, options = '{}') => {
      const launcher = JSON.stringify(join(dir, 'bin', 'tceops.js'));
      const code = `const state = require(${launcher}).runCommonJs(${JSON.stringify(file)}, ${options});
        console.log(JSON.stringify({ state, ran: globalThis.same ?? globalThis.first }))`;
      const child = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as { state: string; ran: number };
    };

    it('is saved by a run with saveCache and taken by the next run, which runs the file as require() would', () => {
      writeFileSync(dist('cli.cjs'), BUNDLE('first'));
      assert.deepEqual(run(dist('cli.cjs')), { state: 'none', ran: 200 });
      assert.deepEqual(run(dist('cli.cjs'), '{ saveCache: true }'), { state: 'saving', ran: 200 });
      assert.ok(existsSync(dist('cli.cjs.cache')));
      assert.deepEqual(run(dist('cli.cjs')), { state: 'used', ran: 200 });
    });

    it('is not used for another file, even of the same length (V8 would take it), nor when it is garbage', () => {
      writeFileSync(dist('cli.cjs'), BUNDLE('first'));
      run(dist('cli.cjs'), '{ saveCache: true }');
      // Same length, other code: V8 checks only the length; the launcher's stamp (the file's hash) tells them apart.
      writeFileSync(dist('cli.cjs'), BUNDLE('same '));
      assert.deepEqual(run(dist('cli.cjs')), { state: 'stale', ran: 200 });
      writeFileSync(dist('cli.cjs.cache'), Buffer.from('not a code cache, only some bytes'));
      assert.deepEqual(run(dist('cli.cjs')), { state: 'stale', ran: 200 });
      // A stamp that fits over bytes V8 cannot read: V8 refuses them, the file runs all the same.
      const sha256 = createHash('sha256')
        .update(readFileSync(dist('cli.cjs')))
        .digest('hex');
      writeFileSync(dist('cli.cjs.cache'), `tceops code cache for sha256 ${sha256}\ngarbage`);
      assert.deepEqual(run(dist('cli.cjs')), { state: 'rejected', ran: 200 });
      assert.equal(tceops('call').code, 0);
    });

    it('is not used for other code of the same length and modification time (a copy that keeps times)', () => {
      writeFileSync(dist('cli.cjs'), BUNDLE('first'));
      run(dist('cli.cjs'), '{ saveCache: true }');
      const before = statSync(dist('cli.cjs'));
      // cp -p, tar and rsync -t keep a file's times to the nanosecond: only the content tells the two apart, and
      // V8, given the old cache, would run the old code.
      writeFileSync(dist('times'), '');
      spawnSync('touch', ['-r', dist('cli.cjs'), dist('times')]);
      writeFileSync(dist('cli.cjs'), BUNDLE('same '));
      spawnSync('touch', ['-r', dist('times'), dist('cli.cjs')]);
      const after = statSync(dist('cli.cjs'));
      assert.deepEqual([after.size, after.mtimeMs], [before.size, before.mtimeMs]);
      assert.deepEqual(run(dist('cli.cjs')), { state: 'stale', ran: 200 });
    });
  });
});
