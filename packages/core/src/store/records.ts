/**
 * The one reader for what a store holds. A record is read from one line (or row) of JSON and checked for the
 * shape every later step relies on, so that a damaged store is refused with where the damage is and what to do
 * — never a TypeError deep in a command. A `null` line, a truncated record or an approval whose plan is missing
 * are all caught here.
 */
import { ConfigError } from '../api/errors.ts';
import { APPROVAL_STATES, type ApprovalRecord, type ApprovalState } from '../approvals/types.ts';
import { inert } from '../inert.ts';

/** The damage, its place, and the way out. Exit code 2, like every configuration problem. */
export function damagedStore(where: string, why: string): ConfigError {
  return new ConfigError(
    `${where}: ${inert(why)}; the store is damaged and nothing was changed.\n` +
      'Repair or remove that record (keep a copy first), or point TCEOPS_STORE at another store.',
  );
}

export type LineRead = { ok: true; value: unknown } | { ok: false; why: string };

/** One stored line as JSON, or why it is not. */
export function readLine(text: string): LineRead {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, why: 'not a JSON record' };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** The approval's ID when the value has a readable one: damage can then be kept to that one request. */
export function approvalIdOf(value: unknown): string | undefined {
  return isObject(value) && isString(value.id) && value.id !== '' ? value.id : undefined;
}

/** What is wrong with a stored approval, or undefined when every field later steps read is there. */
export function approvalProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an approval record';
  const r = value;
  if (approvalIdOf(r) === undefined) return 'an approval with no ID';
  if (!Number.isInteger(r.version) || (r.version as number) < 1) return `approval ${r.id} has no valid version`;
  if (!APPROVAL_STATES.includes(r.state as ApprovalState)) return `approval ${r.id} has an unknown state`;
  const plan = r.plan;
  if (!isObject(plan)) return `approval ${r.id} has no plan`;
  if (!isString(plan.summary) || !isString(plan.hash) || !isString(plan.region) || !isString(plan.risk))
    return `approval ${r.id} has a plan without its summary, hash, region or risk`;
  if (!Array.isArray(plan.targets) || !plan.targets.every((t) => isObject(t) && isString(t.id)))
    return `approval ${r.id} has a plan without a valid list of targets`;
  if (!Array.isArray(plan.calls) || !plan.calls.every((c) => isObject(c) && isString(c.action) && isObject(c.params)))
    return `approval ${r.id} has a plan without a valid list of calls`;
  if (!isObject(r.requester) || !isString(r.requester.id)) return `approval ${r.id} has no requester`;
  if (!Array.isArray(r.approvals) || !r.approvals.every((a) => isObject(a) && isString(a.by)))
    return `approval ${r.id} has no valid list of approvals`;
  if (!Array.isArray(r.eligible) || !r.eligible.every(isString)) return `approval ${r.id} has no list of approvers`;
  if (typeof r.needed !== 'number') return `approval ${r.id} does not say how many approvals it needs`;
  for (const field of ['createdAt', 'updatedAt', 'expiresAt'] as const)
    if (!isString(r[field])) return `approval ${r.id} has no ${field}`;
  return undefined;
}

/** A stored approval, or the damage naming where it is. */
export function readApproval(value: unknown, where: string): ApprovalRecord {
  const problem = approvalProblem(value);
  if (problem) throw damagedStore(where, problem);
  return value as ApprovalRecord;
}

/** A kv line: `{"key": "...", "value": ...}`. */
export function kvProblem(value: unknown): string | undefined {
  if (!isObject(value) || !isString(value.key)) return 'not a key and value record';
  return undefined;
}
