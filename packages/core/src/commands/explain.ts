/** What the policy would decide for a command, and why, without running anything: `tceops policy explain`. */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import { buildPlan } from '../plan/summary.ts';
import type { Plan } from '../plan/types.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import type { Decision, Policy, Surface } from '../policy/types.ts';
import { parseCommand } from './parse.ts';
import { planCommand } from './planner.ts';

export async function explainCommand(
  text: string,
  options: { client: TceClient; policy: Policy; actor: string; surface: Surface; channel?: string; region?: string },
): Promise<{ plan?: Plan; decision: Decision }> {
  const { command } = parseCommand(text, { region: options.region ?? options.client.region });
  const context = { actor: options.actor, surface: options.surface, channel: options.channel };
  if (!command.spec.change) {
    if (command.spec.builtin && command.spec.builtin !== 'help')
      throw new InputError(`"${command.spec.path.join(' ')}" is decided by the approval rules, not by a plan`);
    // Reads make no plan; the policy still sees their risk, so a rule can deny them.
    const read = buildPlan({
      command: command.text,
      service: command.spec.path[0]!,
      verb: 'Read',
      risk: 'read',
      region: command.region,
      targets: [],
      calls: [],
    });
    return { decision: evaluatePolicy(options.policy, read, context) };
  }
  if (!command.region) throw new InputError('no region: give --region', 'MissingParameter');
  const { plan } = await planCommand(options.client, command, command.region);
  return { plan, decision: evaluatePolicy(options.policy, plan, context) };
}
