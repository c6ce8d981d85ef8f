/** App Home: approvals waiting for this user, their recent requests, and the regions the bot is configured for. */
import type { types } from '@slack/bolt';
import type { ApprovalSummary } from '../core.ts';
import { approveButton, mention } from './approval.ts';
import {
  type Block,
  button,
  capBlocks,
  clip,
  code,
  context,
  esc,
  header,
  inline,
  LIMITS,
  pager,
  section,
  slackDate,
  timeLeft,
} from './common.ts';
import { ACTION } from './ids.ts';

export interface HomeData {
  userId: string;
  waiting: ApprovalSummary[];
  mine: ApprovalSummary[];
  regions: string[];
  /** Where each list's page starts (the paging buttons carry both). */
  waitingOffset?: number;
  mineOffset?: number;
  /** Shown when a part could not be loaded, instead of failing the whole page. */
  problems?: string[];
}

export const HOME_PAGE = 10;

/** What a Home paging button carries: both lists' offsets, so paging one keeps the other where it was. */
export function homePageValue(waitingOffset: number, mineOffset: number): string {
  return `${waitingOffset},${mineOffset}`;
}

export function parseHomePageValue(value: string): { waitingOffset: number; mineOffset: number } {
  const [w, m] = value.split(',').map((n) => Math.max(0, Math.floor(Number(n)) || 0));
  return { waitingOffset: w ?? 0, mineOffset: m ?? 0 };
}

/** An offset past the end (the list shrank since the button was drawn) goes to the last page. */
function startOf(offset: number, total: number): number {
  if (offset < total) return offset;
  return Math.max(0, Math.floor((total - 1) / HOME_PAGE) * HOME_PAGE);
}

export function homeView(data: HomeData): types.HomeView {
  const w = startOf(data.waitingOffset ?? 0, data.waiting.length);
  const m = startOf(data.mineOffset ?? 0, data.mine.length);
  const blocks: Block[] = [header('tceops'), section('Run `/tce help` in any channel for the commands.')];

  blocks.push(header(`Waiting for your approval (${data.waiting.length})`));
  if (data.waiting.length === 0) blocks.push(context('Nothing is waiting for you.'));
  const waiting = data.waiting.slice(w, w + HOME_PAGE);
  for (const a of waiting) {
    blocks.push(
      section(
        `*${clip(esc(a.plan.summary), 600)}*\nRequested by ${mention(a.requester)} · ${a.approvers.length} of ${a.needed} approvals · expires ${slackDate(a.expiresAt)} (${timeLeft(a.expiresAt)}) · ${code(a.id)}`,
      ),
      // The same confirmation dialog as the request's message in the channel.
      { type: 'actions', elements: [approveButton(a), button('Deny', ACTION.deny, a.id, 'danger')] },
    );
  }
  blocks.push(
    ...pager(
      { offset: w, count: waiting.length, total: data.waiting.length },
      `${ACTION.homePage}_waiting`,
      (o) => homePageValue(o, m),
      HOME_PAGE,
    ),
  );

  blocks.push(header(`Your recent requests (${data.mine.length})`));
  if (data.mine.length === 0) blocks.push(context('You have no approval requests.'));
  const mine = data.mine.slice(m, m + HOME_PAGE);
  for (const a of mine) {
    blocks.push(section(`*${inline(a.state)}* · ${clip(esc(a.plan.summary), 600)} · ${code(a.id)}`));
  }
  blocks.push(
    ...pager(
      { offset: m, count: mine.length, total: data.mine.length },
      `${ACTION.homePage}_mine`,
      (o) => homePageValue(w, o),
      HOME_PAGE,
    ),
  );

  blocks.push(header('Regions'));
  const regions = data.regions.map((r) => code(r)).join(' ');
  blocks.push(section(regions ? clip(regions, 2900) : '_No regions configured._'));
  if (data.problems?.length) blocks.push(context(...data.problems.map((p) => `:warning: ${esc(p)}`)));
  return { type: 'home', blocks: capBlocks(blocks, 'more not shown', LIMITS.viewBlocks) };
}
