/**
 * The approval message, for every state an approval goes through: the plan, who asked, who may decide, N-of-M
 * progress, time left, and — once decided — who decided, progress, and the result with RequestIds.
 * Buttons only while it is pending; the engine decides who may press them.
 */
import type { ApprovalState, ApprovalSummary, ProgressEvent } from '../core.ts';
import {
  type Block,
  button,
  code,
  context,
  esc,
  header,
  type Message,
  section,
  slackDate,
  timeLeft,
} from './common.ts';
import { ACTION } from './ids.ts';
import { planBlocks, planVerb } from './plan.ts';
import { progressLines } from './progress.ts';
import { resultLines } from './result.ts';

const STATE_LINE: Record<ApprovalState, string> = {
  pending: ':hourglass: Approval needed',
  approved: ':white_check_mark: Approved',
  executing: ':gear: Approved: running',
  succeeded: ':white_check_mark: Approved and done',
  failed: ':x: Approved, but it failed',
  denied: ':no_entry: Denied',
  expired: ':alarm_clock: Expired: nobody decided in time',
  cancelled: ':heavy_multiplication_x: Cancelled by the requester',
  stale: ':warning: Stale: the targets changed since the request, so nothing was run',
};

export const FINAL_STATES: readonly ApprovalState[] = [
  'succeeded',
  'failed',
  'denied',
  'expired',
  'cancelled',
  'stale',
];

/** A policy names approvers as Slack user IDs, user-group IDs or role names: mention what Slack can mention. */
export function mention(who: string): string {
  if (who === '*') return 'anyone';
  if (/^[UW][A-Z0-9]{2,}$/.test(who)) return `<@${who}>`;
  if (/^S[A-Z0-9]{2,}$/.test(who)) return `<!subteam^${who}>`;
  return esc(who);
}

export function renderApproval(a: ApprovalSummary, progress: readonly ProgressEvent[] = [], now = Date.now()): Message {
  const blocks: Block[] = [
    header(`${STATE_LINE[a.state].replace(/^:[a-z_]+: /, '')}: ${planVerb(a.plan)}`),
    section(`${STATE_LINE[a.state].split(' ')[0]} Requested by ${mention(a.requester)}`),
    ...planBlocks(a.plan),
  ];
  const approvals = `Approvals: *${a.approvers.length} of ${a.needed}*${a.approvers.length ? ` (${a.approvers.map(mention).join(', ')})` : ''}`;
  const decidedBy = a.state === 'denied' && a.reason ? `Reason: ${esc(a.reason)}` : '';
  const facts = [approvals];
  if (a.state === 'pending') {
    facts.push(
      `May approve: ${a.eligible.length ? a.eligible.map(mention).join(', ') : 'anyone the policy allows'} (not the requester)`,
    );
    facts.push(`Expires ${slackDate(a.expiresAt)} (${timeLeft(a.expiresAt, now)})`);
  }
  if (decidedBy) facts.push(decidedBy);
  blocks.push(section(facts.join('\n')));
  if (a.state === 'executing' && progress.length) blocks.push(section(progressLines(progress)));
  if (a.results?.length) blocks.push(section(resultLines(a.results)));
  if (FINAL_STATES.includes(a.state) && progress.length && a.state !== 'stale')
    blocks.push(section(progressLines(progress)));
  blocks.push(context(`Approval ${code(a.id)}`));
  if (a.state === 'pending') {
    blocks.push({
      type: 'actions',
      elements: [
        button('Approve', ACTION.approve, a.id, 'primary', {
          title: { type: 'plain_text', text: 'Approve?' },
          text: { type: 'mrkdwn', text: `${esc(a.plan.summary)}`.slice(0, 300) },
          confirm: { type: 'plain_text', text: 'Approve' },
          deny: { type: 'plain_text', text: 'Not yet' },
        }),
        button('Deny', ACTION.deny, a.id, 'danger'),
        button('Cancel request', ACTION.cancelApproval, a.id),
      ],
    });
  }
  return { text: `${STATE_LINE[a.state].replace(/^:[a-z_]+: /, '')}: ${a.plan.summary}`, blocks };
}

/** What the requester sees privately when their command was queued. */
export function renderPendingNotice(a: ApprovalSummary, channel: string): Message {
  const text = `:hourglass: Your request needs ${a.needed} approval${a.needed > 1 ? 's' : ''} by someone else. It was posted in <#${channel}> and expires ${slackDate(a.expiresAt)} (${timeLeft(a.expiresAt)}).`;
  return {
    text: `Approval requested: ${a.plan.summary}`,
    blocks: [section(text), ...planBlocks(a.plan), context(`Approval ${code(a.id)}`)],
  };
}

/** A line in the approval's thread when it is decided, so the requester hears about it. */
export function renderFinalNotice(a: ApprovalSummary): string {
  return `${mention(a.requester)} ${STATE_LINE[a.state]}: ${esc(a.plan.summary)}`;
}
