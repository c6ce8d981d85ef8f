/**
 * What the policy would decide for a command, and why, without running anything: `tceops policy explain`. The
 * same steps as a run (prepare.ts), stopped after the policy, so the two cannot disagree.
 */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import type { Plan } from '../plan/types.ts';
import type { Decision, Policy, Surface } from '../policy/types.ts';
import { prepare } from './prepare.ts';

export async function explainCommand(
  text: string,
  options: { client: TceClient; policy: Policy; actor: string; surface: Surface; channel?: string; region?: string },
): Promise<{ plan?: Plan; decision: Decision }> {
  const ctx = {
    actor: { id: options.actor },
    surface: options.surface,
    channel: options.channel,
    region: options.region,
  };
  const prepared = await prepare({ client: options.client, policy: options.policy, region: options.region }, text, ctx);
  if (prepared.kind === 'builtin') {
    const { spec } = prepared.parsed.command;
    throw new InputError(
      spec.builtin === 'help' || prepared.parsed.options.help
        ? 'help is always allowed'
        : `"${spec.path.join(' ')}" is decided by the approval rules, not by a plan`,
    );
  }
  return { plan: prepared.kind === 'change' ? prepared.plan : undefined, decision: prepared.decision };
}
