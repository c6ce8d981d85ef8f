/** A plan as every prompt and approval shows it: what will happen, to which targets, where, and how risky. */
import type { PlanSummary } from '../core.ts';
import { type Block, code, context, esc, section, stateEmoji } from './common.ts';

const RISK_BADGE: Record<PlanSummary['risk'], string> = {
  read: ':mag: read',
  write: ':pencil2: write',
  sensitive: ':warning: sensitive',
  destructive: ':rotating_light: destructive',
};

const MAX_TARGETS = 10;

export function planBlocks(plan: PlanSummary): Block[] {
  // Core's summaries already say so for irreversible plans; say it only where one does not.
  const warn = plan.irreversible && !/cannot be undone/i.test(plan.summary) ? '\n*This cannot be undone.*' : '';
  const blocks: Block[] = [section(`${esc(plan.summary)}${warn}`)];
  if (plan.targets.length) blocks.push(section(targetLines(plan)));
  blocks.push(
    context(
      RISK_BADGE[plan.risk],
      `region ${code(plan.region)}`,
      `${esc(plan.service)}:${esc(plan.action)}`,
      `command ${code(plan.command)}`,
    ),
  );
  return blocks;
}

function targetLines(plan: PlanSummary): string {
  const lines = plan.targets.slice(0, MAX_TARGETS).map((t) => {
    const tags = Object.entries(t.tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const parts = [t.state ? esc(t.state) : '', t.type ? esc(t.type) : '', tags ? esc(tags) : ''].filter(Boolean);
    return `${stateEmoji(t.state)} ${t.name ? `*${esc(t.name)}* ` : ''}${code(t.id)}${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
  });
  if (plan.targets.length > MAX_TARGETS) lines.push(`…and ${plan.targets.length - MAX_TARGETS} more`);
  return lines.join('\n');
}

/** "Stop", "Terminate": the verb of the command, for button labels. */
export function planVerb(plan: PlanSummary): string {
  const words = plan.command.trim().split(/\s+/);
  const verb = words[0] === 'call' ? plan.action : (words[1] ?? plan.action);
  return verb.charAt(0).toUpperCase() + verb.slice(1).replace(/-/g, ' ');
}
