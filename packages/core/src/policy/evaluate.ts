/**
 * Apply a policy to a plan: the first rule whose conditions all hold decides. Every rule looked at leaves a line
 * in the trail (matched, or the condition that failed), which is what `tceops policy explain` prints.
 */
import type { Plan, PlanTarget } from '../plan/types.ts';
import { matchesList } from './glob.ts';
import { figureText, priceMatches } from './price.ts';
import { eligibleMembers, rolesOf, toPrincipal } from './roles.ts';
import type { Decision, DecisionSpec, Match, Policy, PolicyContext, Rule, TagPair, TrailStep } from './types.ts';

/** Typing more IDs than this is a chore nobody does carefully; past it, the number of targets is typed instead. */
const TYPED_IDS_MAX = 3;

export function isProduction(target: PlanTarget, productionTags: readonly TagPair[]): boolean {
  // A target nobody could look at is assumed to be the worst case.
  if (target.unknown) return true;
  return Object.entries(target.tags).some(([k, v]) =>
    productionTags.some((p) => p.key.toLowerCase() === k.toLowerCase() && p.value.toLowerCase() === v.toLowerCase()),
  );
}

/** What the requester must type to confirm a typed-level plan. */
export function typedConfirmation(plan: Plan): string {
  if (plan.targets.length === 0) return plan.calls[0]?.action ?? plan.verb;
  if (plan.targets.length <= TYPED_IDS_MAX) return plan.targets.map((t) => t.id).join(' ');
  return String(plan.targets.length);
}

function planActions(plan: Plan): string[] {
  return [...new Set(plan.calls.map((c) => `${c.service}:${c.action}`))];
}

function list(values: string[]): string {
  return values.length === 1 ? values[0]! : `one of ${values.join(', ')}`;
}

/** Check one rule; undefined when it matches, else why it does not. */
function mismatch(
  rule: Rule,
  plan: Plan,
  ctx: { roles: string[]; surface: string; channel?: string },
  policy: Policy,
): string | undefined {
  const m: Match = rule.match;
  // An allow must hold for every part of the plan; anything stricter needs only one part to apply.
  const strict = rule.decision.kind === 'allow';
  const some = <T>(items: T[], test: (item: T) => boolean) =>
    strict ? items.length > 0 && items.every(test) : items.some(test);

  if (m.risk && !matchesList(m.risk, plan.risk)) return `risk is ${plan.risk}, the rule wants ${list(m.risk)}`;
  if (m.action) {
    const actions = planActions(plan);
    if (!some(actions, (a) => matchesList(m.action!, a, true))) {
      return `${strict ? 'not every action' : 'no action'} of ${actions.join(', ') || '(none)'} fits ${list(m.action)}`;
    }
  }
  if (m.region && !matchesList(m.region, plan.region))
    return `region is ${plan.region}, the rule wants ${list(m.region)}`;
  if (m.tags) {
    const tags = m.tags;
    // An undescribed target may carry anything: it fits a strict rule's tags, never an allow's.
    const fits = (t: PlanTarget) =>
      t.unknown
        ? !strict
        : Object.entries(tags).every(([k, g]) => t.tags[k] !== undefined && matchesList([g], t.tags[k]));
    if (!some(plan.targets, fits)) {
      const want = Object.entries(tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `${strict ? 'not every target' : 'no target'} carries ${want}`;
    }
  }
  if (m.production !== undefined) {
    const wanted = m.production;
    const tagText = policy.productionTags.map((t) => `${t.key}=${t.value}`).join(' or ') || '(no production tag set)';
    if (!some(plan.targets, (t) => isProduction(t, policy.productionTags) === wanted)) {
      return wanted
        ? `${strict ? 'not every target' : 'no target'} carries ${tagText}`
        : `${strict ? 'a' : 'every'} target carries ${tagText}`;
    }
  }
  if (m.surface && !matchesList(m.surface, ctx.surface))
    return `surface is ${ctx.surface}, the rule wants ${list(m.surface)}`;
  if (m.channel && !matchesList(m.channel, ctx.channel))
    return `channel is ${ctx.channel ?? '(none)'}, the rule wants ${list(m.channel)}`;
  if (m.price && !priceMatches(m.price, plan, 'price'))
    return `the price is ${figureText(plan, 'price')}, the rule wants ${list(m.price)}`;
  if (m.priceChange && !priceMatches(m.priceChange, plan, 'change'))
    return `the price change is ${figureText(plan, 'change')}, the rule wants ${list(m.priceChange)}`;
  if (m.role) {
    const positive = m.role.filter((r) => !r.startsWith('!'));
    const negative = m.role.filter((r) => r.startsWith('!')).map((r) => r.slice(1));
    const held = ctx.roles.length ? ctx.roles.join(', ') : 'none';
    if (negative.some((r) => ctx.roles.includes(r)))
      return `the requester holds ${negative.filter((r) => ctx.roles.includes(r)).join(', ')}, which the rule excludes`;
    if (positive.length && !positive.some((r) => ctx.roles.includes(r)))
      return `the requester's roles (${held}) include no ${list(positive)}`;
  }
  return undefined;
}

function matchedBecause(rule: Rule, plan: Plan, surface: string): string {
  const m = rule.match;
  const parts: string[] = [];
  if (m.risk) parts.push(`risk ${plan.risk}`);
  if (m.action) parts.push(`action ${planActions(plan).join(', ')}`);
  if (m.region) parts.push(`region ${plan.region}`);
  if (m.tags)
    parts.push(
      `tags ${Object.entries(m.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  if (m.production !== undefined) parts.push(m.production ? 'production target' : 'no production target');
  if (m.surface) parts.push(`surface ${surface}`);
  if (m.channel) parts.push('channel');
  if (m.role) parts.push('role');
  if (m.price) parts.push(`price ${figureText(plan, 'price')}`);
  if (m.priceChange) parts.push(`price change ${figureText(plan, 'change')}`);
  return parts.length ? `matches: ${parts.join('; ')}` : 'matches anything';
}

function describeSpec(spec: DecisionSpec): string {
  switch (spec.kind) {
    case 'allow':
      return 'allowed';
    case 'confirm':
      return spec.level === 'typed' ? 'the requester must type the ID to confirm' : 'the requester must confirm';
    case 'approve': {
      const who = spec.approvers.length ? `by ${spec.approvers.join(' or ')}` : 'by anyone';
      const self = spec.selfApproval ? 'the requester may be one' : 'not the requester';
      return `needs ${spec.count} approval${spec.count === 1 ? '' : 's'} ${who} (${self}) within ${spec.ttl}`;
    }
    case 'deny':
      return `denied: ${spec.reason}`;
  }
}

export function evaluatePolicy(policy: Policy, plan: Plan, context: PolicyContext): Decision {
  const principal = toPrincipal(context.actor);
  const roles = rolesOf(policy, principal, context.roles ?? []);
  const trail: TrailStep[] = [];
  for (const rule of policy.rules) {
    const why = mismatch(rule, plan, { roles, surface: context.surface, channel: context.channel }, policy);
    trail.push({
      rule: rule.name,
      origin: rule.origin,
      line: rule.line,
      matched: why === undefined,
      why: why ?? matchedBecause(rule, plan, context.surface),
    });
    if (why === undefined) return decide(rule, plan, policy, trail, roles);
  }
  // Only reachable when a policy has no rules at all: refuse rather than guess.
  return {
    kind: 'deny',
    denial: 'no policy rule matched this request',
    rule: '(none)',
    origin: 'built-in',
    source: policy.source,
    reason: 'denied: no policy rule matched this request',
    trail,
    actorRoles: roles,
  };
}

function decide(rule: Rule, plan: Plan, policy: Policy, trail: TrailStep[], roles: string[]): Decision {
  const base = {
    rule: rule.name,
    origin: rule.origin,
    line: rule.line,
    source: policy.source,
    trail,
    actorRoles: roles,
  };
  const spec = rule.decision;
  const ruleText = `${rule.origin === 'built-in' ? 'built-in rule' : 'rule'} "${rule.name}"`;
  // The floor: an irreversible change is never one click (or none) away, whatever a rule says.
  if (plan.risk === 'destructive' && (spec.kind === 'allow' || (spec.kind === 'confirm' && spec.level === 'click'))) {
    return {
      ...base,
      kind: 'confirm',
      level: 'typed',
      expected: typedConfirmation(plan),
      reason: `the requester must type the ID to confirm (${ruleText} said ${spec.kind === 'allow' ? 'allow' : 'confirm click'}; destructive plans always need a typed confirmation)`,
      raised: `${spec.kind === 'allow' ? 'allow' : 'confirm click'} → confirm typed`,
    };
  }
  const reason = `${describeSpec(spec)} (${ruleText})`;
  switch (spec.kind) {
    case 'allow':
      return { ...base, kind: 'allow', reason };
    case 'confirm':
      return {
        ...base,
        kind: 'confirm',
        level: spec.level,
        ...(spec.level === 'typed' ? { expected: typedConfirmation(plan) } : {}),
        reason,
      };
    case 'deny':
      return { ...base, kind: 'deny', denial: spec.reason, reason };
    case 'approve':
      return {
        ...base,
        kind: 'approve',
        count: spec.count,
        approvers: spec.approvers,
        eligible: eligibleMembers(policy, spec.approvers),
        selfApproval: spec.selfApproval,
        ttl: spec.ttl,
        ttlMs: spec.ttlMs,
        ...(spec.channel ? { channel: spec.channel } : {}),
        reason,
      };
  }
}
