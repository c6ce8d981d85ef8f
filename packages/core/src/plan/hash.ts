/**
 * The plan hash binds what an approver saw: every call (action, region, parameters) and every target as observed
 * (id, name, state, type, zone, tags). Re-describe the targets later and build the plan again: if anything moved,
 * the hash moves too, and an approval given for the old one is stale.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { Plan, PlannedCall, PlanPrice, PlanTarget } from './types.ts';

/** Bumped if what the hash covers ever changes, so old approvals cannot match a differently built plan. */
const HASH_FORMAT = 1;

/** The price as bound: the figures and why there are none, not which action gave them. */
function boundPrice(price: PlanPrice | undefined) {
  if (!price) return undefined;
  const { source: _source, ...figures } = price;
  return figures;
}

export function planHash(plan: { calls: PlannedCall[]; targets: PlanTarget[]; price?: PlanPrice }): string {
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
    // Absent for plans without a price, so their hashes are what they were before prices existed.
    price: boundPrice(plan.price),
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
  if (canonicalJson(boundPrice(before.price) ?? null) !== canonicalJson(boundPrice(after.price) ?? null))
    out.push(`the price changed: ${priceText(headline(before.price))} → ${priceText(headline(after.price))}`);
  return out;
}

/** The figure a price change is told by: the price after, or the increment when that is all there is. */
function headline(price: PlanPrice | undefined): PlanPrice | undefined {
  if (!price || price.unavailable !== undefined) return price;
  const { before: _b, change, ...rest } = price;
  return price.after !== undefined ? rest : { ...rest, change };
}

/** "¥0.40/h", "¥201.60 for 1 month", "unavailable: why": the price as one short phrase. */
export function priceText(price: PlanPrice | undefined): string {
  if (!price) return '(none)';
  if (price.unavailable !== undefined) return `unavailable: ${price.unavailable}`;
  const per = price.unit === 'hour' ? '/h' : ` for ${price.months ?? 1} month${price.months === 1 ? '' : 's'}`;
  const money = (n: number) => `¥${exact(n)}`;
  const parts: string[] = [];
  if (price.before !== undefined && price.after !== undefined)
    parts.push(`${money(price.before)}${per} → ${money(price.after)}${per}`);
  else if (price.after !== undefined) parts.push(`${money(price.after)}${per}`);
  if (price.change !== undefined) {
    const sign = price.change >= 0 ? '+' : '−';
    parts.push(`${parts.length ? '(' : ''}${sign}${money(Math.abs(price.change))}${per}${parts.length ? ')' : ''}`);
  }
  return parts.join(' ') || '(none)';
}

/** A figure in yuan as TCE gave it, to 4 decimals and at least 2 (0.245 stays 0.245; 3 is 3.00). */
export function exact(n: number): string {
  const text = String(Math.round(n * 10000) / 10000);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
