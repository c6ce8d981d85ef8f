/**
 * The one-line summary people read before they confirm or approve:
 * "Terminate 2 instances in ap-guangzhou: web-1 (ins-1, RUNNING, S5.MEDIUM4), web-2 (ins-2, STOPPED, S5.LARGE8).
 *  This cannot be undone."
 */
import { KINDS } from '../kinds/index.ts';
import { planHash } from './hash.ts';
import type { Plan, PlanDraft, PlanTarget, TargetKind } from './types.ts';

/** Targets listed by name before the rest are counted: enough to recognise, short enough for a chat line. */
export const LISTED_TARGETS = 10;

export function countTargets(kind: TargetKind, n: number): string {
  const [one, many] = KINDS[kind].nouns;
  return `${n} ${n === 1 ? one : many}`;
}

/** "web-1 (ins-1, RUNNING, S5.MEDIUM4)", or the ID alone with its state when the target has no name. */
export function describeTarget(t: PlanTarget): string {
  if (t.unknown) return `${t.id} (${KINDS[t.kind].nouns[0]}, not described: treated as production)`;
  const facts = [t.name ? t.id : undefined, t.state, t.type].filter((f): f is string => Boolean(f));
  const label = t.name || t.id;
  return facts.length ? `${label} (${facts.join(', ')})` : label;
}

export function summarize(input: {
  verb: string;
  region: string;
  targets: PlanTarget[];
  irreversible: boolean;
}): string {
  const { verb, region, targets, irreversible } = input;
  const kinds = [...new Set(targets.map((t) => t.kind))];
  const what =
    targets.length === 0
      ? ''
      : kinds.length === 1
        ? countTargets(kinds[0]!, targets.length)
        : `${targets.length} resources`;
  const listed = targets.slice(0, LISTED_TARGETS).map(describeTarget);
  if (targets.length > LISTED_TARGETS) listed.push(`and ${targets.length - LISTED_TARGETS} more`);
  const head = what ? `${verb} ${what} in ${region}: ${listed.join(', ')}.` : `${verb} in ${region}.`;
  return irreversible ? `${head} This cannot be undone.` : head;
}

/** Fill in what follows from a draft: irreversible (destructive unless said otherwise), summary and hash. */
export function buildPlan(draft: PlanDraft): Plan {
  const irreversible = draft.irreversible ?? draft.risk === 'destructive';
  const plan: Plan = {
    ...draft,
    irreversible,
    summary:
      draft.summary ?? summarize({ verb: draft.verb, region: draft.region, targets: draft.targets, irreversible }),
    hash: '',
  };
  plan.hash = planHash(plan);
  return plan;
}
