/**
 * An error tceops did not expect (a bug), met by the real `tceops` process: one inert line saying what failed and
 * how to report it, exit 1, no stack trace unless TCEOPS_LOG_LEVEL=debug, and no secret of the environment.
 * The error is forced by a preloaded fixture (fixtures/unexpected.mjs) on the command's first output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const SECRET_KEY = 'UnexpectedTestSecretKey0123456789';
const STACK = /\n\s+at \S/;

function tceops(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'tceops-bin-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(here, 'fixtures/unexpected.mjs'),
      join(root, 'packages/cli/src/bin.ts'),
      ...args,
    ],
    { cwd: root, env: { PATH: process.env.PATH, HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('cli: an error that is not a tceops error', function () {
  this.timeout(60_000);

  it('one line naming the command and how to report it, exit 1, no stack trace', async () => {
    const { code, stderr } = await tceops(['catalog'], { TCEOPS_TEST_UNEXPECTED: 'sync' });
    assert.equal(code, 1);
    assert.doesNotMatch(stderr, STACK);
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, /^Internal error in `tceops catalog` \(TypeError: boom\): this is a bug in tceops/);
    assert.match(lines[0]!, /report it to the tceops maintainers/);
    assert.match(lines[0]!, /TCEOPS_LOG_LEVEL=debug adds the stack/);
  });

  it('a hostile message: the secret of the environment masked, control characters written out, still one line', async () => {
    const { code, stderr } = await tceops(['help', 'cvm', 'stop'], {
      TCEOPS_TEST_UNEXPECTED: 'sync',
      TCEOPS_TEST_MESSAGE: `got ${SECRET_KEY} \x1b]0;owned\x07\x1b[2J\u202e\nsecond line`,
      TENCENTCLOUD_SECRET_ID: 'AKIDunexpectedtest',
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
    });
    assert.equal(code, 1);
    assert.ok(!stderr.includes(SECRET_KEY), stderr);
    for (const c of ['\x1b', '\x07', '\u202e']) assert.ok(!stderr.includes(c), JSON.stringify(stderr));
    assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    // What failed: the command's leading words only (what follows may be anything the user typed).
    assert.match(stderr, /^Internal error in `tceops help cvm` \(TypeError: got \*+6789 /);
  });

  it('TCEOPS_LOG_LEVEL=debug adds the stack, inert and without the secret', async () => {
    const { code, stderr } = await tceops(['catalog'], {
      TCEOPS_TEST_UNEXPECTED: 'sync',
      TCEOPS_TEST_MESSAGE: `got ${SECRET_KEY}`,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      TCEOPS_LOG_LEVEL: 'debug',
    });
    assert.equal(code, 1);
    assert.match(stderr, /with this line and the stack below/);
    assert.match(stderr, STACK);
    assert.ok(!stderr.includes(SECRET_KEY), stderr);
  });

  it('thrown from the event loop, an unhandled rejection, or a thrown string: the same one line and exit 1', async () => {
    for (const [how, shown] of [
      ['async', 'RangeError: boom'],
      ['rejection', 'Error: boom'],
      ['string', 'a thrown string'],
    ]) {
      const { code, stderr } = await tceops(['catalog'], { TCEOPS_TEST_UNEXPECTED: how! });
      assert.equal(code, 1, `${how}: ${stderr}`);
      assert.doesNotMatch(stderr, STACK, how);
      assert.equal(stderr.trimEnd().split('\n').length, 1, `${how}: ${stderr}`);
      assert.ok(stderr.startsWith(`Internal error in \`tceops catalog\` (${shown})`), `${how}: ${stderr}`);
    }
  });

  it('a tceops error is unchanged: bad input says what is wrong, exit 2', async () => {
    const { code, stderr } = await tceops(['catalog', 'show', 'cvm', 'NoSuchAction'], {});
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^Error: /);
    assert.doesNotMatch(stderr, /Internal error/);
  });
});
