/**
 * Identity in Slack decides by user ID, never by user_name or display names: a user who calls themselves
 * "alice" is not alice, and "ubob" cannot cancel UBOB's request. On the real pipeline, a policy whose approvers
 * are listed by Slack user ID, and the emulator.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinPolicy, checkPolicy, createClient, createEngine, openStore, type Store } from '@tceops/core';
import { DEMO_CREDENTIALS } from '@tceops/emulator';
import { ACTION } from '../../packages/slack/src/blocks/ids.ts';
import { elements, type Harness, SECRET, startHarness, textOf } from './harness.ts';
import { blockAction, form, interaction, postSigned } from './requests.ts';
import { eventually, startEmulator } from './real-pipeline.ts';

const POLICY = `roles:
  sre: [UALICE, S0SRE]
rules:
  - match: { risk: destructive }
    approve: { count: 1, approvers: sre, ttl: 30m }
`;

describe('Slack identity: IDs decide, names are only shown', function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let h: Harness;
  let store: Store;
  let dir: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'tceops-slack-identity-'));
    const { policy } = checkPolicy(POLICY, 'policy.yaml');
    assert.ok(policy);
    const client = createClient({
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'test' },
    });
    store = await openStore(`file:${dir}`);
    const engine = createEngine({ client, store, policy: policy ?? builtinPolicy(), expireEveryMs: 0, wait: false });
    h = await startHarness(engine, { kv: store });
    close = async () => {
      await h.close();
      await engine.close();
      await store.close();
      client.close();
    };
  });
  afterEach(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
    await emulator.stop();
  });

  /** A slash command exactly as Slack sends it, with the user_name the sender chose. */
  async function command(text: string, user: string, userName: string) {
    const responseUrl = h.standin.responseUrl();
    await postSigned(
      `${h.url}/slack/events`,
      SECRET,
      form({
        command: '/tce',
        text,
        user_id: user,
        user_name: userName,
        channel_id: 'C0OPS',
        team_id: 'T0001',
        response_url: responseUrl,
        trigger_id: 'trig-1',
      }),
    );
    return responseUrl;
  }

  /** A click, with the username and display name the clicker chose. */
  async function click(
    actionId: string,
    value: string,
    user: string,
    userName: string,
    messageTs: string,
    wait = true,
  ) {
    const responseUrl = h.standin.responseUrl();
    const payload = blockAction(actionId, value, { user, channel: 'C0OPS' }, { responseUrl, messageTs }) as {
      user: Record<string, string>;
    };
    payload.user = { id: user, username: userName, name: userName, team_id: 'T0001' };
    await postSigned(`${h.url}/slack/events`, SECRET, interaction(payload));
    if (!wait) return {};
    return h.standin.waitFor(() => h.responses(responseUrl).at(-1), 15_000, `the answer to ${user}'s click`) as Promise<
      Record<string, unknown>
    >;
  }

  async function requestTerminate(user: string, userName: string) {
    const client = createClient({
      endpoint: emulator.url,
      region: 'ap-guangzhou',
      credentials: { ...DEMO_CREDENTIALS, source: 'test' },
    });
    const response = (await client.call('cvm', 'DescribeInstances', { Limit: 100 })) as {
      InstanceSet: { InstanceId: string; InstanceState: string; Tags?: { Key: string; Value: string }[] }[];
    };
    client.close();
    const target = response.InstanceSet.find(
      (i) => i.InstanceState === 'STOPPED' && !(i.Tags ?? []).some((t) => /prod/i.test(`${t.Key}=${t.Value}`)),
    )!;
    await command(`cvm terminate ${target.InstanceId}`, user, userName);
    const request = await h.standin.waitFor(
      () => [...h.standin.messages.values()].find((m) => /Approval needed/.test(m.text ?? '')),
      15_000,
      'the approval request',
    );
    const id = String(elements(request.blocks, ACTION.approve)[0]!.value);
    return { id, ts: request.ts as string, target: target.InstanceId };
  }

  it('a user whose user_name is an approver’s ID, or "alice", is not that approver', async () => {
    const { id, ts } = await requestTerminate('UBOB', 'bob');
    for (const spoofName of ['UALICE', 'alice', 'ualice']) {
      const answer = await click(ACTION.approve, id, 'UMALLORY', spoofName, ts);
      assert.match(textOf(answer.blocks), /only sre may decide/, spoofName);
    }
    assert.equal((await store.getApproval(id))?.state, 'pending');
    // The real approver, whatever name they show, approves by their ID; the request runs once.
    await click(ACTION.approve, id, 'UALICE', 'someone-else', ts, false);
    await eventually(async () => (await store.getApproval(id))?.state === 'succeeded', 'the approved run');
  });

  it('"ubob" cannot cancel UBOB’s request, and UBOB named "alice" cannot approve his own', async () => {
    const { id, ts } = await requestTerminate('UBOB', 'bob');
    const cancel = await click(ACTION.cancelApproval, id, 'UMALLORY', 'ubob', ts);
    assert.match(textOf(cancel.blocks), /only the requester/);
    const own = await click(ACTION.approve, id, 'UBOB', 'UALICE', ts);
    assert.match(textOf(own.blocks), /you asked for it|only sre/);
    assert.equal((await store.getApproval(id))?.state, 'pending');
  });
});
