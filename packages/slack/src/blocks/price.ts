/**
 * What a plan costs and what TCE said about it, for every prompt and approval card: approvers see the price
 * (before → after) and TCE's answers before they click. TCE's messages are cloud text: escaped and clipped.
 */
import { type PlanSummary, priceText } from '../core.ts';
import { type Block, clip, esc, section } from './common.ts';

/** Room for TCE's answers; a plan has a handful. */
const VERDICT_TEXT = 1500;

export function priceBlocks(plan: PlanSummary): Block[] {
  const lines: string[] = [];
  if (plan.price) {
    const source = plan.price.source ? ` _(${esc(plan.price.source)})_` : '';
    lines.push(`:moneybag: *Price:* ${esc(priceText(plan.price))}${source}`);
  }
  const verdict = (plan.verdict ?? []).map((c) => `${c.ok ? ':white_check_mark:' : ':x:'} TCE: ${esc(c.detail)}`);
  if (verdict.length) lines.push(clip(verdict.join('\n'), VERDICT_TEXT));
  return lines.length ? [section(lines.join('\n'))] : [];
}
