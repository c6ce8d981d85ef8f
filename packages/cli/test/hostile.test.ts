/**
 * The terminal against hostile names and patterns. What reaches it is inert: a name renamed through the API into
 * a control sequence is shown, not obeyed — in the table, in the plan asked about before a confirmation, and in
 * the JSON for scripts. A pathological --name pattern answers at once. A closed pipe does not crash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, inert } from '@tceops/core';
import { DEMO_CREDENTIALS, startEmulator } from '@tceops/emulator';
import { main } from '../src/main.ts';
import type { Prompter } from '../src/prompt.ts';
import { json, responseTable } from '../src/output.ts';
import { planText } from '../src/render.ts';
import { captureIo } from './io.ts';
import { terminalEnv } from '../../../test/support/terminal-env.ts';

const EVIL = 'evil\x1b[2K\r\x1b[32mRUNNING  dev-1\x1b[0m';
const SHOWN = 'evil\\e[2K\\r\\e[32mRUNNING  dev-1\\e[0m';
// Anything a terminal would act on: C0 but newline, DEL, C1, bidi and zero-width format characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what the test looks for
const ACTIVE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

describe('cli against hostile names and patterns', function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let env: NodeJS.ProcessEnv;
  let id: string;
  let other: string;

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: 0.02 });
    const home = mkdtempSync(join(tmpdir(), 'tceops-render-'));
    env = terminalEnv(emulator.url, home);
    const client = createClient({
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: DEMO_CREDENTIALS,
      env: {},
    });
    const listed = await client.call<{
      InstanceSet: { InstanceId: string; Tags?: { Key: string; Value: string }[] }[];
    }>('cvm', 'DescribeInstances', { Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }], Limit: 100 });
    // One outside production, so that stopping it asks for a confirmation rather than an approval.
    const outside = listed.InstanceSet.filter((i) => !(i.Tags ?? []).some((t) => t.Value === 'production'));
    id = outside[0]!.InstanceId;
    other = outside[1]!.InstanceId;
    await client.call('cvm', 'ModifyInstancesAttribute', { InstanceIds: [id], InstanceName: EVIL });
    client.close();
  });
  after(() => emulator.stop());

  async function run(args: string[], prompter?: Prompter) {
    const io = captureIo();
    const code = await main(args, {
      io,
      env,
      prompter: prompter ?? { interactive: false, ask: async () => '', askSecret: async () => '' },
    });
    return { code, ...io };
  }

  it('the instance table shows the renamed instance with its escapes written out', async () => {
    const { code, stdout, stderr } = await run(['cvm', 'instances', '--limit', '100']);
    assert.equal(code, 0, stderr);
    assert.ok(stdout.includes(SHOWN), stdout);
    assert.doesNotMatch(stdout, ACTIVE);
  });

  it('the plan shown before a confirmation reads as what will run, and nothing runs on "no"', async () => {
    const questions: string[] = [];
    const prompter: Prompter = {
      interactive: true,
      ask: async (question) => {
        questions.push(question);
        return 'n';
      },
      askSecret: async () => '',
    };
    const { code, stderr, stdout } = await run(['cvm', 'stop', id], prompter);
    assert.equal(code, 1, `${stderr}|${stdout}`);
    assert.equal(questions.length, 1, stderr + stdout);
    assert.ok(stderr.includes(`Stop 1 instance in ap-guangzhou: ${SHOWN} (${id}, RUNNING`), stderr);
    assert.doesNotMatch(stderr + stdout + questions.join(''), ACTIVE);
  });

  it('JSON keeps the exact name, escaped so that no viewer acts on it', async () => {
    const { stdout } = await run(['cvm', 'instances', '--limit', '100', '--output', 'json']);
    assert.doesNotMatch(stdout, ACTIVE);
    const view = JSON.parse(stdout) as { rows: { name: string }[] };
    assert.ok(view.rows.some((r) => r.name === EVIL));
  });

  it('the answer to a raw call is inert, its keys as much as its values', () => {
    const response = { InstanceSet: [{ InstanceName: EVIL, [`k${EVIL}`]: 1 }], Note: EVIL, RequestId: 'r' };
    const text = responseTable(response);
    assert.ok(text.includes(SHOWN), text);
    assert.doesNotMatch(text + json(response), ACTIVE);
    assert.deepEqual(JSON.parse(json(response)), response);
  });

  it('a pathological --name pattern against a long name answers in well under a second', async () => {
    const client = createClient({
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: DEMO_CREDENTIALS,
      env: {},
    });
    await client.call('cvm', 'ModifyInstancesAttribute', { InstanceIds: [other], InstanceName: 'a'.repeat(60) });
    client.close();
    for (const pattern of [`${'*?'.repeat(16)}!`, `${'*a'.repeat(8)}*b`, `${'*a'.repeat(29)}*b`]) {
      const started = performance.now();
      const { code, stdout, stderr } = await run(['cvm', 'instances', '--name', pattern]);
      const ms = performance.now() - started;
      assert.equal(code, 0, stderr);
      assert.match(stdout, /\(none\)/);
      assert.ok(ms < 1000, `${pattern} took ${ms.toFixed(0)} ms`);
    }
    const { stdout } = await run(['cvm', 'instances', '--name', `${'*a'.repeat(29)}*`]);
    assert.ok(stdout.includes('a'.repeat(60)), 'the same kind of pattern still finds what it should');
  });

  it('a damaged store is refused naming the line, with exit 2 and no stack trace; what needs no damaged part works', async () => {
    const store = join(env.HOME!, 'damaged-store');
    const local = { ...env, TCEOPS_STORE: `file:${store}` };
    const runIn = async (args: string[], answer = '') => {
      const io = captureIo();
      const prompter = { interactive: answer !== '', ask: async () => answer, askSecret: async () => '' };
      const code = await main(args, { io, env: local, prompter });
      return { code, ...io };
    };
    // An approval to damage, then a null line in kv.jsonl and an approval whose plan is null.
    const queued = await runIn(['cvm', 'terminate', other, '--yes']);
    assert.equal(queued.code, 0, queued.stderr);
    const approval = JSON.parse(readFileSync(join(store, 'approvals.jsonl'), 'utf8').trim().split('\n')[0]!);
    appendFileSync(join(store, 'kv.jsonl'), 'null\n');
    appendFileSync(
      join(store, 'approvals.jsonl'),
      `${JSON.stringify({ ...approval, id: 'apr-damaged1', plan: null })}\n`,
    );

    const listing = await runIn(['cvm', 'instances']);
    assert.equal(listing.code, 0, listing.stderr);
    // A confirmation asked on the terminal is kept in the damaged kv file until answered: refused.
    const stop = await runIn(['cvm', 'stop', id], 'y');
    const approvals = await runIn(['approvals', '--state', 'all']);
    const show = await runIn(['approve', 'apr-damaged1']);
    for (const [result, where] of [
      [stop, /kv\.jsonl:\d+: not a key and value record/],
      [approvals, /approvals\.jsonl:2: approval apr-damaged1 has no plan/],
      [show, /approvals\.jsonl:2: approval apr-damaged1 has no plan/],
    ] as const) {
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, where);
      assert.match(result.stderr, /Repair or remove that record/);
      assert.doesNotMatch(result.stderr, /TypeError|\n\s+at /);
    }
  });

  it('plan fields from anywhere are single lines: a newline in a name cannot forge a line', () => {
    const text = planText({
      summary: 'Stop 1 instance in r: x\n  action: cvm:DescribeInstances   risk: read',
      service: 'cvm',
      action: 'StopInstances',
      risk: 'sensitive',
      region: 'r\u202e',
      targets: [{ id: 'ins-1', name: 'a\nb\u202ec', state: 'RUNNING', tags: { 'k\x1b': 'v\x07' } }],
      hash: 'abcdef0123456789',
    } as never);
    assert.equal(text.split('\n').length, 5, text);
    assert.doesNotMatch(text, ACTIVE);
    assert.match(text, /r\\u\{202e\}/);
  });

  it('a closed pipe (tceops … | head -1) ends the command quietly, with its own exit code', () => {
    const bin = join(import.meta.dirname, '..', 'src', 'bin.ts');
    const result = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" --import tsx "${bin}" help | true; echo "rc=\${PIPESTATUS[0]}" >&2`],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        cwd: join(import.meta.dirname, '..', '..', '..'),
      },
    );
    assert.match(result.stderr, /rc=0/);
    assert.doesNotMatch(result.stderr, /EPIPE|Error/);
  });

  it('inert leaves plain text alone, and writes out what it changes', () => {
    assert.equal(inert('web-1 (ins-1, RUNNING) 中文 😀'), 'web-1 (ins-1, RUNNING) 中文 😀');
    assert.equal(inert('a\tb\nc'), 'a\\tb\\nc');
    assert.equal(inert('a\tb\nc', { multiline: true }), 'a\tb\nc');
    assert.equal(
      inert('\x00\x07\x7f\x9b\u202e\u2066\u200b\ufeff'),
      '\\x00\\x07\\x7f\\x9b\\u{202e}\\u{2066}\\u{200b}\\u{feff}',
    );
  });
});
