/**
 * From a parsed change command to its plan: resolve names, describe the targets, refuse states the action does
 * not allow, build the plan, then ask TCE its verdict and the price. Used by the engine and `tceops policy explain`.
 */
import type { TceClient } from '../api/client.ts';
import { RefusedError } from '../api/errors.ts';
import type { Plan } from '../plan/types.ts';
import { planChange } from './plan.ts';
import { withPrice } from './price.ts';
import { allows, verbOfAction } from '../kinds/index.ts';
import type { ParsedCommand } from './spec.ts';
import { type DescribedTarget, describeTargets, resolveInstanceNames } from './targets.ts';
import { withVerdict } from './verdict.ts';

/** Refuse, before any change is sent, targets whose state the action does not allow (StartInstances: STOPPED). */
export function refuseWrongStates(targets: DescribedTarget[], action: string): void {
  const rule = verbOfAction(action);
  if (!rule) return;
  const { verb, kind } = rule;
  const words = verb.command.split(' ').slice(1).join(' ');
  const wrong = targets.filter((t) => t.kind === kind.kind && !allows(kind.kind, verb.command, t.state));
  const from = verb.from ?? kind.states.filter((s) => !verb.except?.includes(s));
  if (wrong.length) {
    throw new RefusedError(
      `cannot ${words} ${wrong.map((t) => `${t.name ?? t.id} (${t.state})`).join(', ')}: ${words} needs ${from.join(' or ')}`,
      kind.kind === 'instance' ? 'UnsupportedOperation.InstanceStateInvalid' : 'ResourceInsufficient.InvalidState',
      'nothing was changed',
    );
  }
}

export async function planCommand(
  client: TceClient,
  command: ParsedCommand,
  region: string,
): Promise<{ plan: Plan; secret?: 'Password' }> {
  const draft = await command.spec.change!(command, { client, region });
  let ids = draft.targetIds;
  // A name and the ID of the same instance are one target.
  if (draft.targetKind === 'instance') ids = [...new Set(await resolveInstanceNames(client, region, ids))];
  const targets = await describeTargets(client, region, draft.targetKind, ids);
  refuseWrongStates(targets, draft.action);
  const plan = planChange(draft, targets, region, command.text, draft.summary);
  // TCE's verdict first (a refused plan is not priced), then the price, which the hash binds.
  return { plan: await withPrice(client, await withVerdict(client, plan)), secret: draft.secret };
}
