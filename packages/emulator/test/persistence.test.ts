/**
 * The state file: written atomically soon after a change, restored on restart; a clean stop (SIGTERM through
 * the CLI) loses nothing, a SIGKILL at most the last second.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { DEMO_BIG_DEVICE_ID, startEmulator } from '../src/index.ts';
import { loadState } from '../src/persistence.ts';
import { errorCode, tc3Request } from './helpers.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;

/** `tceops emulator` as a child process (the CLI package calls the same runEmulatorCli). */
function spawnCli(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const script = `import { runEmulatorCli } from './packages/emulator/src/index.ts'; process.exitCode = await runEmulatorCli(process.argv.slice(1));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening: ${stderr}`)));
  });
  return { child, url };
}

describe('emulator persistence and the CLI', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-emulator-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores the state (transitions and Int64 included) after a restart', async () => {
    const file = join(dir, 'state.json');
    const first = await startEmulator({ stateFile: file, timeScale: 10, rateLimits: false });
    const list = await tc3Request(first.url, 'cvm', 'DescribeInstances', {
      Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }],
    });
    const id = (list.InstanceSet as { InstanceId: string }[])[0]!.InstanceId;
    assert.equal(errorCode(await tc3Request(first.url, 'cvm', 'StopInstances', { InstanceIds: [id] })), undefined);
    await tc3Request(first.url, 'cvm', 'ModifyInstancesAttribute', { InstanceIds: [id], InstanceName: 'kept-name' });
    await first.stop();
    assert.deepEqual(readdirSync(dir), ['state.json'], 'no temporary file left behind');

    const second = await startEmulator({ stateFile: file, timeScale: 10, rateLimits: false });
    const again = await tc3Request(second.url, 'cvm', 'DescribeInstances', { InstanceIds: [id] });
    const instance = (again.InstanceSet as { InstanceName: string; InstanceState: string }[])[0]!;
    assert.equal(instance.InstanceName, 'kept-name');
    assert.equal(instance.InstanceState, 'STOPPING', 'the transition resumes where it was');
    const dbOne = Object.values(second.state.cvm.instances).find((s) => s.item.InstanceName === 'db-1')!;
    assert.equal(dbOne.item.DeviceId, DEMO_BIG_DEVICE_ID);
    await second.stop();
  });

  it('refuses a state file that is not an emulator state, and leaves it alone', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, '{"hello": "world"}');
    await assert.rejects(startEmulator({ stateFile: file }), /not a tceops emulator state/);
    assert.equal(readFileSync(file, 'utf8'), '{"hello": "world"}');
  });

  it('the CLI prints one line, serves, and on SIGTERM stops cleanly with everything written', async () => {
    const file = join(dir, 'cli.json');
    const { child, url } = spawnCli(['--port', '0', '--state-file', file, '--seed', 'empty', '--time-scale', '0']);
    const base = await url;
    const created = await tc3Request(base, 'cvm', 'CreateKeyPair', { KeyName: 'sigterm_test', ProjectId: 0 });
    assert.equal(errorCode(created), undefined);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    const state = await loadState(file);
    assert.ok(Object.values(state!.cvm.keyPairs).some((k) => k.item.KeyName === 'sigterm_test'));
  });

  it('a SIGKILL loses at most the last second', async () => {
    const file = join(dir, 'killed.json');
    const { child, url } = spawnCli(['--state-file', file, '--seed', 'empty']);
    const base = await url;
    await tc3Request(base, 'cvm', 'CreateKeyPair', { KeyName: 'before_kill', ProjectId: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGKILL');
    await once(child, 'exit');
    const state = await loadState(file);
    assert.ok(Object.values(state!.cvm.keyPairs).some((k) => k.item.KeyName === 'before_kill'));
    assert.ok(!existsSync(`${file}.tmp`));
  });

  it('bad usage exits 2 with the reason', async () => {
    const { child, url } = spawnCli(['--seed', 'lots']);
    url.catch(() => {});
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /--seed must be demo or empty/);
  });
});
