export { canonicalJson } from './canonical.ts';
export { planDifferences, planHash, planHashHolds, priceText } from './hash.ts';
export { buildPlan, countTargets, describeTarget, LISTED_TARGETS, summarize } from './summary.ts';
export type { Plan, PlanDraft, PlannedCall, PlanPrice, PlanTarget, TargetKind, VerdictCheck } from './types.ts';
