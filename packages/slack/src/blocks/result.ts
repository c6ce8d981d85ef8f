/** What an executed plan did to each target, with RequestIds; progress lines while waiters follow the targets. */
import type { PlanSummary, ProgressEvent, TargetResult } from '../core.ts';
import { type Block, code, context, esc, type Message, requestIdsText, section } from './common.ts';
import { progressLines } from './progress.ts';

const MAX_LINES = 25;

export function resultLines(results: readonly TargetResult[]): string {
  const lines = results.slice(0, MAX_LINES).map((r) => {
    const head = `${r.ok ? ':white_check_mark:' : ':x:'} ${code(r.id)}`;
    const why = r.ok ? 'done' : `${r.code ? `*${esc(r.code)}* ` : ''}${esc(r.message ?? 'failed')}`;
    return `${head} ${why}${r.requestId ? ` · RequestId ${code(r.requestId)}` : ''}`;
  });
  if (results.length > MAX_LINES) lines.push(`…and ${results.length - MAX_LINES} more`);
  return lines.join('\n');
}

export function renderResult(
  plan: PlanSummary,
  results: readonly TargetResult[],
  requestIds: readonly string[],
  progress: readonly ProgressEvent[] = [],
  by?: string,
): Message {
  const failed = results.filter((r) => !r.ok).length;
  const icon = failed === 0 ? ':white_check_mark:' : failed === results.length ? ':x:' : ':warning:';
  const outcome = failed === 0 ? 'done' : `${failed} of ${results.length} failed`;
  const blocks: Block[] = [
    section(`${icon} *${esc(plan.summary)}*: ${outcome}${by ? ` (requested by <@${by}>)` : ''}`),
  ];
  if (results.length) blocks.push(section(resultLines(results)));
  if (progress.length) blocks.push(section(progressLines(progress)));
  const ids = requestIdsText(requestIds.filter((id) => !results.some((r) => r.requestId === id)));
  blocks.push(context(`command ${code(plan.command)}`, `region ${code(plan.region)}`, ids));
  return { text: `${plan.summary}: ${outcome}`, blocks };
}
