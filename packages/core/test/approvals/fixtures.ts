/** Approval requests for tests: a plan the built-in policy sends to approval, and the decision it gets. */
import { evaluatePolicy } from '../../src/policy/evaluate.ts';
import { builtinPolicy, checkPolicy } from '../../src/policy/load.ts';
import type { Decision, Policy } from '../../src/policy/types.ts';
import type { Plan } from '../../src/plan/types.ts';
import { cvmPlan, instance } from '../plan/fixtures.ts';

export function terminatePlan(ids = ['ins-00000001']): Plan {
  return cvmPlan(
    'Terminate',
    ids.map((id) => instance(id)),
  );
}

export function approvalDecision(plan: Plan, policy: Policy = builtinPolicy(), actor = 'alice'): Decision {
  const decision = evaluatePolicy(policy, plan, { actor, surface: 'slack' });
  if (decision.kind !== 'approve') throw new Error(`expected approve, got ${decision.kind}`);
  return decision;
}

/** A policy where `count` of the twelve members of "sre" must approve. */
export function sreApprovals(count: number, selfApproval = false): Policy {
  const members = Array.from({ length: 12 }, (_, i) => `sre${i + 1}`);
  const { policy, problems } = checkPolicy(
    `roles:\n  sre: [alice, ${members.join(', ')}]\nrules:\n  - match: { risk: destructive }\n    approve: { count: ${count}, approvers: sre, ttl: 30m, selfApproval: ${selfApproval} }\n`,
  );
  if (!policy) throw new Error(JSON.stringify(problems));
  return policy;
}
