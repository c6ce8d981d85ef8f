/**
 * Every resource kind, by name. Kinds tceops cannot describe (dedicated hosts, CSM source servers, CFS rules)
 * still have nouns, so a plan can name them; the policy treats them as production.
 */
import type { TargetKind } from '../plan/types.ts';
import { filesystem } from './filesystem.ts';
import { image } from './image.ts';
import { instance } from './instance.ts';
import { job } from './job.ts';
import { keypair } from './keypair.ts';
import { pgroup } from './pgroup.ts';
import type { KindModule, KindVerb } from './types.ts';

function undescribable(kind: TargetKind, one: string, many: string): KindModule {
  return {
    kind,
    nouns: [one, many],
    states: [],
    transitional: [],
    failed: [],
    verbs: [],
    notFound: 'ResourceNotFound',
  };
}

export const KINDS: Record<TargetKind, KindModule> = {
  instance,
  image,
  keypair,
  filesystem,
  pgroup,
  job,
  rule: undescribable('rule', 'permission rule', 'permission rules'),
  host: undescribable('host', 'dedicated host', 'dedicated hosts'),
  sourceServer: undescribable('sourceServer', 'source server', 'source servers'),
};

export function kindOf(kind: TargetKind): KindModule {
  return KINDS[kind];
}

/** The verb that sends an API action, and its kind: what `call` is held to (StartInstances: STOPPED). */
export function verbOfAction(action: string): { kind: KindModule; verb: KindVerb } | undefined {
  for (const kind of Object.values(KINDS)) {
    const verb = kind.verbs.find((v) => v.action === action);
    if (verb) return { kind, verb };
  }
  return undefined;
}

/** Whether core lets `command` run on a target of `kind` in `state` (a state rule, or none). */
export function allows(kind: TargetKind, command: string, state: string | undefined): boolean {
  const verb = KINDS[kind].verbs.find((v) => v.command === command);
  if (!verb) return false;
  if (verb.except && state !== undefined && verb.except.includes(state)) return false;
  return !verb.from || (state !== undefined && verb.from.includes(state));
}

/** A resource's menu in a given state: its details view, then every verb core allows there. */
export function menuFor(kind: TargetKind, state: string | undefined): { label: string; command: string }[] {
  const module = KINDS[kind];
  const verbs = module.verbs.filter((v) => v.menu !== false && allows(kind, v.command, state));
  return [
    ...(module.show ? [{ label: 'Details', command: module.show }] : []),
    ...verbs.map((v) => ({ label: v.label, command: v.command })),
  ];
}

/** Where each action leaves its targets (or, for a creation, what it makes): what the waiters follow. */
export function endStates(): Record<string, { states: string[]; gone?: boolean; kind?: TargetKind }> {
  const out: Record<string, { states: string[]; gone?: boolean; kind?: TargetKind }> = {};
  for (const module of Object.values(KINDS)) {
    for (const verb of module.verbs)
      if (verb.end) out[verb.action] = { states: [...verb.end.states], ...(verb.end.gone ? { gone: true } : {}) };
    for (const [action, end] of Object.entries(module.creates ?? {}))
      out[action] = { states: [...end.states], kind: module.kind };
  }
  return out;
}

export type { DescribedTarget, KindModule, KindVerb } from './types.ts';
