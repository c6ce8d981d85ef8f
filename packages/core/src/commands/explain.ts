/**
 * What the policy would decide for a command, and why, without running anything: `tceops policy explain`. The
 * same steps as a run (prepare.ts), stopped after the policy, so the two cannot disagree. Surfaces reach it through
 * the engine (engine.explain), which records who asked.
 */
import { InputError } from '../api/errors.ts';
import type { Plan } from '../plan/types.ts';
import type { Decision } from '../policy/types.ts';
import { type PipelineDeps, prepare } from './prepare.ts';
import type { CommandContext } from './types.ts';

export async function explainCommand(
  deps: PipelineDeps,
  text: string,
  ctx: CommandContext,
): Promise<{ plan?: Plan; decision: Decision }> {
  const prepared = await prepare(deps, text, ctx);
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
