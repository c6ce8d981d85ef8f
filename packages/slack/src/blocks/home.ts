/** App Home: approvals waiting for this user, their recent requests, and the regions the bot is configured for. */
import type { types } from '@slack/bolt';
import type { ApprovalSummary } from '../core.ts';
import { type Block, button, capBlocks, code, context, esc, header, section, slackDate, timeLeft } from './common.ts';
import { ACTION } from './ids.ts';
import { mention } from './approval.ts';

export interface HomeData {
  userId: string;
  waiting: ApprovalSummary[];
  mine: ApprovalSummary[];
  regions: string[];
  /** Shown when a part could not be loaded, instead of failing the whole page. */
  problems?: string[];
}

const MAX_EACH = 10;

export function homeView(data: HomeData): types.HomeView {
  const blocks: Block[] = [header('tceops'), section('Run `/tce help` in any channel for the commands.')];
  blocks.push(header('Waiting for your approval'));
  if (data.waiting.length === 0) blocks.push(context('Nothing is waiting for you.'));
  for (const a of data.waiting.slice(0, MAX_EACH)) {
    blocks.push(
      section(
        `*${esc(a.plan.summary)}*\nRequested by ${mention(a.requester)} · ${a.approvers.length} of ${a.needed} approvals · expires ${slackDate(a.expiresAt)} (${timeLeft(a.expiresAt)})`,
      ),
      {
        type: 'actions',
        elements: [button('Approve', ACTION.approve, a.id, 'primary'), button('Deny', ACTION.deny, a.id, 'danger')],
      },
    );
  }
  blocks.push(header('Your recent requests'));
  if (data.mine.length === 0) blocks.push(context('You have no approval requests.'));
  for (const a of data.mine.slice(0, MAX_EACH)) {
    blocks.push(section(`*${esc(a.state)}* · ${esc(a.plan.summary)} · ${code(a.id)}`));
  }
  blocks.push(header('Regions'));
  blocks.push(section(data.regions.length ? data.regions.map(code).join(' ') : '_No regions configured._'));
  if (data.problems?.length) blocks.push(context(...data.problems.map((p) => `:warning: ${esc(p)}`)));
  return { type: 'home', blocks: capBlocks(blocks, 'more not shown') };
}
