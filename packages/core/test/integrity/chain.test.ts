/**
 * Approval records in a sealed chain: removing the newest line (a denied request pending again), a middle line,
 * reordering lines, putting an older copy back, or deleting or forging the head is refused — every approval, with
 * where and the last good record — while the audit log and stored values keep working. The same against a real
 * PostgreSQL (test/postgres.ts), where a DBA rolls back a row or removes log rows.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { testPostgres } from '../../../../test/postgres.ts';
import { ConfigError, RefusedError } from '../../src/api/errors.ts';
import { approveRequest, denyRequest, requestApproval } from '../../src/approvals/service.ts';
import type { ApprovalRecord } from '../../src/approvals/types.ts';
import { appendAudit } from '../../src/audit/log.ts';
import { openHead } from '../../src/integrity/chain.ts';
import { formatIntegrity, verifyIntegrity } from '../../src/integrity/verify.ts';
import { FileStore } from '../../src/store/file.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/types.ts';
import { approvalDecision, terminatePlan } from '../approvals/fixtures.ts';

const KEY = { key: Buffer.from('c'.repeat(64)), source: 'test' };

function ask(store: Store, requester = 'alice'): Promise<ApprovalRecord> {
  const plan = terminatePlan();
  return requestApproval(store, { plan, decision: approvalDecision(plan), requester, surface: 'cli' });
}

const deny = (store: Store, id: string) => denyRequest(store, id, { actor: 'bob', surface: 'cli' }, 'no');
const approve = (store: Store, id: string) => approveRequest(store, id, { actor: 'carol', surface: 'cli' });

/** Every approval operation refused with the break's place; what needs no approval still works. */
async function assertRefused(store: Store, id: string, where: RegExp, lastGood: RegExp): Promise<void> {
  const refused = (e: unknown) =>
    e instanceof ConfigError &&
    where.test(e.message) &&
    lastGood.test(e.message) &&
    /Every approval request is refused and nothing was changed/.test(e.message);
  await assert.rejects(store.getApproval(id), refused);
  await assert.rejects(approve(store, id), refused);
  await assert.rejects(store.listApprovals(), refused);
  await assert.rejects(ask(store), refused, 'no new request is chained onto a broken chain');
  await appendAudit(store, { kind: 'request', actor: 'alice', event: 'x' });
  await store.setValue('still', 1);
  assert.equal(await store.getValue('still'), 1);
  const report = await verifyIntegrity(store);
  assert.equal(report.ok, false);
  assert.match(formatIntegrity(report), /approval records broken at .*every approval is refused/);
}

describe('approval chain (file store)', () => {
  let dir: string;
  let store: Store;
  let ids: string[];
  const file = () => join(dir, 'approvals.jsonl');
  const lines = () => readFileSync(file(), 'utf8').trim().split('\n');
  const write = (kept: string[]) => writeFileSync(file(), `${kept.join('\n')}\n`);
  const reopen = async () => {
    await store.close();
    store = await openStore(`file:${dir}`, { key: KEY });
  };

  // Three requests, then the first denied: lines a1, b1, c1, a2.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-chain-'));
    store = await openStore(`file:${dir}`, { key: KEY });
    ids = [];
    for (const who of ['alice', 'dave', 'erin']) ids.push((await ask(store, who)).id);
    await deny(store, ids[0]!);
    assert.equal(lines().length, 4);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('happy path: hundreds of writes, a restart, more writes; verify passes; the head is 0600', async () => {
    for (let i = 0; i < 60; i++) {
      const record = await ask(store, `user${i}`);
      await (i % 2 ? approve(store, record.id) : deny(store, record.id));
    }
    await reopen();
    assert.equal((await store.getApproval(ids[0]!))?.state, 'denied');
    assert.equal((await store.listApprovals()).length, 63);
    assert.equal((await ask(store, 'frank')).version, 1);
    assert.equal(lines().length, 4 + 120 + 1);
    assert.equal(statSync(join(dir, 'approvals.head')).mode & 0o777, 0o600);
    const report = await verifyIntegrity(store);
    assert.equal(report.ok, true, formatIntegrity(report));
  });

  it('the newest line removed (a denied request pending again) is refused, not approved', async () => {
    write(lines().slice(0, 3));
    // The open store (it sees the file shrink) and a new process alike.
    await assert.rejects(approve(store, ids[0]!), /records were removed or an older copy was put back/);
    await reopen();
    await assertRefused(
      store,
      ids[0]!,
      /approvals\.head: the head says 4 records were written, but the records end at 3/,
      new RegExp(`Last good record: 3 \\(${ids[2]} version 1\\) at .*approvals\\.jsonl:3`),
    );
    assert.equal(lines().length, 3, 'nothing was written to the approvals');
  });

  it('a middle line removed is refused, naming the line after the gap and the last good record', async () => {
    const all = lines();
    write([all[0]!, ...all.slice(2)]);
    await reopen();
    await assertRefused(
      store,
      ids[2]!,
      /approvals\.jsonl:2: record 3 follows record 1: records were removed or moved/,
      new RegExp(`Last good record: 1 \\(${ids[0]} version 1\\) at .*approvals\\.jsonl:1`),
    );
  });

  it('reordered lines are refused', async () => {
    const [a, b, c, d] = lines();
    write([a!, c!, b!, d!]);
    await reopen();
    await assertRefused(store, ids[1]!, /approvals\.jsonl:2: record 3 follows record 1/, /Last good record: 1 /);
  });

  it('an older copy of the file put back is refused', async () => {
    copyFileSync(file(), join(dir, 'backup'));
    await approve(store, ids[1]!);
    await deny(store, ids[2]!);
    copyFileSync(join(dir, 'backup'), file());
    await assertRefused(
      store,
      ids[1]!,
      /the head says 6 records were written, but the records end at 4/,
      new RegExp(`Last good record: 4 \\(${ids[0]} version 2\\)`),
    );
  });

  it('the records and their head put back together pass the chain (not caught at run time); verify finds it in the audit log', async () => {
    copyFileSync(file(), join(dir, 'backup'));
    copyFileSync(join(dir, 'approvals.head'), join(dir, 'backup.head'));
    await deny(store, ids[1]!);
    copyFileSync(join(dir, 'backup'), file());
    copyFileSync(join(dir, 'backup.head'), join(dir, 'approvals.head'));
    await reopen();
    // The limit, stated: an earlier consistent pair is obeyed by the store.
    assert.equal((await store.getApproval(ids[1]!))?.state, 'pending');
    const report = await verifyIntegrity(store);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.rolledBack.map((r) => [r.id, r.state, r.result]),
      [[ids[1], 'pending', 'denied']],
    );
    assert.match(
      formatIntegrity(report),
      new RegExp(
        `approval ${ids[1]} is pending in the store, but .*audit\\.jsonl:\\d+ says it was denied: the approval records were rolled back`,
      ),
    );
  });

  it('the head deleted, or rewritten to match a shortened file, is refused', async () => {
    rmSync(join(dir, 'approvals.head'));
    await reopen();
    await assertRefused(
      store,
      ids[0]!,
      /approvals\.head: the head is missing, but 4 sealed records exist/,
      /Last good record: 4 /,
    );
    // Cut the denial off and write a head that names record 3 (its seq and link are in the file; the seal is not).
    const kept = lines().slice(0, 3);
    write(kept);
    const third = JSON.parse(kept[2]!) as ApprovalRecord;
    writeFileSync(join(dir, 'approvals.head'), JSON.stringify({ seq: 3, link: third.link, mac: 'f'.repeat(64) }));
    await assertRefused(
      store,
      ids[0]!,
      /the head of the approval records was changed outside tceops/,
      /Last good record: 3 /,
    );
  });

  it('a head one write behind (a crash between the record and its head) is accepted and caught up', async () => {
    const head = readFileSync(join(dir, 'approvals.head'));
    await approve(store, ids[1]!);
    writeFileSync(join(dir, 'approvals.head'), head);
    await reopen();
    assert.equal((await store.getApproval(ids[1]!))?.approvals.length, 1);
    await deny(store, ids[2]!);
    assert.equal((await verifyIntegrity(store)).ok, true);
  });

  it('an older head put back over records cut after it is refused: a head lags a crash’s one write, no more', async () => {
    const oldHead = readFileSync(join(dir, 'approvals.head'));
    await approve(store, ids[1]!);
    await deny(store, ids[2]!);
    const late = await ask(store, 'frank');
    await deny(store, late.id);
    // The denial of frank's request cut off, and the head from three writes back put in place of the current one.
    write(lines().slice(0, 7));
    writeFileSync(join(dir, 'approvals.head'), oldHead);
    await reopen();
    await assertRefused(
      store,
      late.id,
      /the head \(4\) is further behind the records \(7\) than a crash can leave it: an older head was put back/,
      new RegExp(`Last good record: 7 \\(${late.id} version 1\\)`),
    );
  });

  it('a head read just before another process wrote several records is read again, not judged an old one', async () => {
    const stale = readFileSync(join(dir, 'approvals.head'), 'utf8');
    await approve(store, ids[1]!);
    await deny(store, ids[2]!);
    await ask(store, 'frank');
    // The race, made certain: the first read of the head returns it as it was three writes ago (the other
    // process appended three records between this process's reads of the head and of the records).
    const proto = FileStore.prototype as unknown as { readChainHead(key: Buffer): Promise<unknown> };
    const real = proto.readChainHead;
    let reads = 0;
    proto.readChainHead = async function (this: unknown, key: Buffer) {
      reads++;
      return reads === 1 ? openHead(key, JSON.parse(stale)) : real.call(this, key);
    };
    try {
      await reopen();
    } finally {
      proto.readChainHead = real;
    }
    assert.equal(reads, 2, 'the head was read again');
    assert.equal((await store.getApproval(ids[2]!))?.state, 'denied');
  });

  it('two processes writing at once keep one chain that both read and verify', async () => {
    const other = await openStore(`file:${dir}`, { key: KEY });
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => ask(i % 2 ? other : store, `user${i}`)));
      assert.equal((await store.listApprovals()).length, 15);
      assert.equal((await other.listApprovals()).length, 15);
      assert.equal((await verifyIntegrity(store)).ok, true);
    } finally {
      await other.close();
    }
  });

  it('a record edited in place stays that request’s problem: the chain holds, the others work', async () => {
    const all = lines();
    write([all[0]!, JSON.stringify({ ...JSON.parse(all[1]!), selfApproval: true }), ...all.slice(2)]);
    await reopen();
    await assert.rejects(store.getApproval(ids[1]!), (e: unknown) => e instanceof RefusedError);
    assert.equal((await store.getApproval(ids[0]!))?.state, 'denied');
    await approve(store, ids[2]!);
    const report = await verifyIntegrity(store);
    assert.deepEqual(report.tamperedApprovals, [ids[1]]);
    assert.equal(report.approvalChain, undefined);
  });

  it('a record damaged in place (its plan lost) stays that request’s problem too', async () => {
    const all = lines();
    write([all[0]!, JSON.stringify({ ...JSON.parse(all[1]!), plan: null }), ...all.slice(2)]);
    await reopen();
    await assert.rejects(store.getApproval(ids[1]!), /approvals\.jsonl:2: approval \S+ has no plan/);
    assert.equal((await store.getApproval(ids[0]!))?.state, 'denied');
    await approve(store, ids[2]!);
  });
});

describe('approval chain (PostgreSQL)', function () {
  this.timeout(60_000);
  let url: string;
  let admin: pg.Pool;
  let schema: string;
  let store: Store;
  let ids: string[];
  const q = (sql: string, values: unknown[] = []) => admin.query(sql.replaceAll('S.', `"${schema}".`), values);
  const reopen = async () => {
    await store.close();
    const u = new URL(url);
    u.searchParams.set('schema', schema);
    store = await openStore(u.toString(), { key: KEY });
  };
  /** What a DBA can do: put an older sealed version of a request back in its row (it is in the log). */
  const rollBackRow = async (id: string, version: number) => {
    const old = await q(`SELECT record FROM S.tceops_approval_log WHERE id = $1 AND (record->>'version')::int = $2`, [
      id,
      version,
    ]);
    const record = old.rows[0].record as ApprovalRecord;
    await q('UPDATE S.tceops_approvals SET record = $2, version = $3, state = $4 WHERE id = $1', [
      id,
      JSON.stringify(record),
      record.version,
      record.state,
    ]);
  };

  before(async function () {
    const found = await testPostgres();
    if (!found.url) {
      if (process.env.CI) assert.fail(`${found.missing}; CI must not skip these tests`);
      this.skip();
    }
    url = found.url!;
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  after(() => admin?.end());

  beforeEach(async () => {
    schema = `chain_${randomBytes(5).toString('hex')}`;
    const u = new URL(url);
    u.searchParams.set('schema', schema);
    store = await openStore(u.toString(), { key: KEY });
    ids = [];
    for (const who of ['alice', 'dave', 'erin']) ids.push((await ask(store, who)).id);
    await deny(store, ids[0]!);
  });
  afterEach(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('happy path: many writes, a restart, more writes; verify passes', async () => {
    for (let i = 0; i < 30; i++) {
      const record = await ask(store, `user${i}`);
      await (i % 2 ? approve(store, record.id) : deny(store, record.id));
    }
    await reopen();
    assert.equal((await store.getApproval(ids[0]!))?.state, 'denied');
    assert.equal((await store.listApprovals()).length, 33);
    await approve(store, ids[1]!);
    const report = await verifyIntegrity(store);
    assert.equal(report.ok, true, formatIntegrity(report));
  });

  it('a row rolled back to an older sealed version (denied → pending) is refused by name, the others work', async () => {
    await rollBackRow(ids[0]!, 1);
    for (const attempt of [
      () => store.getApproval(ids[0]!),
      () => approve(store, ids[0]!),
      () => store.listApprovals(),
    ])
      await assert.rejects(attempt(), (e: unknown) => {
        return (
          e instanceof ConfigError &&
          e.message.includes(`tceops_approvals row ${ids[0]}: it holds version 1 of the request, but the newest`) &&
          /version 2 \(.*tceops_approval_log seq 4\)/.test(e.message)
        );
      });
    assert.equal((await store.getApproval(ids[1]!))?.state, 'pending');
    const report = await verifyIntegrity(store);
    assert.equal(report.ok, false);
    assert.match(formatIntegrity(report), new RegExp(`tceops_approvals row ${ids[0]}: the row is not the newest`));
  });

  it('the newest log row removed with the row rolled back is refused (the head is ahead)', async () => {
    await rollBackRow(ids[0]!, 1);
    await q('DELETE FROM S.tceops_approval_log WHERE seq = 4');
    await reopen();
    await assertRefused(
      store,
      ids[0]!,
      /tceops\.approvals\.head: the head says 4 records were written, but the records end at 3/,
      new RegExp(`Last good record: 3 \\(${ids[2]} version 1\\)`),
    );
  });

  it('a middle log row removed is refused', async () => {
    await q('DELETE FROM S.tceops_approval_log WHERE seq = 2');
    await assertRefused(store, ids[1]!, /tceops_approval_log seq 3: record 3 follows record 1/, /Last good record: 1 /);
  });

  it('two log rows swapped (renumbered) are refused', async () => {
    await q('UPDATE S.tceops_approval_log SET seq = -1 WHERE seq = 2');
    await q('UPDATE S.tceops_approval_log SET seq = 2 WHERE seq = 3');
    await q('UPDATE S.tceops_approval_log SET seq = 3 WHERE seq = -1');
    await reopen();
    await assertRefused(
      store,
      ids[1]!,
      /tceops_approval_log seq 2: the row holds record 3: rows were renumbered/,
      /Last good record: 1 /,
    );
  });

  it('a log row set to null by hand is refused, not a crash', async () => {
    await q(`UPDATE S.tceops_approval_log SET record = 'null'::jsonb WHERE seq = 2`);
    await reopen();
    await assertRefused(store, ids[1]!, /tceops_approval_log seq 3: record 3 follows record 1/, /Last good record: 1 /);
  });

  it('the head deleted is refused', async () => {
    await q(`DELETE FROM S.tceops_kv WHERE key = 'tceops.approvals.head'`);
    await assertRefused(store, ids[0]!, /the head is missing, but 4 sealed records exist/, /Last good record: 4 /);
  });
});
