/** Audit entries for steps that happen outside an approval: a policy decision, a confirmed or direct run. */
import type { Plan } from '../plan/types.ts';
import { toPrincipal } from '../policy/roles.ts';
import type { Decision, PolicyContext } from '../policy/types.ts';
import type { AuditEntry } from './types.ts';

function planFields(plan: Plan): Pick<AuditEntry, 'planHash' | 'command' | 'risk' | 'region'> {
  return { planHash: plan.hash, command: plan.command, risk: plan.risk, region: plan.region };
}

/** What the policy decided for a plan, and by which rule. */
export function decisionEntry(plan: Plan, decision: Decision, context: PolicyContext): AuditEntry {
  return {
    kind: 'decision',
    actor: toPrincipal(context.actor).id,
    surface: context.surface,
    event: 'policy',
    result: decision.kind === 'confirm' ? `confirm-${decision.level}` : decision.kind,
    detail: decision.reason,
    ...planFields(plan),
    data: {
      rule: decision.rule,
      origin: decision.origin,
      ...(context.channel ? { channel: context.channel } : {}),
      targets: plan.targets.map((t) => t.id),
    },
  };
}

/** A plan run without an approval request (allowed, or confirmed by the requester). */
export function directRunEntries(
  plan: Plan,
  context: PolicyContext,
  result: { ok: boolean; requestIds: string[]; error?: string },
): [AuditEntry, AuditEntry] {
  const actor = toPrincipal(context.actor).id;
  return [
    { kind: 'execution', actor, surface: context.surface, event: 'start', result: 'executing', ...planFields(plan) },
    {
      kind: 'result',
      actor,
      surface: context.surface,
      event: 'finish',
      result: result.ok ? 'ok' : 'failed',
      requestIds: result.requestIds,
      ...(result.error ? { detail: result.error } : {}),
      ...planFields(plan),
    },
  ];
}
