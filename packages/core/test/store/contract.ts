/**
 * The store contract: every store passes these, against two instances over the same data (two processes' view).
 * Each backend supplies how to open a fresh pair and how to tamper with a stored audit record.
 */
import assert from 'node:assert/strict';
import { RefusedError } from '../../src/api/errors.ts';
import { newApproval, withApproval } from '../../src/approvals/machine.ts';
import { approveRequest, executeApproved, requestApproval } from '../../src/approvals/service.ts';
import type { ApprovalRecord } from '../../src/approvals/types.ts';
import { appendAudit, readAudit, verifyAudit } from '../../src/audit/log.ts';
import type { Store } from '../../src/store/types.ts';
import { approvalDecision, sreApprovals, terminatePlan } from '../approvals/fixtures.ts';

export interface StoreBackend {
  /** Two stores over one fresh, empty data set. */
  openPair(): Promise<[Store, Store]>;
  /** Change one field of the stored audit record `seq` without fixing its hash. */
  editAuditRecord(seq: number): Promise<void>;
  /** Remove the stored audit record `seq`. */
  removeAuditRecord(seq: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** Concurrent contenders in the CAS and execution races. */
export const CONTENDERS = 40;
/** Concurrent audit appends in the chain race. */
export const AUDIT_APPENDS = 100;

function record(over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  const plan = terminatePlan();
  return { ...newApproval({ plan, decision: approvalDecision(plan), requester: 'alice', surface: 'cli' }), ...over };
}

export function storeContract(
  name: string,
  backend: () => StoreBackend | undefined | Promise<StoreBackend | undefined>,
): void {
  describe(`store contract: ${name}`, function () {
    this.timeout(60_000);
    let b: StoreBackend;
    let a: Store;
    let c: Store;

    beforeEach(async function () {
      const found = await backend();
      if (!found) return this.skip();
      b = found;
      [a, c] = await b.openPair();
    });
    afterEach(async () => {
      await a?.close();
      await c?.close();
      await b?.cleanup();
    });

    it('creates, gets and lists; the other instance sees it at once', async () => {
      const r1 = record({ id: 'apr-aaaaaaa1', createdAt: '2026-05-01T10:00:00.000Z' });
      const r2 = record({ id: 'apr-aaaaaaa2', createdAt: '2026-05-01T11:00:00.000Z', requester: { id: 'bob' } });
      await a.createApproval(r1);
      await c.createApproval(r2);
      assert.deepEqual(await c.getApproval('apr-aaaaaaa1'), r1);
      assert.equal(await a.getApproval('apr-missing1'), undefined);
      assert.deepEqual(
        (await a.listApprovals()).map((r) => r.id),
        ['apr-aaaaaaa2', 'apr-aaaaaaa1'],
      );
      assert.deepEqual(
        (await a.listApprovals({ requester: 'BOB' })).map((r) => r.id),
        ['apr-aaaaaaa2'],
      );
      assert.deepEqual(
        (await a.listApprovals({ limit: 1 })).map((r) => r.id),
        ['apr-aaaaaaa2'],
      );
      await assert.rejects(a.createApproval(r1), /exists already/);
    });

    it('gives copies: changing a returned record changes nothing stored', async () => {
      const r = record();
      await a.createApproval(r);
      const got = (await a.getApproval(r.id))!;
      got.state = 'approved';
      got.plan.targets[0]!.id = 'ins-changed1';
      assert.deepEqual(await a.getApproval(r.id), r);
    });

    it('compare-and-set writes only over the expected version', async () => {
      const r = record();
      await a.createApproval(r);
      const next = withApproval(r, 'bob', new Date());
      assert.equal(await c.compareAndSetApproval(next, 1), true);
      assert.equal(await a.compareAndSetApproval({ ...next, approvals: [] }, 1), false);
      assert.deepEqual(await a.getApproval(r.id), next);
      await assert.rejects(a.compareAndSetApproval({ ...next, version: 5 }, 2), /new version must be 3/);
      await assert.rejects(a.compareAndSetApproval({ ...next, id: 'apr-nothere', version: 2 }, 1), /does not exist/);
    });

    it(`${CONTENDERS} concurrent compare-and-sets from one version across two instances: exactly one wins`, async () => {
      const r = record();
      await a.createApproval(r);
      const results = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) =>
          (i % 2 ? a : c).compareAndSetApproval({ ...r, version: 2, meta: { winner: i } }, 1),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const stored = (await a.getApproval(r.id))!;
      assert.equal(stored.version, 2);
      assert.equal(stored.meta.winner, results.indexOf(true));
    });

    it('12 approvers at once on a 3-of-12 request: exactly 3 approvals count, the rest are told it is closed', async () => {
      const plan = terminatePlan();
      const r = await requestApproval(a, {
        plan,
        decision: approvalDecision(plan, sreApprovals(3)),
        requester: 'alice',
        surface: 'slack',
      });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          approveRequest(i % 2 ? a : c, r.id, { actor: `sre${i + 1}`, surface: 'slack' }),
        ),
      );
      const stored = (await c.getApproval(r.id))!;
      assert.equal(stored.state, 'approved');
      assert.equal(stored.approvals.length, 3);
      assert.equal(new Set(stored.approvals.map((v) => v.by)).size, 3);
      const refusals = outcomes.filter((o) => o.status === 'rejected');
      assert.equal(refusals.length, 9);
      for (const o of refusals)
        assert.ok(o.reason instanceof RefusedError && o.reason.code === 'ApprovalClosed', String(o.reason));
    });

    it(`${CONTENDERS} concurrent executions of one approved request across two instances run it once`, async () => {
      const plan = terminatePlan();
      const r = await requestApproval(a, {
        plan,
        decision: approvalDecision(plan),
        requester: 'alice',
        surface: 'slack',
      });
      await approveRequest(c, r.id, { actor: 'bob', surface: 'slack' });
      let runs = 0;
      const outcomes = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) =>
          executeApproved(i % 2 ? a : c, r.id, {
            replan: async (p) => p,
            run: async () => {
              runs++;
              await new Promise((resolve) => setTimeout(resolve, 20));
              return { ok: true, requestIds: ['req-1'] };
            },
          }),
        ),
      );
      assert.equal(runs, 1);
      assert.equal(outcomes.filter((o) => o.outcome === 'ran').length, 1);
      assert.equal(outcomes.filter((o) => o.outcome === 'not-run').length, CONTENDERS - 1);
      const stored = (await a.getApproval(r.id))!;
      assert.equal(stored.state, 'succeeded');
      assert.deepEqual(stored.result?.requestIds, ['req-1']);
      const executions = await readAudit(a, { approvalId: r.id, kind: 'execution' });
      assert.equal(executions.length, 1);
    });

    it(`${AUDIT_APPENDS} concurrent audit appends across two instances make one unbroken chain`, async () => {
      await Promise.all(
        Array.from({ length: AUDIT_APPENDS }, (_, i) =>
          appendAudit(i % 2 ? a : c, { kind: 'decision', actor: `user${i}`, surface: 'cli', result: 'allow' }),
        ),
      );
      const records = await readAudit(c);
      assert.deepEqual(
        records.map((r) => r.seq),
        Array.from({ length: AUDIT_APPENDS }, (_, i) => i + 1),
      );
      assert.equal(new Set(records.map((r) => r.actor)).size, AUDIT_APPENDS);
      const verified = await verifyAudit(a);
      assert.deepEqual(verified.problems, []);
      assert.equal(verified.ok, true);
      assert.deepEqual(await c.auditHead(), { seq: AUDIT_APPENDS, hash: records.at(-1)!.hash });
    });

    it('verify names an edited record', async () => {
      for (let i = 0; i < 5; i++) await appendAudit(a, { kind: 'approval', actor: `user${i}`, event: 'approve' });
      await b.editAuditRecord(3);
      const result = await verifyAudit(c);
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.problems.map((p) => p.seq),
        [3],
      );
      assert.match(result.problems[0]!.message, /record 3 was edited/);
    });

    it('verify names a removed record, in the middle or the newest', async () => {
      for (let i = 0; i < 6; i++) await appendAudit(a, { kind: 'result', actor: `user${i}`, result: 'ok' });
      await b.removeAuditRecord(4);
      const middle = await verifyAudit(c);
      assert.equal(middle.ok, false);
      assert.match(middle.problems.map((p) => p.message).join('\n'), /record 4 is missing/);
      await b.removeAuditRecord(6);
      const end = await verifyAudit(c);
      assert.match(
        end.problems.map((p) => p.message).join('\n'),
        /the log ends at record 5 but 6 were written: record 6 was removed/,
      );
      // New records chain onto the recorded head, so they do not paper over the removal.
      const next = await appendAudit(c, { kind: 'result', actor: 'later', result: 'ok' });
      assert.equal(next.seq, 7);
      const after = await verifyAudit(a);
      assert.equal(after.ok, false);
      assert.match(
        after.problems.map((p) => p.message).join('\n'),
        /record 6 is missing: removed from the log \(next is 7\)/,
      );
    });

    it('small values: set, get, and set-if-absent with one winner', async () => {
      assert.equal(await a.getValue('slack:event:Ev1'), undefined);
      await a.setValue('slack:event:Ev1', { ts: '1.2' });
      assert.deepEqual(await c.getValue('slack:event:Ev1'), { ts: '1.2' });
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : c).setValueIfAbsent('once', i)));
      assert.equal(wins.filter(Boolean).length, 1);
      assert.equal(await a.getValue('once'), wins.indexOf(true));
    });

    it('deleting a value: gone for every instance, set-if-absent wins again once; absent keys and others untouched', async () => {
      await a.setValue('slack:pace:post:C1:10', { at: 1 });
      await a.setValue('keep', { n: 1 });
      await c.deleteValue('slack:pace:post:C1:10');
      assert.equal(await a.getValue('slack:pace:post:C1:10'), undefined);
      assert.equal(await c.getValue('slack:pace:post:C1:10'), undefined);
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : c).setValueIfAbsent('slack:pace:post:C1:10', i)),
      );
      assert.equal(wins.filter(Boolean).length, 1, 'one winner after the delete, as before it');
      // Deleting what is not there (twice, at once, from both) is nothing, and leaves the other values alone.
      await Promise.all([a.deleteValue('never-set'), c.deleteValue('never-set'), a.deleteValue('never-set')]);
      await Promise.all([a.deleteValue('slack:pace:post:C1:10'), c.deleteValue('slack:pace:post:C1:10')]);
      assert.equal(await c.getValue('slack:pace:post:C1:10'), undefined);
      assert.deepEqual(await c.getValue('keep'), { n: 1 });
    });
  });
}
