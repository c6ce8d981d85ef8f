/**
 * The built terminal, as a user runs it: build.mjs's bundles in a fresh folder beside a copy of the launcher, against
 * the emulator. dist/cli.cjs (what every command but bot and start runs) answers a call, refuses bad input with exit 2
 * and nothing sent, refuses an unconfirmed change, audits what ran, takes the code cache the build saved, and holds
 * no Slack app; `help` prints what the bundle itself prints.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS, type RunningEmulator, startEmulator } from '@tceops/emulator';
import { buildCli } from '../build.mjs';

const BIN = fileURLToPath(new URL('../bin/', import.meta.url));

describe('cli: the built bundles', function () {
  this.timeout(180_000);
  let dir: string;
  let emulator: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  const launcher = () => join(dir, 'bin', 'tceops.js');
  /** A node process, awaited without blocking this one (the emulator answers from here). */
  const node = (args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out, err }));
    });
  const tceops = (...args: string[]) => node([launcher(), ...args]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-build-test-'));
    mkdirSync(join(dir, 'bin'));
    for (const file of ['tceops.js', 'package.json']) copyFileSync(join(BIN, file), join(dir, 'bin', file));
    await buildCli({ dist: join(dir, 'dist') });
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo' });
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      TCE_ENDPOINT: emulator.url,
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
      TENCENTCLOUD_REGION: 'ap-guangzhou',
      TCEOPS_STORE: `file:${join(dir, 'store')}`,
    };
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cli.cjs answers a call, with the code cache the build saved', async () => {
    const code = `const state = require(${JSON.stringify(launcher())}).runCommonJs(${JSON.stringify(join(dir, 'dist', 'cli.cjs'))});
      process.stderr.write('cache: ' + state + '\\n');`;
    const run = await node(['-e', code, 'tceops', 'call', 'cvm', 'DescribeInstances', '--Limit', '2']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /^cache: used$/m);
    const answer = JSON.parse(run.out) as { TotalCount: number; InstanceSet: { InstanceId: string }[] };
    assert.equal(answer.InstanceSet.length, 2);
    assert.ok(answer.TotalCount > 2);
    assert.match(answer.InstanceSet[0]!.InstanceId, /^ins-/);
  });

  it('refuses bad input with exit 2 and an unconfirmed change with nothing changed; audits what ran', async () => {
    const bad = await tceops('call', 'cvm', 'DescribeInstances', '--Limit', 'many');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^Error: .*Limit/m);
    assert.equal(bad.out, '');
    const keyPairs = async () =>
      (JSON.parse((await tceops('call', 'cvm', 'DescribeKeyPairs')).out) as { TotalCount: number }).TotalCount;
    const count = await keyPairs();
    const create = await tceops('call', 'cvm', 'CreateKeyPair', '--KeyName', 'built', '--ProjectId', '0');
    assert.equal(create.code, 2, create.err);
    assert.match(create.err, /needs confirmation and there is no terminal/);
    assert.equal(await keyPairs(), count);
    const verify = await tceops('audit', 'verify');
    assert.equal(verify.code, 0, verify.err);
    assert.ok(statSync(join(dir, 'store', 'audit.jsonl')).size > 0);
  });

  it('help prints what the bundle prints; cli.cjs holds no Slack app', async () => {
    const saved = await tceops('help');
    const bundle = await node([join(dir, 'dist', 'tceops.js'), 'help']);
    assert.equal(saved.code, 0);
    assert.equal(saved.out, bundle.out);
    assert.match(saved.out, /tceops call <service> <Action>/);
    const cjs = readFileSync(join(dir, 'dist', 'cli.cjs'), 'utf8');
    assert.ok(cjs.length < 1_000_000, `cli.cjs is ${cjs.length} bytes`);
    assert.ok(!cjs.includes('@slack/bolt') && !cjs.includes('express'), 'cli.cjs holds the Slack app');
  });
});
