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
import { createPersister, loadState } from '../src/persistence.ts';
import { emptyState } from '../src/state.ts';
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

  it('a change at 10,000 instances appends kilobytes to the journal; the snapshot is left alone', async function () {
    this.timeout(60_000);
    const file = join(dir, 'big.json');
    const emulator = await startEmulator({
      stateFile: file,
      seed: 'empty',
      syntheticInstances: 10_000,
      syntheticRegions: ['ap-guangzhou'],
      rateLimits: false,
      timeScale: 0,
    });
    try {
      const snapshot = readFileSync(file, 'utf8');
      assert.ok(snapshot.length > 5_000_000, `the snapshot holds every instance (${snapshot.length} bytes)`);
      const id = Object.keys(emulator.state.cvm.instances)[4321]!;
      const answer = await tc3Request(emulator.url, 'cvm', 'ModifyInstancesAttribute', {
        InstanceIds: [id],
        InstanceName: 'renamed-4321',
      });
      assert.equal(errorCode(answer), undefined);
      await emulator.flush();
      const journal = readFileSync(`${file}.journal`, 'utf8');
      assert.ok(journal.length > 0 && journal.length < 16_384, `the journal holds ${journal.length} bytes`);
      assert.match(journal, /renamed-4321/);
      assert.equal(readFileSync(file, 'utf8'), snapshot, 'the snapshot is not rewritten');
      const restored = await loadState(file);
      assert.equal(restored!.cvm.instances[id]!.item.InstanceName, 'renamed-4321');
      assert.equal(Object.keys(restored!.cvm.instances).length, 10_000);
    } finally {
      await emulator.stop();
    }
    assert.deepEqual(readdirSync(dir), ['big.json'], 'a clean stop folds the journal into the snapshot');
    assert.match(readFileSync(file, 'utf8'), /renamed-4321/);
  });

  it('a torn last journal line is ignored; a journal from an interrupted compaction is ignored whole', async () => {
    const file = join(dir, 'torn.json');
    const first = await startEmulator({ stateFile: file, seed: 'empty', rateLimits: false, timeScale: 0 });
    await tc3Request(first.url, 'cvm', 'CreateKeyPair', { KeyName: 'kept', ProjectId: 0 });
    await first.flush();
    await tc3Request(first.url, 'cvm', 'CreateKeyPair', { KeyName: 'torn', ProjectId: 0 });
    await first.flush();
    const lines = readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    // What a kill in the middle of the second write leaves: the first line whole, the second cut short.
    const killed = join(dir, 'killed.json');
    writeFileSync(killed, readFileSync(file));
    writeFileSync(`${killed}.journal`, `${lines[0]}\n${lines[1]!.slice(0, 40)}`);
    await first.stop();
    const names = async () => Object.values((await loadState(killed))!.cvm.keyPairs).map((k) => k.item.KeyName);
    assert.deepEqual(await names(), ['kept']);

    // The emulator starts from it, and its next write lands after the last whole line.
    const second = await startEmulator({ stateFile: killed, rateLimits: false, timeScale: 0 });
    await tc3Request(second.url, 'cvm', 'CreateKeyPair', { KeyName: 'after', ProjectId: 0 });
    await second.flush();
    assert.deepEqual((await names()).sort(), ['after', 'kept']);

    // A journal that names another snapshot (the kill came between a new snapshot and a new journal) is not replayed.
    const snapshot = JSON.parse(readFileSync(killed, 'utf8'));
    writeFileSync(`${killed}.journal`, readFileSync(`${killed}.journal`, 'utf8').replaceAll(snapshot.journal, 'other'));
    assert.deepEqual(await names(), []);
    await second.stop();
  });

  it('replaces the journal with a new snapshot once it grows as large as the snapshot', async () => {
    const file = join(dir, 'compact.json');
    const state = emptyState();
    const persister = createPersister(file, () => state, 0, 0);
    persister.changed();
    await persister.flush();
    const snapshots = new Set([readFileSync(file, 'utf8')]);
    for (let i = 0; i < 40; i++) {
      state.counter = i;
      state.cvm.clientTokens[`token-${i}`] = [`ins-${String(i).padStart(8, '0')}`];
      persister.changed();
      await persister.flush();
      snapshots.add(readFileSync(file, 'utf8'));
      const journal = existsSync(`${file}.journal`) ? readFileSync(`${file}.journal`, 'utf8').length : 0;
      assert.ok(journal <= readFileSync(file, 'utf8').length, `journal ${journal} bytes after change ${i}`);
      assert.deepEqual(await loadState(file), state);
    }
    assert.ok(snapshots.size > 2, `the snapshot was rewritten ${snapshots.size - 1} times`);
    delete state.cvm.clientTokens['token-3'];
    persister.changed();
    await persister.flush();
    assert.deepEqual(await loadState(file), state, 'a removed record is removed on replay');
    await persister.flush({ compact: true });
    assert.deepEqual(readdirSync(dir), ['compact.json']);
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
