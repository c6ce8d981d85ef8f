/**
 * `tceops audit list` and `audit verify` with read records (`auditReads: true`): the log says who looked at what,
 * a hostile name asked for is shown inert (never obeyed by the terminal), and the chain still verifies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@tceops/emulator';
import { main } from '../../src/main.ts';
import type { Prompter } from '../../src/prompt.ts';
import { captureIo } from '../io.ts';
import { terminalEnv } from '../../../../test/support/terminal-env.ts';

/** Who the terminal's commands run as on a configured cloud: the OS user. */
const ME = userInfo().username;
const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };
/** ESC (clear the screen), a bidi override and a newline: a name meant to make the log read differently. */
const HOSTILE = 'web-\u001b[2J\u202eevil\nseq 99 bob';

describe('cli audit', function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  after(() => emulator.stop());
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tceops-audit-cli-'));
    const policy = join(home, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nauditReads: true\n');
    env = { ...terminalEnv(emulator.url, home), TCEOPS_POLICY: policy };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  async function run(args: string[]) {
    const io = captureIo();
    const code = await main(args, { io, env, prompter: noTerminal });
    return { code, ...io };
  }

  it('list shows who read what, a hostile name inert; verify passes with read records', async () => {
    assert.equal((await run(['cvm', 'instances'])).code, 0);
    const shown = await run(['cvm', 'show', HOSTILE]);
    assert.equal(shown.code, 2, shown.stderr);
    const listed = await run(['audit', 'list', '--kind', 'read']);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 3, `a header and two reads, one line each:\n${listed.stdout}`);
    assert.match(
      lines[1]!,
      new RegExp(
        `^1\\s.*\\s${ME}\\s+cli\\s+read\\s+cvm instances\\s+ok\\s+ap-guangzhou\\s+cvm instances\\s+cvm:DescribeInstances`,
      ),
    );
    assert.match(lines[2]!, new RegExp(`\\s${ME}\\s+cli\\s+read\\s+cvm show\\s+failed\\s`));
    assert.ok(lines[2]!.includes('web-\\e[2J\\u{202e}evil'), lines[2]);
    for (const bad of ['\u001b', '\u202e']) assert.ok(!listed.stdout.includes(bad), 'nothing the terminal obeys');
    const asJson = await run(['audit', 'list', '--kind', 'read', '--output', 'json']);
    assert.ok(!asJson.stdout.includes('\u202e') && !asJson.stdout.includes('\u001b'));
    const records = JSON.parse(asJson.stdout) as { data: { targets?: string[] }; result: string }[];
    assert.deepEqual(records[1]!.data.targets, [HOSTILE], 'the JSON keeps the exact value, escaped');
    const verified = await run(['audit', 'verify']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /audit log OK: 2 records/);
  });

  it('list filters by actor and limit; a bad flag is refused with exit 2', async () => {
    await run(['cvm', 'instances']);
    await run(['cvm', 'keypairs']);
    const newest = await run(['audit', 'list', '--limit', '1', '--actor', ME]);
    assert.match(newest.stdout, /cvm keypairs/);
    assert.ok(!/cvm instances/.test(newest.stdout));
    assert.match((await run(['audit', 'list', '--actor', `${ME}-not`])).stdout, /\(none\)/);
    // Another spelling of the same person finds the same records: upper case, full-width letters.
    const fullWidth = [...ME.toUpperCase()]
      .map((c) => (/[A-Z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
      .join('');
    for (const spelling of [ME.toUpperCase(), fullWidth])
      assert.match(
        (await run(['audit', 'list', '--limit', '1', '--actor', spelling])).stdout,
        /cvm keypairs/,
        spelling,
      );
    for (const args of [
      ['audit', 'list', '--kind', 'reads'],
      ['audit', 'list', '--limit', '0'],
      ['audit', 'list', '--limit'],
      ['audit', 'list', '--output', 'yaml'],
      ['audit', 'list', 'extra'],
      ['audit', 'show'],
    ]) {
      const refused = await run(args);
      assert.equal(refused.code, 2, args.join(' '));
    }
  });
});
