/**
 * `tceops cvm run | resize | types` in a terminal against the emulator: the plan's price line, JSON with numbers,
 * currency and unit, refusals with exit codes, and a password never taken from the command line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@tceops/emulator';
import { main } from '../../src/main.ts';
import type { Prompter } from '../../src/prompt.ts';
import { captureIo } from '../io.ts';
import { terminalEnv } from '../../../../test/support/terminal-env.ts';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

describe('cli: launches and resizes with prices', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: 0.02 });
    const home = mkdtempSync(join(tmpdir(), 'tceops-cli-lifecycle-'));
    env = terminalEnv(emulator.url, home);
  });
  afterEach(() => emulator.stop());

  async function run(args: string[], prompter: Prompter = noTerminal) {
    const io = captureIo();
    const code = await main(args, { io, env, prompter });
    return { code, ...io };
  }

  const launch = ['cvm', 'run', '--zone', 'ap-guangzhou-3', '--type', 'S5.MEDIUM4', '--image', 'img-9qabwvbn'];

  it('a dry run shows the price line and TCE’s answers; JSON carries the price as numbers with currency and unit', async () => {
    const table = await run([...launch, '--name', 'cli-1', '--dry-run']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ {2}price: ¥0\.245\/h \(InquiryPriceRunInstances\)$/m);
    assert.match(table.stdout, /^ {2}TCE: S5\.MEDIUM4 is sold in ap-guangzhou-3/m);
    const json = await run([...launch, '--name', 'cli-1', '--dry-run', '--output', 'json']);
    const price = (JSON.parse(json.stdout) as { plan: { price: Record<string, unknown> } }).plan.price;
    assert.deepEqual(price, { currency: 'CNY', unit: 'hour', after: 0.245, source: 'InquiryPriceRunInstances' });
  });

  it('launch with --yes: the new instance is reported and followed to RUNNING', async () => {
    const out = await run([...launch, '--name', 'cli-2', '--yes']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /ins-[a-z0-9]{8}\s+ok/);
    const listed = await run(['cvm', 'instances', '--name', 'cli-2', '--output', 'json']);
    assert.equal((JSON.parse(listed.stdout) as { states: string[] }).states[0], 'RUNNING');
  });

  it('a type the zone does not sell: exit 1 with TCE’s reason', async () => {
    const out = await run([
      'cvm',
      'run',
      '--zone',
      'ap-guangzhou-3',
      '--type',
      'C5.LARGE8',
      '--image',
      'img-9qabwvbn',
      '--name',
      'x',
      '--yes',
    ]);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /not sold in ap-guangzhou-3/);
  });

  it('a password on the command line: exit 2, the value never printed', async () => {
    const out = await run([...launch, '--name', 'x', '--password', 'Sekr1t-Value!']);
    assert.equal(out.code, 2);
    assert.ok(!`${out.stdout}${out.stderr}`.includes('Sekr1t-Value!'), out.stderr);
    assert.match(out.stderr, /--ask-password/);
  });

  it('bad input is refused with exit 2 before anything is sent: missing flags, a bad period, a bad image', async () => {
    for (const args of [
      ['cvm', 'run', '--zone', 'ap-guangzhou-3'],
      [...launch, '--name', 'x', '--charge-type', 'PREPAID', '--period', '13'],
      [...launch, '--name', 'x', '--period', '2'],
      ['cvm', 'run', '--zone', 'ap-guangzhou-3', '--type', 'S5.SMALL2', '--image', 'ubuntu', '--name', 'x'],
      [...launch, '--name', 'x', '--keypair', 'skey-12345678', '--ask-password'],
      ['cvm', 'resize', 'web-1'],
    ]) {
      const out = await run(args);
      assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
    }
  });

  it('types: prices per zone, sorted; rows only for what the zone sells', async () => {
    const out = await run(['cvm', 'types', '--zone', 'ap-guangzhou-1']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /ap-guangzhou-1\s+S5\.SMALL2\s+S5\s+1\s+2\s+¥0\.10\/h\s+SELL/);
    assert.ok(!out.stdout.includes('M5.'));
  });
});
