/**
 * `tceops audit verify`: the audit chain (every hash, every link, nothing removed) and, on a sealed store, every
 * record's MAC, the sealed head, the approval records and their chain (nothing removed, reordered or rolled back). Reports the first bad record and the last good one, so
 * whoever investigates knows from where the log cannot be trusted.
 */
import type { AuditProblem, AuditVerification } from '../audit/log.ts';
import { verifyAudit } from '../audit/log.ts';
import { type ApprovalRecord, TERMINAL_STATES } from '../approvals/types.ts';
import type { AuditHead, AuditRecord } from '../audit/types.ts';
import type { Store } from '../store/types.ts';
import { inert } from '../inert.ts';
import type { ChainBreak } from './chain.ts';
import { SealedStore } from './sealed-store.ts';

export interface IntegrityReport extends AuditVerification {
  /** False when the store is not sealed (opened without a key): only the plain chain was checked. */
  sealed: boolean;
  firstBad?: AuditProblem;
  /** The newest record before the first bad one that passed every check. */
  lastGood?: AuditHead;
  /** Approval requests whose current record does not carry a valid seal. */
  tamperedApprovals: string[];
  /** Where the approval records' chain breaks (records removed, reordered, rolled back), with the last good one. */
  approvalChain?: ChainBreak;
  /** Requests the audit log saw further on than the store holds them: the records and their head put back together. */
  rolledBack: RolledBack[];
}

export interface RolledBack {
  id: string;
  state: string;
  /** The newest audit result for it, and where that record is. */
  result: string;
  where: string;
}

/** How far along its life an audit result says a request got. */
const REACHED: Record<string, number> = {
  pending: 0,
  approved: 1,
  executing: 2,
  ...Object.fromEntries(['ok', ...TERMINAL_STATES].map((r) => [r, 3])),
};

/**
 * An earlier consistent copy of the approval records and their head passes the chain. The audit log, unless it was
 * put back too, still holds what happened next: a request whose newest audit result is further on than its stored
 * state (denied in the log, pending in the store) was rolled back.
 */
export function behindTheAudit(
  approvals: ApprovalRecord[],
  audit: { record: AuditRecord; where: string }[],
): RolledBack[] {
  const newest = new Map<string, { result: string; where: string }>();
  for (const { record, where } of audit)
    if (record.approvalId && record.result !== undefined && REACHED[record.result] !== undefined)
      newest.set(record.approvalId, { result: record.result, where });
  return approvals.flatMap((a) => {
    const seen = newest.get(a.id);
    return seen && REACHED[seen.result]! > (REACHED[a.state] ?? 3) ? [{ id: a.id, state: a.state, ...seen }] : [];
  });
}

export async function verifyIntegrity(store: Store): Promise<IntegrityReport> {
  const base = await verifyAudit(store);
  const problems = [...base.problems];
  const sealed = store instanceof SealedStore;
  const parsed: { record: AuditRecord; where: string }[] = [];
  for (const line of await store.readAuditLines()) {
    try {
      parsed.push({ record: JSON.parse(line.text) as AuditRecord, where: line.where });
    } catch {
      // verifyAudit reported it
    }
  }
  const tamperedApprovals: string[] = [];
  let approvalChain: ChainBreak | undefined;
  let rolledBack: RolledBack[] = [];
  if (sealed) {
    for (const { record, where } of parsed) {
      if (typeof record.seq === 'number' && !store.auditHolds(record))
        problems.push({
          seq: record.seq,
          where,
          message: `record ${record.seq} does not carry this server's seal: it was written or rewritten outside tceops`,
        });
    }
    const last = parsed.at(-1)?.record;
    try {
      const head = await store.sealedHead();
      if (head && (!last || last.seq < head.seq))
        problems.push({
          seq: (last?.seq ?? 0) + 1,
          where: store.location,
          message: `the sealed head says ${head.seq} records were written, but the log ends at ${last?.seq ?? 0}: records were removed`,
        });
      else if (head && last && last.seq === head.seq && last.hash !== head.hash)
        problems.push({
          seq: head.seq,
          where: store.location,
          message: `record ${head.seq} is not the one sealed last`,
        });
    } catch (error) {
      problems.push({ where: store.location, message: (error as Error).message });
    }
    approvalChain = await store.approvalChain();
    // With the chain broken the store refuses to list approvals; the break is the finding then.
    if (!approvalChain) {
      for (const record of await store.inner.listApprovals())
        if (!store.approvalHolds(record)) tamperedApprovals.push(record.id);
      const genuine = parsed.filter(({ record }) => store.auditHolds(record));
      rolledBack = behindTheAudit(await store.listApprovals(), genuine);
    }
  }
  const bad = problems.filter((p) => p.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
  const firstBad = bad[0] ?? problems[0];
  const lastGoodRecord = firstBad?.seq
    ? parsed.filter((p) => p.record.seq < firstBad.seq!).at(-1)?.record
    : firstBad
      ? undefined
      : parsed.at(-1)?.record;
  const ok = problems.length === 0 && tamperedApprovals.length === 0 && !approvalChain && rolledBack.length === 0;
  return {
    ...base,
    ok,
    problems,
    sealed,
    ...(firstBad ? { firstBad } : {}),
    ...(lastGoodRecord ? { lastGood: { seq: lastGoodRecord.seq, hash: lastGoodRecord.hash } } : {}),
    tamperedApprovals,
    ...(approvalChain ? { approvalChain } : {}),
    rolledBack,
  };
}

export function formatIntegrity(report: IntegrityReport): string {
  const lines: string[] = [];
  const seal = report.sealed ? 'sealed' : 'NOT sealed (no key): only the plain hash chain was checked';
  const chain = report.approvalChain;
  if (report.ok) {
    lines.push(
      `audit log OK: ${report.records} records, ${seal}${report.head ? `; head ${report.head.seq} ${report.head.hash}` : ''}`,
    );
    return lines.join('\n');
  }
  const count = report.problems.length;
  if (count === 0 && report.tamperedApprovals.length === 0 && (chain || report.rolledBack.length))
    lines.push(`audit log OK (${report.records} records), ${seal}; the approval records are NOT:`);
  else lines.push(`audit log FAILED verification (${count} problem${count === 1 ? '' : 's'}), ${seal}:`);
  if (report.firstBad) lines.push(`  first bad record: ${report.firstBad.where}: ${report.firstBad.message}`);
  if (count > 0)
    lines.push(
      report.lastGood
        ? `  last good record: ${report.lastGood.seq} ${report.lastGood.hash}`
        : '  last good record: none (the log is bad from its first record)',
    );
  for (const p of report.problems) if (p !== report.firstBad) lines.push(`  ${p.where}: ${p.message}`);
  for (const id of report.tamperedApprovals)
    lines.push(`  approval ${id} was changed outside tceops (its seal does not match): it is refused`);
  for (const r of report.rolledBack)
    lines.push(
      `  approval ${inert(r.id)} is ${r.state} in the store, but ${inert(r.where)} says it was ${r.result}: the approval records were rolled back`,
    );
  if (chain) {
    const good = chain.lastGood;
    // Where and why name IDs read from the store: written inert.
    lines.push(`  approval records broken at ${inert(chain.where)}: ${inert(chain.why)}; every approval is refused`);
    lines.push(
      `  last good approval record: ${good ? `${good.seq} (${inert(good.id)} version ${good.version}) at ${inert(good.where)}` : 'none'}`,
    );
  }
  return lines.join('\n');
}
