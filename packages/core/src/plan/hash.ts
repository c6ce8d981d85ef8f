/**
 * The plan hash binds what an approver saw: every call (action, region, parameters) and every target as observed
 * (id, name, state, type, zone, tags). Re-describe the targets later and build the plan again: if anything moved,
 * the hash moves too, and an approval given for the old one is stale.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { Plan, PlannedCall, PlanTarget } from './types.ts';

/** Bumped if what the hash covers ever changes, so old approvals cannot match a differently built plan. */
const HASH_FORMAT = 1;

export function planHash(plan: { calls: PlannedCall[]; targets: PlanTarget[] }): string {
  const bound = {
    format: HASH_FORMAT,
    calls: plan.calls.map((c) => ({
      service: c.service,
      version: c.version,
      action: c.action,
      region: c.region,
      params: c.params,
    })),
    targets: plan.targets.map((t) => ({
      kind: t.kind,
      id: t.id,
      name: t.name,
      state: t.state,
      type: t.type,
      zone: t.zone,
      region: t.region,
      tags: t.tags,
    })),
  };
  return createHash('sha256').update(canonicalJson(bound)).digest('hex');
}

/** True when the plan's stored hash still matches its content (a record edited in the store does not). */
export function planHashHolds(plan: Plan): boolean {
  return planHash(plan) === plan.hash;
}

/** A few words on what differs between two plans of one request, for a "stale" message. */
export function planDifferences(before: Plan, after: Plan): string[] {
  const out: string[] = [];
  const afterById = new Map(after.targets.map((t) => [`${t.kind}:${t.id}`, t]));
  const beforeIds = new Set(before.targets.map((t) => `${t.kind}:${t.id}`));
  for (const t of before.targets) {
    const now = afterById.get(`${t.kind}:${t.id}`);
    if (!now) {
      out.push(`${t.id} is gone`);
      continue;
    }
    for (const field of ['name', 'state', 'type', 'zone', 'region'] as const) {
      if (t[field] !== now[field]) out.push(`${t.id} ${field} ${t[field] ?? '(none)'} → ${now[field] ?? '(none)'}`);
    }
    if (canonicalJson(t.tags) !== canonicalJson(now.tags)) out.push(`${t.id} tags changed`);
  }
  for (const t of after.targets) if (!beforeIds.has(`${t.kind}:${t.id}`)) out.push(`${t.id} is new`);
  if (canonicalJson(before.calls) !== canonicalJson(after.calls)) out.push('the calls differ');
  return out;
}
