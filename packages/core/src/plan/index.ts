export { canonicalJson } from './canonical.ts';
export { planDifferences, planHash, planHashHolds } from './hash.ts';
export { buildPlan, countTargets, describeTarget, LISTED_TARGETS, summarize } from './summary.ts';
export type { Plan, PlanDraft, PlannedCall, PlanTarget, TargetKind } from './types.ts';
