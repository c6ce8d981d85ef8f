/** A plan as every prompt and approval shows it: what will happen, to which targets, where, and how risky. */
import type { types } from '@slack/bolt';
import type { PlanSummary } from '../core.ts';
import {
  type Block,
  button,
  clip,
  code,
  context,
  esc,
  fitLines,
  inline,
  section,
  stateEmoji,
  strong,
} from './common.ts';
import { ACTION } from './ids.ts';
import { priceBlocks } from './price.ts';

const RISK_BADGE: Record<PlanSummary['risk'], string> = {
  read: ':mag: read',
  write: ':pencil2: write',
  sensitive: ':warning: sensitive',
  destructive: ':rotating_light: destructive',
};

/** Room for the target list in a message; the rest is one click away ("All 100 targets"). */
const TARGETS_TEXT = 2500;
const SUMMARY_TEXT = 1200;
const TAGS_SHOWN = 3;
/** Targets per page when they are listed on their own. */
export const TARGETS_PAGE = 25;

/**
 * `seeAll` is what the "All N targets" button carries (see targetsValue) when the list does not fit; without it
 * (modals) the count of the others is shown.
 */
export function planBlocks(plan: PlanSummary, seeAll?: string): Block[] {
  // Core's summaries already say so for irreversible plans; say it only where one does not.
  const warn = plan.irreversible && !/cannot be undone/i.test(plan.summary) ? '\n*This cannot be undone.*' : '';
  const blocks: Block[] = [section(`${clip(esc(plan.summary), SUMMARY_TEXT)}${warn}`)];
  if (plan.targets.length) {
    const fit = fitLines(plan.targets.map(targetLine), TARGETS_TEXT, seeAll ? '(see all targets below)' : '');
    blocks.push(section(fit.text));
    if (fit.more && seeAll)
      blocks.push({
        type: 'actions',
        elements: [button(`All ${plan.targets.length} targets`, ACTION.targets, targetsValue(seeAll, 0))],
      });
  }
  blocks.push(...priceBlocks(plan));
  blocks.push(
    context(
      RISK_BADGE[plan.risk],
      `region ${code(plan.region)}`,
      `${inline(plan.service)}:${inline(plan.action)}`,
      `command ${code(plan.command, 300)}`,
    ),
  );
  return blocks;
}

export function targetLine(t: PlanSummary['targets'][number]): string {
  const entries = Object.entries(t.tags);
  const tags = entries
    .slice(0, TAGS_SHOWN)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const moreTags = entries.length > TAGS_SHOWN ? ` +${entries.length - TAGS_SHOWN} tags` : '';
  const parts = [t.state ? inline(t.state) : '', t.type ? inline(t.type) : '', tags ? inline(tags) + moreTags : ''];
  const facts = parts.filter(Boolean).join(' · ');
  return `${stateEmoji(t.state)} ${t.name ? `${strong(t.name)} ` : ''}${code(t.id)}${facts ? ` · ${facts}` : ''}`;
}

/** What the "All targets" button carries: where the plan is (`approval:<id>` or `plan:<id>`) and the offset. */
export function targetsValue(where: string, offset: number): string {
  return `${where}@${offset}`;
}

export function parseTargetsValue(value: string): { where: string; offset: number } {
  const at = value.lastIndexOf('@');
  return { where: value.slice(0, at), offset: Math.max(0, Number(value.slice(at + 1)) || 0) };
}

/** One page of a plan's targets, every tag shown, with buttons to the other pages. */
export function renderTargets(plan: PlanSummary, where: string, offset: number): { text: string; blocks: Block[] } {
  const page = plan.targets.slice(offset, offset + TARGETS_PAGE);
  const lines = page.map((t) => {
    const tags = Object.entries(t.tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `${targetLine({ ...t, tags: {} })}${tags ? `\n      ${inline(tags)}` : ''}`;
  });
  // Several sections, so a page holds more than one section's 3,000 characters, within the message's total.
  const sections: string[] = [];
  let used = 0;
  let shown = 0;
  for (const raw of lines) {
    const line = clip(raw, 1500);
    if (used + line.length > 9000) break;
    const last = sections.length - 1;
    if (last >= 0 && sections[last]!.length + line.length + 1 <= 2900) sections[last] += `\n${line}`;
    else sections.push(line);
    used += line.length + 1;
    shown++;
  }
  const blocks: Block[] = [section(`Targets of: ${clip(esc(plan.summary), 500)}`)];
  blocks.push(...(sections.length ? sections.map((t) => section(t)) : [section('_No targets._')]));
  const buttons: types.Button[] = [];
  if (offset > 0)
    buttons.push(
      button('◂ Previous', `${ACTION.targets}_prev`, targetsValue(where, Math.max(0, offset - TARGETS_PAGE))),
    );
  const next = offset + shown;
  if (next < plan.targets.length) buttons.push(button('Next ▸', `${ACTION.targets}_next`, targetsValue(where, next)));
  const range = `Targets ${offset + 1}–${offset + shown} of ${plan.targets.length}`;
  blocks.push(context(range));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return { text: range, blocks };
}

/** "Stop", "Terminate": the verb of the command, for button labels. */
export function planVerb(plan: PlanSummary): string {
  const words = plan.command.trim().split(/\s+/);
  const verb = words[0] === 'call' ? plan.action : (words[1] ?? plan.action);
  return verb.charAt(0).toUpperCase() + verb.slice(1).replace(/-/g, ' ');
}
