/** --dry-run: the plan and what the policy would decide; nothing runs. */
import type { PlanSummary } from '../core.ts';
import { clip, esc, type Message, section } from './common.ts';
import { planBlocks } from './plan.ts';

export function renderDryRun(plan: PlanSummary, decision: string): Message {
  return {
    text: `Dry run: ${clip(esc(plan.summary), 1000)} (${clip(esc(decision), 500)})`,
    blocks: [
      section(':test_tube: *Dry run*: nothing was changed.'),
      ...planBlocks(plan),
      section(`*Policy*: ${clip(esc(decision), 1500)}`),
    ],
  };
}
