/**
 * A change draft plus its described targets → the Plan every surface shows, the policy judges and an approval
 * is bound to. The summary and hash come from plan/.
 */
import { findAction, riskOf } from '../catalog/index.ts';
import { buildPlan } from '../plan/summary.ts';
import type { Plan, PlannedCall } from '../plan/types.ts';
import type { ChangeDraft } from './spec.ts';
import type { DescribedTarget } from './targets.ts';
import type { PlanSummary } from './types.ts';

/** The documented batch limit for ID lists (每次请求批量实例的上限为100). */
export const BATCH_SIZE = 100;

export function planCalls(draft: ChangeDraft, ids: string[], region: string): PlannedCall[] {
  const action = findAction(draft.service, draft.action, draft.version);
  const base = { service: draft.service, version: action.version, action: action.name, region };
  if (!draft.idParam) return [{ ...base, params: { ...draft.params } }];
  if (!draft.idParamIsArray) return ids.map((id) => ({ ...base, params: { ...draft.params, [draft.idParam!]: id } }));
  const calls: PlannedCall[] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE)
    calls.push({ ...base, params: { ...draft.params, [draft.idParam]: ids.slice(i, i + BATCH_SIZE) } });
  return calls;
}

export function planTargets(targets: DescribedTarget[], region: string): Plan['targets'] {
  return targets.map((t) => ({
    kind: t.kind,
    id: t.id,
    name: t.name,
    state: t.state,
    type: t.type,
    zone: t.zone,
    region,
    tags: t.tags,
    ...(t.unknown ? { unknown: true } : {}),
  }));
}

export function planChange(
  draft: ChangeDraft,
  targets: DescribedTarget[],
  region: string,
  command: string,
  summary?: string,
): Plan {
  return buildPlan({
    ...(summary ? { summary } : {}),
    command,
    service: draft.service,
    verb: draft.verb,
    risk: riskOf(draft.service, draft.action),
    region,
    targets: planTargets(targets, region),
    calls: planCalls(
      draft,
      targets.map((t) => t.id),
      region,
    ),
  });
}

/** The same plan with its targets as they are now: same calls, fresh observations, so a new hash if anything moved. */
export function replanWith(plan: Plan, targets: DescribedTarget[]): Plan {
  const { hash: _hash, summary: _summary, irreversible, ...rest } = plan;
  return buildPlan({
    ...rest,
    irreversible,
    targets: planTargets(targets, plan.region),
  });
}

/** The parameter of a plan's calls that carries the target IDs, so results can be told per target. */
export function idParamOf(plan: Plan): string | undefined {
  const ids = new Set(plan.targets.map((t) => t.id));
  const params = plan.calls[0]?.params ?? {};
  return Object.keys(params).find((name) => {
    const value = params[name];
    return Array.isArray(value)
      ? value.length > 0 && value.every((v) => ids.has(String(v)))
      : typeof value === 'string' && ids.has(value);
  });
}

export function planSummary(plan: Plan): PlanSummary {
  return {
    hash: plan.hash,
    command: plan.command,
    service: plan.service,
    action: plan.calls[0]?.action ?? '',
    risk: plan.risk,
    region: plan.region,
    summary: plan.summary,
    irreversible: plan.irreversible,
    targets: plan.targets.map((t) => ({
      id: t.id,
      name: t.name,
      state: t.state,
      type: t.type,
      tags: t.tags,
      ...(t.unknown ? { unknown: true } : {}),
    })),
    ...(plan.price ? { price: plan.price } : {}),
    ...(plan.verdict ? { verdict: plan.verdict } : {}),
  };
}
