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
  linesPage,
  type Message,
  PAGE_ITEMS,
  pageValue,
  requestIdsText,
  section,
  button,
} from './common.ts';
import { ACTION } from './ids.ts';
import { progressLines } from './progress.ts';

/** Failures first (they are what someone must act on). */
function ordered(results: readonly TargetResult[]): TargetResult[] {
  return [...results.filter((r) => !r.ok), ...results.filter((r) => r.ok)];
}

function resultLine(r: TargetResult): string {
  const head = `${r.ok ? ':white_check_mark:' : ':x:'} ${code(r.id)}`;
  const why = r.ok ? 'done' : `${r.code ? `*${inline(r.code)}* ` : ''}${inline(r.message ?? 'failed')}`;
  return `${head} ${why}${r.requestId ? ` · RequestId ${code(r.requestId)}` : ''}`;
}

/**
 * The results as lines that fit in `max`, each clipped so that one long error cannot hide the rest, and — when
 * some do not fit and `seeAll` says where they are kept — a button that pages through all of them privately.
 */
export function resultBlocks(results: readonly TargetResult[], max = 2500, seeAll?: string): Block[] {
  // Up to 20 lines share the room, so that a long error shortens its own line rather than push the others out.
  const lineMax = Math.max(120, Math.floor(max / Math.min(results.length, 20)) - 1);
  const fit = fitLines(ordered(results).map(resultLine), max, seeAll ? '(see all results below)' : '', lineMax);
  const blocks: Block[] = [section(fit.text)];
  if (fit.more && seeAll)
    blocks.push({
      type: 'actions',
      elements: [button(`All ${results.length} results`, ACTION.results, pageValue(seeAll, 0))],
    });
  return blocks;
}

/** One page of the results, every message in full (up to 1,500 characters each). */
export function renderResultsPage(
  plan: PlanSummary,
  results: readonly TargetResult[],
  where: string,
  offset: number,
): Message {
  return linesPage({
    heading: `Results of: ${clip(esc(plan.summary), 500)}`,
    noun: 'Results',
    lines: ordered(results)
      .slice(offset, offset + PAGE_ITEMS)
      .map(resultLine),
    offset,
    total: results.length,
    actionId: ACTION.results,
    valueAt: (o) => pageValue(where, o),
  });
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
  /** Where all results can be found again (`result:<plan hash>`), for the "All N results" button. */
  seeAll?: string,
): Message {
  const { icon, words } = outcomeOf(results);
  const summary = clip(esc(plan.summary), 1000);
  const blocks: Block[] = [
    section(`${icon} *${words}*: ${summary}${by && /^[UW][A-Z0-9]+$/.test(by) ? ` (requested by <@${by}>)` : ''}`),
  ];
  if (results.length) blocks.push(...resultBlocks(results, 2500, seeAll));
  if (progress.length) blocks.push(section(progressLines(progress)));
  const ids = requestIdsText(requestIds.filter((id) => !results.some((r) => r.requestId === id)));
  blocks.push(context(`command ${code(plan.command, 300)}`, `region ${code(plan.region)}`, ids));
  return { text: `${clip(esc(plan.summary), 1000)}: ${words}`, blocks };
}
