/**
 * Server mode end to end: the bot (Slack app on the real pipeline and the emulator) is the server; the terminal
 * has no cloud keys. Sign in by code typed in Slack; list instances and ask to terminate one through the server;
 * the approval request posted in Slack names the Slack user; their own click is refused; another user's approves
 * and it runs once. --as is refused; after logout the token is dead.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudit, type Store } from '@tceops/core';
import { runLogin } from '../../packages/cli/src/commands/login.ts';
import { main } from '../../packages/cli/src/main.ts';
import type { Prompter } from '../../packages/cli/src/prompt.ts';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { captureIo } from '../../packages/cli/test/io.ts';
import { elements, type Harness, textOf } from '../slack/harness.ts';
import { eventually } from '../slack/real-pipeline.ts';
import { APPROVALS_CHANNEL, type ServerFixture, startServerFixture } from './fixture.ts';

const ALICE = { user: 'UALICE', channel: 'C0OPS' };
const BOB = { user: 'UBOB', channel: 'C0OPS' };
const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

describe('server mode: sign in through Slack, commands from the terminal', function () {
  this.timeout(90_000);
  let server: ServerFixture;
  let h: Harness;
  let store: Store;
  let dir: string;
  let home: string;

  before(async () => {
    server = await startServerFixture();
    ({ h, store, dir } = server);
    home = mkdtempSync(join(tmpdir(), 'tceops-terminal-'));
  });
  after(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** The terminal: no cloud keys, no store, only HOME (where the sign-in is kept). */
  const terminal = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    HOME: home,
    PATH: process.env.PATH,
    ...extra,
  });
  async function tceops(args: string[], env = terminal()) {
    const io = captureIo();
    const code = await main(args, { io, env, prompter: noTerminal });
    return { code, ...io };
  }

  it('signs in by a code typed in Slack, keeps the token 0600, and runs commands on the server as that user', async () => {
    const io = captureIo();
    const login = runLogin(['--server', h.url], io, terminal(), { pollMs: 50, timeoutMs: 20_000 });
    const line = await h.standin.waitFor(
      () => io.stdout.match(/In Slack, type: \/tce login ([A-Z0-9]{4}-[A-Z0-9]{4})/),
      10_000,
      'the code',
    );
    const { responseUrl } = await h.command(`login ${line[1]}`, ALICE);
    const answer = await h.standin.waitFor(() => h.responses(responseUrl).at(-1), 10_000, 'the answer');
    assert.equal(answer.response_type, 'ephemeral');
    assert.match(textOf(answer.blocks), /Signed in .* as <@UALICE>/);
    assert.equal(await login, 0, io.stderr);
    const file = join(home, '.tceops', 'credentials');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.user.id, 'UALICE');
    assert.ok(
      !readFileSync(join(dir, 'kv.jsonl'), 'utf8').includes(saved.token),
      'the server keeps only a hash of the token',
    );

    // The code is single-use: typing it again (even by someone else) signs nobody in.
    const again = await h.command(`login ${line[1]}`, BOB);
    const refused = await h.standin.waitFor(() => h.responses(again.responseUrl).at(-1), 10_000, 'the refusal');
    assert.match(textOf(refused.blocks), /unknown, expired or used already/);

    // In Slack: Alice lists her sign-ins; Bob cannot revoke hers by its ID.
    const tokens = await h.command('tokens', ALICE);
    const listing = await h.standin.waitFor(() => h.responses(tokens.responseUrl).at(-1), 10_000, 'the tokens');
    assert.match(textOf(listing.blocks), new RegExp(`${saved.tokenId}.*tceops on`));
    const steal = await h.command(`logout ${saved.tokenId}`, BOB);
    const stolen = await h.standin.waitFor(() => h.responses(steal.responseUrl).at(-1), 10_000, 'the refusal');
    assert.match(textOf(stolen.blocks), /You have no sign-in/);
    const sessionsAudit = (await readAudit(store)).filter((r) => r.kind === 'session');
    assert.deepEqual(
      sessionsAudit.map((r) => [r.actor, r.event]),
      [
        ['UALICE', 'login'],
        ['UALICE', 'token'],
      ],
    );
    assert.ok(!JSON.stringify(sessionsAudit).includes(saved.token), 'never the token itself');

    const who = await tceops(['whoami']);
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, new RegExp(`as name-UALICE \\(UALICE, team T0001\\); token ${saved.tokenId} expires`));

    const list = await tceops(['cvm', 'instances', '--output', 'json']);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stderr, /embedded TCE emulator/);
    assert.ok(JSON.parse(list.stdout).rows.length > 0);
  });

  it('terminate from the terminal: the request in Slack names the Slack user; their click is refused; another’s runs it once', async () => {
    const listed = JSON.parse(
      (await tceops(['cvm', 'instances', '--state', 'STOPPED', '--output', 'json'])).stdout,
    ) as {
      rows: { id: string }[];
      items: { Tags?: { Key: string; Value: string }[] }[];
    };
    const index = listed.items.findIndex((i) => !(i.Tags ?? []).some((t) => /prod/i.test(`${t.Key}=${t.Value}`)));
    const target = listed.rows[index]!.id;
    const queued = await tceops(['cvm', 'terminate', target, '--yes']);
    assert.equal(queued.code, 0, queued.stderr);
    const id = /Approval (apr-[a-z0-9]+)/.exec(queued.stdout)![1]!;

    const request = await h.standin.waitFor(
      () =>
        [...h.standin.messages.values()].find(
          (m) => m.channel === APPROVALS_CHANNEL && /Approval needed/.test(m.text ?? ''),
        ),
      15_000,
      'the approval request in the approvals channel',
    );
    assert.match(textOf(request.blocks), /Requested by <@UALICE>/);
    assert.equal(String(elements(request.blocks, ACTION.approve)[0]!.value), id);

    // Alice, from the terminal or from Slack, cannot approve her own request.
    const own = await tceops(['approve', id]);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /someone else must approve/);
    const click = await h.click(ACTION.approve, id, ALICE, { messageTs: request.ts });
    const refusal = await h.standin.waitFor(() => h.responses(click.responseUrl).at(-1), 10_000, 'the refusal');
    assert.match(textOf(refusal.blocks), /you asked for it/);

    await h.click(ACTION.approve, id, BOB, { messageTs: request.ts });
    await eventually(async () => (await store.getApproval(id))?.state === 'succeeded', 'the approved run');
    const record = (await store.getApproval(id))!;
    const runs = (await readAudit(store)).filter((r) => r.kind === 'execution' && r.planHash === record.plan.hash);
    assert.equal(runs.length, 1, 'it ran once');
    assert.equal(await server.emulatorCalls('TerminateInstances'), 1, 'the cloud was asked once');
    assert.deepEqual(
      record.approvals.map((a) => a.by),
      ['UBOB'],
    );
  });

  it('refuses --as in server mode (exit 2), and a revoked, unknown or expired token gets the same 401 message', async () => {
    const spoof = await tceops(['approvals', '--as', 'UBOB']);
    assert.equal(spoof.code, 2);
    assert.match(spoof.stderr, /refused in server mode/);
    const saved = JSON.parse(readFileSync(join(home, '.tceops', 'credentials'), 'utf8'));
    const unknown = await tceops(
      ['approvals'],
      terminal({ TCEOPS_SERVER: h.url, TCEOPS_TOKEN: 'tceops_not-a-real-token-at-all-0000000000' }),
    );
    assert.equal(unknown.code, 1);
    const out = await tceops(['logout']);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(!existsSync(join(home, '.tceops', 'credentials')));
    const revoked = await tceops(['approvals'], terminal({ TCEOPS_SERVER: h.url, TCEOPS_TOKEN: saved.token }));
    assert.equal(revoked.code, 1);
    assert.equal(revoked.stderr, unknown.stderr, 'revoked and unknown tokens are told apart by nothing');
    assert.match(revoked.stderr, /sign in again with "tceops login --server URL"/);
    const raw = await fetch(`${h.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${saved.token}` } });
    assert.equal(raw.status, 401);
    const who = await tceops(['whoami'], terminal({ TCEOPS_SERVER: h.url, TCEOPS_TOKEN: saved.token }));
    assert.equal(who.code, 1);
    assert.equal(who.stderr, unknown.stderr);
  });
});
