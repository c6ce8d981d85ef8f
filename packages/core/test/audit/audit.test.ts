import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, recordHash, seal } from '../../src/audit/chain.ts';
import { decisionEntry, directRunEntries } from '../../src/audit/entries.ts';
import { appendAudit, formatVerification, readAudit, verifyAudit } from '../../src/audit/log.ts';
import { evaluatePolicy } from '../../src/policy/evaluate.ts';
import { builtinPolicy } from '../../src/policy/load.ts';
import { FileStore } from '../../src/store/file.ts';
import { cvmPlan, instance } from '../plan/fixtures.ts';

describe('audit', () => {
  let dir: string;
  let store: FileStore;
  const file = () => join(dir, 'audit.jsonl');
  const lines = () => readFileSync(file(), 'utf8').trim().split('\n');
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-audit-'));
    store = await FileStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals: seq from the head, prev = the head hash (zeros first), hash over everything else', () => {
    const t = new Date('2026-05-01T10:00:00Z');
    const first = seal({ kind: 'decision', actor: 'alice' }, undefined, t);
    assert.equal(first.seq, 1);
    assert.equal(first.prev, GENESIS_HASH);
    assert.equal(first.hash, recordHash(first));
    const second = seal({ kind: 'decision', actor: 'bob' }, { seq: 1, hash: first.hash }, t);
    assert.equal(second.prev, first.hash);
    assert.notEqual(recordHash({ ...second, actor: 'mallory' }), second.hash);
  });

  it('records policy decisions and direct runs with the plan hash, actor, surface and RequestIds', async () => {
    const plan = cvmPlan('Stop', [instance('ins-00000001')]);
    const context = { actor: { id: 'U0ALICE', name: 'alice' }, surface: 'slack' as const, channel: 'C0OPS' };
    const decision = evaluatePolicy(builtinPolicy(), plan, context);
    await appendAudit(store, decisionEntry(plan, decision, context));
    for (const entry of directRunEntries(plan, context, { ok: true, requestIds: ['req-9'] }))
      await appendAudit(store, entry);
    const records = await readAudit(store);
    assert.deepEqual(
      records.map((r) => [r.kind, r.result, r.actor, r.surface, r.planHash === plan.hash]),
      [
        ['decision', 'confirm-click', 'U0ALICE', 'slack', true],
        ['execution', 'executing', 'U0ALICE', 'slack', true],
        ['result', 'ok', 'U0ALICE', 'slack', true],
      ],
    );
    assert.deepEqual(records[2]!.requestIds, ['req-9']);
    assert.equal(records[0]!.data?.rule, 'sensitive');
    assert.deepEqual(
      (await readAudit(store, { kind: 'result' })).map((r) => r.seq),
      [3],
    );
    assert.deepEqual(
      (await readAudit(store, { limit: 2 })).map((r) => r.seq),
      [2, 3],
    );
  });

  it('never stores a secret that slipped into a message', async () => {
    await appendAudit(store, {
      kind: 'result',
      actor: 'alice',
      detail: 'reset failed: Password=Sup3rS3cret! rejected',
      data: { note: 'token: xoxb-1234-abcd' },
    });
    const text = readFileSync(file(), 'utf8');
    assert.ok(!text.includes('Sup3rS3cret'), text);
    assert.ok(!text.includes('xoxb-1234'), text);
    assert.equal((await verifyAudit(store)).ok, true);
  });

  it('refuses an unknown kind or a missing actor', async () => {
    await assert.rejects(appendAudit(store, { kind: 'oops' as never, actor: 'a' }), /unknown audit kind "oops"/);
    await assert.rejects(appendAudit(store, { kind: 'decision', actor: '' }), /needs an actor/);
  });

  it('a record edited with its hash recomputed still shows: the next one no longer follows it', async () => {
    for (let i = 0; i < 4; i++) await appendAudit(store, { kind: 'approval', actor: `u${i}`, event: 'approve' });
    const all = lines();
    const forged = { ...JSON.parse(all[1]!), actor: 'mallory' };
    forged.hash = recordHash(forged);
    all[1] = JSON.stringify(forged);
    writeFileSync(file(), `${all.join('\n')}\n`);
    const result = await verifyAudit(store);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.problems.map((p) => [p.seq, p.message]),
      [[3, 'record 3 does not follow record 2: record 2 was replaced or rewritten']],
    );
    assert.match(
      formatVerification(result),
      /^audit log FAILED verification \(1 problem\):\n {2}.*audit\.jsonl:3: record 3 does not follow/,
    );
  });

  it('a line that is no longer JSON is reported at its place', async () => {
    for (let i = 0; i < 3; i++) await appendAudit(store, { kind: 'decision', actor: `u${i}` });
    const all = lines();
    all[1] = all[1]!.slice(0, 20);
    writeFileSync(file(), `${all.join('\n')}\n`);
    const result = await verifyAudit(store);
    assert.equal(result.ok, false);
    assert.equal(result.problems[0]!.seq, 2);
    assert.match(result.problems[0]!.message, /record 2 \(by its place\) is not a readable audit record/);
  });

  it('an intact log verifies and reports its head', async () => {
    for (let i = 0; i < 3; i++) await appendAudit(store, { kind: 'decision', actor: `u${i}` });
    const result = await verifyAudit(store);
    assert.equal(result.ok, true);
    assert.equal(result.head?.seq, 3);
    assert.match(formatVerification(result), /^audit log OK: 3 records, head 3 [0-9a-f]{64}$/);
    const empty = await FileStore.open(join(dir, 'empty'));
    assert.deepEqual(await verifyAudit(empty), { ok: true, records: 0, problems: [] });
    await empty.close();
  });
});
