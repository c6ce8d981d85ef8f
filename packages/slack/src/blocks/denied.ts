/** The policy said no: the reason, and what was asked. */
import type { PlanSummary } from '../core.ts';
import { clip, esc, type Message, section } from './common.ts';
import { planBlocks } from './plan.ts';

export function renderDenied(reason: string, plan?: PlanSummary): Message {
  const blocks = [
    section(`:no_entry: *Not allowed*: ${clip(esc(reason), 1500)}\nNothing was changed.`),
    ...(plan ? planBlocks(plan) : []),
  ];
  return { text: `Not allowed: ${clip(esc(reason), 1000)}`, blocks };
}
