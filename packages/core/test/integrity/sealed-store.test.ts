/** Records that cannot be quietly rewritten: sealed approvals, audit records and values; audit verify's report. */
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefusedError } from '../../src/api/errors.ts';
import { approveRequest, requestApproval } from '../../src/approvals/service.ts';
import { recordHash } from '../../src/audit/chain.ts';
import { appendAudit, verifyAudit } from '../../src/audit/log.ts';
import type { AuditRecord } from '../../src/audit/types.ts';
import { canonicalJson } from '../../src/plan/canonical.ts';
import { resolveStoreKey, storeKeyFile } from '../../src/integrity/key.ts';
import type { SealedStore } from '../../src/integrity/sealed-store.ts';
import { verifyIntegrity, formatIntegrity } from '../../src/integrity/verify.ts';
import { openStore } from '../../src/store/open.ts';
import { approvalDecision, terminatePlan } from '../approvals/fixtures.ts';

const KEY = { key: Buffer.from('k'.repeat(64)), source: 'test' };

async function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'tceops-sealed-'));
  const store = (await openStore(`file:${dir}`, { key: KEY })) as SealedStore;
  return { dir, store };
}

describe('sealed store', () => {
  it('refuses a hand-edited approval appended to the file store (selfApproval: true), and verify names it', async () => {
    const { dir, store } = await fresh();
    const plan = terminatePlan();
    const record = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'cli',
    });
    assert.equal((await store.getApproval(record.id))?.selfApproval, false);
    // What an operator with write access to the directory would do: a newer version saying self-approval is fine.
    const line = readFileSync(join(dir, 'approvals.jsonl'), 'utf8').trim();
    const forged = { ...JSON.parse(line), version: 2, selfApproval: true, eligible: ['*'] };
    appendFileSync(join(dir, 'approvals.jsonl'), `${JSON.stringify(forged)}\n`);

    await assert.rejects(
      store.getApproval(record.id),
      (e: unknown) => e instanceof RefusedError && /changed outside tceops/.test(e.message),
    );
    await assert.rejects(
      approveRequest(store, record.id, { actor: 'alice', surface: 'cli' }),
      /changed outside tceops/,
    );
    assert.deepEqual(await store.listApprovals(), [], 'a tampered request is not listed as if it were real');
    const report = await verifyIntegrity(store);
    assert.equal(report.ok, false);
    assert.deepEqual(report.tamperedApprovals, [record.id]);
    assert.match(formatIntegrity(report), new RegExp(`approval ${record.id} was changed outside tceops`));
    await store.close();
  });

  it('a rewritten audit chain with recomputed SHA-256 hashes passes the plain check but not the seal', async () => {
    const { dir, store } = await fresh();
    for (const actor of ['alice', 'bob', 'carol', 'dave'])
      await appendAudit(store, { kind: 'request', actor, event: 'x' });
    assert.equal((await verifyIntegrity(store)).ok, true);

    // Rewrite record 2 (bob → mallory) and re-chain 2..4 with plain SHA-256, head included: the old check is fooled.
    const file = join(dir, 'audit.jsonl');
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    records[1]!.actor = 'mallory';
    for (let i = 1; i < records.length; i++) {
      records[i]!.prev = records[i - 1]!.hash;
      records[i]!.hash = recordHash(records[i]!);
    }
    writeFileSync(file, `${records.map((r) => canonicalJson(r)).join('\n')}\n`);
    const last = records.at(-1)!;
    appendFileSync(
      join(dir, 'kv.jsonl'),
      `${JSON.stringify({ key: 'tceops.audit.head', value: { seq: last.seq, hash: last.hash } })}\n`,
    );
    assert.equal((await verifyAudit(store)).ok, true, 'the plain chain was recomputed');

    const report = await verifyIntegrity(store);
    assert.equal(report.ok, false);
    assert.equal(report.firstBad?.seq, 2);
    assert.equal(report.lastGood?.seq, 1);
    const text = formatIntegrity(report);
    assert.match(text, /first bad record: .*audit\.jsonl:2: record 2 does not carry this server's seal/);
    assert.match(text, /last good record: 1 /);
    await store.close();
  });

  it('cutting the newest records off shows, even with the plain head rewritten', async () => {
    const { dir, store } = await fresh();
    for (const actor of ['alice', 'bob', 'carol']) await appendAudit(store, { kind: 'request', actor, event: 'x' });
    const file = join(dir, 'audit.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${lines.slice(0, 2).join('\n')}\n`);
    const second = JSON.parse(lines[1]!) as AuditRecord;
    appendFileSync(
      join(dir, 'kv.jsonl'),
      `${JSON.stringify({ key: 'tceops.audit.head', value: { seq: 2, hash: second.hash } })}\n`,
    );
    const report = await verifyIntegrity(store);
    assert.equal(report.ok, false);
    assert.equal(report.firstBad?.seq, 3);
    assert.equal(report.lastGood?.seq, 2);
    assert.match(formatIntegrity(report), /records were removed/);
    await store.close();
  });

  it('a stored value (a pending confirmation) edited by hand is refused', async () => {
    const { dir, store } = await fresh();
    await store.setValue('pending-plan:pln-1', { requester: 'alice' });
    assert.deepEqual(await store.getValue('pending-plan:pln-1'), { requester: 'alice' });
    appendFileSync(
      join(dir, 'kv.jsonl'),
      `${JSON.stringify({ key: 'pending-plan:pln-1', value: { requester: 'mallory' } })}\n`,
    );
    await assert.rejects(store.getValue('pending-plan:pln-1'), /changed outside tceops/);
    await store.close();
  });

  it('values deleted and the value file rewritten: the seals of what is kept still hold, and an edit is still refused', async () => {
    const { dir, store } = await fresh();
    await store.setValue('confirm:plan-1', { used: true });
    await appendAudit(store, { kind: 'request', actor: 'alice', event: 'x' });
    for (let i = 0; i < 1200; i++) {
      await store.setValueIfAbsent(`slack:pace:update:${i}`, { at: i });
      await store.deleteValue(`slack:pace:update:${i}`);
    }
    const lines = readFileSync(join(dir, 'kv.jsonl'), 'utf8').trim().split('\n');
    assert.ok(lines.length < 1000, `${lines.length} lines: the file was rewritten`);
    assert.deepEqual(await store.getValue('confirm:plan-1'), { used: true });
    assert.equal(await store.getValue('slack:pace:update:7'), undefined);
    assert.equal((await verifyIntegrity(store)).ok, true);
    // Someone changes the kept value by hand after the rewrite, copying its seal: still refused.
    const kept = JSON.parse(lines.find((l) => JSON.parse(l).key === 'confirm:plan-1')!);
    kept.value.sealed = { used: false };
    appendFileSync(join(dir, 'kv.jsonl'), `${JSON.stringify(kept)}\n`);
    await assert.rejects(store.getValue('confirm:plan-1'), /changed outside tceops/);
    await store.close();
  });

  it('another key reads nothing as genuine (replicas must share TCEOPS_STORE_KEY)', async () => {
    const { dir, store } = await fresh();
    const plan = terminatePlan();
    const record = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'cli',
    });
    await store.close();
    const other = await openStore(`file:${dir}`, { key: { key: Buffer.from('z'.repeat(64)), source: 'other' } });
    await assert.rejects(other.getApproval(record.id), /changed outside tceops/);
    await other.close();
  });
});

describe('store key', () => {
  it('is created 0600 beside the configuration, and refused when others can read it', () => {
    const home = mkdtempSync(join(tmpdir(), 'tceops-key-'));
    const env = { HOME: home };
    const first = resolveStoreKey(env);
    const file = storeKeyFile(env);
    assert.equal(file, join(home, '.config', 'tceops', 'store.key'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(resolveStoreKey(env).key, first.key, 'the same key next time');
    chmodSync(file, 0o644);
    assert.throws(() => resolveStoreKey(env), /can be read by others/);
  });

  it('takes TCEOPS_STORE_KEY, and refuses a short one', () => {
    assert.equal(resolveStoreKey({ TCEOPS_STORE_KEY: 'x'.repeat(40) }).source, 'TCEOPS_STORE_KEY');
    assert.throws(() => resolveStoreKey({ TCEOPS_STORE_KEY: 'short' }), /too short/);
  });
});
