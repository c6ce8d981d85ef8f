/**
 * A damaged store is refused where the damage can matter, naming the file and line and what to do, and keeps
 * serving what is intact where that is safe. Never a TypeError.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/api/errors.ts';
import { newApproval } from '../../src/approvals/machine.ts';
import type { ApprovalRecord } from '../../src/approvals/types.ts';
import { FileStore } from '../../src/store/file.ts';
import { approvalProblem } from '../../src/store/records.ts';
import { approvalDecision, terminatePlan } from '../approvals/fixtures.ts';

function approval(requester = 'alice'): ApprovalRecord {
  const plan = terminatePlan();
  return newApproval({ plan, decision: approvalDecision(plan), requester, surface: 'cli' });
}

const refusal = (where: RegExp) => (e: unknown) =>
  e instanceof ConfigError &&
  e.exitCode === 2 &&
  where.test(e.message) &&
  /the store is damaged and nothing was changed/.test(e.message) &&
  /Repair or remove that record/.test(e.message);

describe('store/records', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-damage-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a null line in kv.jsonl: key-value work is refused naming the line, approvals keep working', async () => {
    const store = await FileStore.open(dir);
    await store.setValue('a', 1);
    appendFileSync(join(dir, 'kv.jsonl'), 'null\n');
    const other = await FileStore.open(dir);
    const before = readFileSync(join(dir, 'kv.jsonl'), 'utf8');
    for (const work of [
      () => other.getValue('a'),
      () => other.setValue('b', 2),
      () => other.setValueIfAbsent('c', 3),
      () => other.auditHead(),
    ]) {
      await assert.rejects(work(), refusal(/kv\.jsonl:2: not a key and value record/));
    }
    assert.equal(readFileSync(join(dir, 'kv.jsonl'), 'utf8'), before, 'nothing written');
    const record = approval();
    await other.createApproval(record);
    assert.equal((await other.getApproval(record.id))?.id, record.id);
    await store.close();
    await other.close();
  });

  it('an approval with plan: null spoils only that request; the listing is refused naming it', async () => {
    const store = await FileStore.open(dir);
    const good = approval('alice');
    const bad = approval('bob');
    await store.createApproval(good);
    appendFileSync(join(dir, 'approvals.jsonl'), `${JSON.stringify({ ...bad, plan: null })}\n`);
    const other = await FileStore.open(dir);
    assert.equal((await other.getApproval(good.id))?.id, good.id, 'the intact request is served');
    await assert.rejects(
      other.getApproval(bad.id),
      refusal(new RegExp(`approvals\\.jsonl:2: approval ${bad.id} has no plan`)),
    );
    await assert.rejects(other.listApprovals({}), refusal(/approvals\.jsonl:2/));
    await assert.rejects(other.compareAndSetApproval({ ...bad, version: 2 }, 1), refusal(/approvals\.jsonl:2/));
    assert.ok(await other.compareAndSetApproval({ ...good, version: 2, state: 'denied' }, 1));
    await store.close();
    await other.close();
  });

  it('a later intact version supersedes a damaged one', async () => {
    const store = await FileStore.open(dir);
    const record = approval();
    await store.createApproval(record);
    appendFileSync(join(dir, 'approvals.jsonl'), `${JSON.stringify({ ...record, version: 1, plan: null })}\n`);
    appendFileSync(join(dir, 'approvals.jsonl'), `${JSON.stringify({ ...record, version: 2, state: 'denied' })}\n`);
    const other = await FileStore.open(dir);
    assert.equal((await other.getApproval(record.id))?.state, 'denied');
    assert.equal((await other.listApprovals()).length, 1);
    await store.close();
    await other.close();
  });

  it('a line with no readable ID could be any request: every approval operation is refused, other work goes on', async () => {
    const store = await FileStore.open(dir);
    const record = approval();
    await store.createApproval(record);
    appendFileSync(join(dir, 'approvals.jsonl'), 'null\n{"id":\n');
    const other = await FileStore.open(dir);
    await assert.rejects(other.getApproval(record.id), refusal(/approvals\.jsonl:2: not an approval record/));
    await assert.rejects(other.listApprovals(), refusal(/approvals\.jsonl:2/));
    await assert.rejects(other.createApproval(approval('bob')), refusal(/approvals\.jsonl:2/));
    await other.setValue('k', 'v');
    assert.equal(await other.getValue('k'), 'v');
    await store.close();
    await other.close();
  });

  it('a repaired file (replaced, as an editor saves it) is read afresh by a running process', async () => {
    const store = await FileStore.open(dir);
    const record = approval();
    await store.createApproval(record);
    const file = join(dir, 'approvals.jsonl');
    const intact = readFileSync(file, 'utf8');
    appendFileSync(file, 'garbage\n');
    await assert.rejects(store.listApprovals(), refusal(/approvals\.jsonl:2/));
    writeFileSync(`${file}.new`, intact);
    renameSync(`${file}.new`, file);
    assert.equal((await store.listApprovals()).length, 1);
    await store.close();
  });

  it('every field later steps read is checked', () => {
    const record = approval() as unknown as Record<string, unknown>;
    assert.equal(approvalProblem(record), undefined);
    const plan = record.plan as Record<string, unknown>;
    const broken: [unknown, RegExp][] = [
      [null, /not an approval record/],
      [[], /not an approval record/],
      [{ ...record, id: 7 }, /no ID/],
      [{ ...record, version: '1' }, /version/],
      [{ ...record, state: 'weird' }, /unknown state/],
      [{ ...record, plan: { ...plan, targets: [null] } }, /targets/],
      [{ ...record, plan: { ...plan, calls: 'x' } }, /calls/],
      [{ ...record, plan: { ...plan, summary: undefined } }, /summary/],
      [{ ...record, requester: null }, /requester/],
      [{ ...record, approvals: [{}] }, /approvals/],
      [{ ...record, eligible: [1] }, /approvers/],
      [{ ...record, needed: null }, /how many/],
      [{ ...record, expiresAt: 5 }, /expiresAt/],
    ];
    for (const [value, why] of broken) assert.match(approvalProblem(value) ?? 'accepted', why);
  });
});
