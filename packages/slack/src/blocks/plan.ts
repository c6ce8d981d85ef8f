/** A plan as every prompt and approval shows it: what will happen, to which targets, where, and how risky. */
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
  linesPage,
  type Message,
  PAGE_ITEMS,
  pageValue,
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

/**
 * `seeAll` is what the "All N targets" button carries (see pageValue) when the list does not fit; without it
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
        elements: [button(`All ${plan.targets.length} targets`, ACTION.targets, pageValue(seeAll, 0))],
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

/** One page of a plan's targets, every tag shown, with buttons to the other pages. */
export function renderTargets(plan: PlanSummary, where: string, offset: number): Message {
  const lines = plan.targets.slice(offset, offset + PAGE_ITEMS).map((t) => {
    const tags = Object.entries(t.tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return `${targetLine({ ...t, tags: {} })}${tags ? `\n      ${inline(tags)}` : ''}`;
  });
  return linesPage({
    heading: `Targets of: ${clip(esc(plan.summary), 500)}`,
    noun: 'Targets',
    lines,
    offset,
    total: plan.targets.length,
    actionId: ACTION.targets,
    valueAt: (o) => pageValue(where, o),
  });
}

/** "Stop", "Terminate": the verb of the command, for button labels. */
export function planVerb(plan: PlanSummary): string {
  const words = plan.command.trim().split(/\s+/);
  const verb = words[0] === 'call' ? plan.action : (words[1] ?? plan.action);
  return verb.charAt(0).toUpperCase() + verb.slice(1).replace(/-/g, ' ');
}
