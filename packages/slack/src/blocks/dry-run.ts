/** --dry-run: the plan and what the policy would decide; nothing runs. */
import type { PlanSummary } from '../core.ts';
import { esc, type Message, section } from './common.ts';
import { planBlocks } from './plan.ts';

export function renderDryRun(plan: PlanSummary, decision: string): Message {
  return {
    text: `Dry run: ${plan.summary} (${decision})`,
    blocks: [
      section(':test_tube: *Dry run*: nothing was changed.'),
      ...planBlocks(plan),
      section(`*Policy*: ${esc(decision)}`),
    ],
  };
}
