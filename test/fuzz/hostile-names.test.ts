/**
 * Control and bidi characters in every name and description the emulator lets a user set (instances, images,
 * key pairs, file systems, permission groups, migration jobs), then every listing, detail and plan the terminal
 * shows of them, as tables and as JSON: each answers, with nothing a terminal would act on and no stack trace.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../packages/cli/src/main.ts';
import { captureIo } from '../../packages/cli/test/io.ts';
import { createClient, type TceClient } from '../../packages/core/src/api/client.ts';
import { ApiError, InputError } from '../../packages/core/src/api/errors.ts';
import { ACTIVE, prng } from '../../packages/core/test/fuzz.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../../packages/emulator/src/index.ts';
import { terminalEnv } from '../support/terminal-env.ts';

const PIECES = [
  '\x1b[2K',
  '\r',
  '\x1b]0;owned\x07',
  '\x1b[32m',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u2028',
  '\x9b31m',
  '\x7f',
  '\x00',
  '\n',
  '\t',
  '\ufeff',
  'RUNNING',
  'dev-1',
  '中文',
  '😀',
  ' ',
  'ins-00000001',
];

function hostile(random: () => number, max: number): string {
  let text = '';
  while (text.length < max) {
    const piece = PIECES[Math.floor(random() * PIECES.length)]!;
    if (text.length + piece.length > max) break;
    text += piece;
    if (random() < 0.15) break;
  }
  return text || '\x1b[2J';
}

type Row = Record<string, unknown>;
const first = async (client: TceClient, service: string, action: string, key: string, params: Row = {}) =>
  ((await client.call(service, action, params, { region: 'ap-guangzhou' }))[key] as Row[] | undefined)?.[0];

describe('fuzz: hostile names through every field a user can set, shown on the terminal', function () {
  this.timeout(300_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let client: TceClient;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    // The documented rate limits stay on: each command is a new client that paces only itself, as separate
    // terminal commands are, so some meet a full window and must get through by retrying (api/retry.ts).
    emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: 0.02, keepRequests: 10_000 });
    client = createClient({ endpoint: emulator.url, region: 'ap-guangzhou', credentials: DEMO_CREDENTIALS, env: {} });
    const home = mkdtempSync(join(tmpdir(), 'tceops-fuzz-names-'));
    env = terminalEnv(emulator.url, home);
  });
  after(async () => {
    client.close();
    await emulator.stop();
  });

  it('12 rounds of hostile text in every settable field; every command answers inert', async () => {
    const random = prng(31337);
    const instance = await first(client, 'cvm', 'DescribeInstances', 'InstanceSet', { Limit: 1 });
    const image = await first(client, 'cvm', 'DescribeImages', 'ImageSet', {
      Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE'] }],
    });
    const keyPair = await first(client, 'cvm', 'DescribeKeyPairs', 'KeyPairSet');
    const fileSystem = await first(client, 'cfs', 'DescribeCfsFileSystems', 'FileSystems');
    const pgroup = await first(client, 'cfs', 'DescribeCfsPGroups', 'PGroupList');
    const job = await first(client, 'csm', 'DescribeMigrationJobs', 'MigrationJobSet');
    const insId = String(instance!.InstanceId);
    const fsId = fileSystem ? String(fileSystem.FileSystemId) : undefined;

    // What a user can set, and its documented length.
    const setters: [string, string, (s: (max: number) => string) => Row | undefined][] = [
      ['cvm', 'ModifyInstancesAttribute', (s) => ({ InstanceIds: [insId], InstanceName: s(60) })],
      [
        'cvm',
        'ModifyImageAttribute',
        (s) => image && { ImageId: image.ImageId, ImageName: s(20), ImageDescription: s(60) },
      ],
      ['cvm', 'ModifyKeyPairAttribute', (s) => keyPair && { KeyId: keyPair.KeyId, KeyName: s(25), Description: s(60) }],
      ['cfs', 'UpdateCfsFileSystemName', (s) => (fsId ? { FileSystemId: fsId, FsName: s(64) } : undefined)],
      ['cfs', 'UpdateCfsPGroup', (s) => pgroup && { PGroupId: pgroup.PGroupId, Name: s(64), DescInfo: s(255) }],
      ['csm', 'ModifyMigrationJob', (s) => job && { JobId: job.JobId, Name: s(128), Description: s(256) }],
    ];
    const commands = [
      ['cvm', 'instances', '--limit', '100'],
      ['cvm', 'show', insId],
      ['cvm', 'images'],
      ['cvm', 'keypairs'],
      ['cfs', 'filesystems'],
      ...(fsId ? [['cfs', 'show', fsId]] : []),
      ['cfs', 'pgroups'],
      ['csm', 'jobs'],
      ['cvm', 'stop', insId, '--dry-run'],
      ['cvm', 'terminate', insId, '--dry-run'],
    ];
    let set = 0;
    let refusedByApi = 0;
    let runs = 0;
    let worst = 0;
    let escaped = 0;
    for (let round = 0; round < 12; round++) {
      for (const [service, action, params] of setters) {
        const p = params((max) => hostile(random, max));
        if (!p) continue;
        try {
          await client.call(service, action, p, { region: 'ap-guangzhou' });
          set++;
        } catch (error) {
          // The emulator may refuse a value as TCE would (a length, a character class): an answer, not a crash;
          // where the docs state the rule, the client refuses it before sending (catalog/rules.ts).
          if (!(error instanceof ApiError) && !(error instanceof InputError)) throw error;
          // A rate limit says nothing of the value: the client's retries must have got through.
          if (error instanceof ApiError && error.code.startsWith('RequestLimitExceeded')) throw error;
          refusedByApi++;
        }
      }
      for (const command of commands) {
        for (const format of ['table', 'json']) {
          const args = format === 'json' ? [...command, '--output', 'json'] : command;
          const io = captureIo();
          const started = performance.now();
          const code = await main(args, {
            io,
            env,
            prompter: { interactive: false, ask: async () => '', askSecret: async () => '' },
          });
          worst = Math.max(worst, performance.now() - started);
          runs++;
          const out = io.stdout + io.stderr;
          if (/\\e\[|\\u\{?202e|\\x9b/.test(out)) escaped++;
          const where = `round ${round}, ${args.join(' ')}`;
          assert.equal(code, 0, `${where}: ${out}`);
          assert.doesNotMatch(out, ACTIVE, `${where}: ${JSON.stringify(out.match(ACTIVE))}`);
          assert.doesNotMatch(out, /\n\s+at [\w.<]+ \(|Unexpected error|Internal error/, where);
          if (format === 'json' && !args.includes('--dry-run')) JSON.parse(io.stdout);
        }
      }
    }
    const limited = emulator.requests().filter((r) => r.code.startsWith('RequestLimitExceeded')).length;
    console.log(
      `      hostile names: ${set} fields set (${refusedByApi} refused by the API), ${runs} commands shown (${escaped} showing escapes), worst ${worst.toFixed(0)} ms, ${limited} rate-limit refusals retried`,
    );
    assert.ok(set >= 24, `${set} fields set`);
    assert.ok(escaped > runs / 5, `the hostile text was shown, escaped, in ${escaped} of ${runs} outputs`);
  });
});
