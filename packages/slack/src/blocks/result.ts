/** What an executed plan did to each target, with RequestIds; progress lines while waiters follow the targets. */
import type { PlanSummary, ProgressEvent, TargetResult } from '../core.ts';
import {
  type Block,
  clip,
  code,
  context,
  esc,
  fitLines,
  inline,
  type Message,
  requestIdsText,
  section,
} from './common.ts';
import { progressLines } from './progress.ts';

/** Failures first (they are what someone must act on), each clipped so that one long error cannot hide the rest. */
export function resultLines(results: readonly TargetResult[], max = 2500): string {
  const ordered = [...results.filter((r) => !r.ok), ...results.filter((r) => r.ok)];
  const lines = ordered.map((r) => {
    const head = `${r.ok ? ':white_check_mark:' : ':x:'} ${code(r.id)}`;
    const why = r.ok ? 'done' : `${r.code ? `*${inline(r.code)}* ` : ''}${inline(r.message ?? 'failed')}`;
    return `${head} ${why}${r.requestId ? ` · RequestId ${code(r.requestId)}` : ''}`;
  });
  return fitLines(lines, max).text;
}

/** "done", "20 of 20 failed", "3 of 20 failed": what the results say, never more. */
export function outcomeOf(results: readonly TargetResult[]): { icon: string; words: string } {
  const failed = results.filter((r) => !r.ok).length;
  if (failed === 0) return { icon: ':white_check_mark:', words: 'done' };
  if (failed === results.length)
    return { icon: ':x:', words: results.length === 1 ? 'failed' : `all ${results.length} failed` };
  return { icon: ':warning:', words: `${failed} of ${results.length} failed` };
}

export function renderResult(
  plan: PlanSummary,
  results: readonly TargetResult[],
  requestIds: readonly string[],
  progress: readonly ProgressEvent[] = [],
  by?: string,
): Message {
  const { icon, words } = outcomeOf(results);
  const summary = clip(esc(plan.summary), 1000);
  const blocks: Block[] = [
    section(`${icon} *${words}*: ${summary}${by && /^[UW][A-Z0-9]+$/.test(by) ? ` (requested by <@${by}>)` : ''}`),
  ];
  if (results.length) blocks.push(section(resultLines(results)));
  if (progress.length) blocks.push(section(progressLines(progress)));
  const ids = requestIdsText(requestIds.filter((id) => !results.some((r) => r.requestId === id)));
  blocks.push(context(`command ${code(plan.command, 300)}`, `region ${code(plan.region)}`, ids));
  return { text: `${clip(esc(plan.summary), 1000)}: ${words}`, blocks };
}
