/**
 * The approval message, for every state an approval goes through: the plan, who asked, who may decide, N-of-M
 * progress, time left, and — once decided — who decided, progress, and the result with RequestIds.
 * Buttons only while it is pending; the engine decides who may press them.
 */
import { type ApprovalState, type ApprovalSummary, type ProgressEvent, TERMINAL_STATES } from '../core.ts';
import {
  type Block,
  button,
  clip,
  code,
  confirmDialog,
  context,
  esc,
  header,
  inline,
  type Message,
  section,
  slackDate,
  timeLeft,
} from './common.ts';
import { ACTION } from './ids.ts';
import { planBlocks, planVerb } from './plan.ts';
import { progressLines } from './progress.ts';
import { resultBlocks } from './result.ts';

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

/** Where a request ends (core's TERMINAL_STATES). */
export const FINAL_STATES = TERMINAL_STATES;

/** A policy names approvers as Slack user IDs, user-group IDs or role names: mention what Slack can mention. */
export function mention(who: string): string {
  if (who === '*') return 'anyone';
  if (/^[UW][A-Z0-9]{2,}$/.test(who)) return `<@${who}>`;
  if (/^S[A-Z0-9]{2,}$/.test(who)) return `<!subteam^${who}>`;
  return inline(who);
}

/** At most this many people named in one line (approvers, who may approve); the rest are counted. */
const NAMES = 10;

function people(list: readonly string[]): string {
  const shown = list.slice(0, NAMES).map(mention).join(', ');
  return list.length > NAMES ? `${shown} and ${list.length - NAMES} more` : shown;
}

/** The dialog every Approve button opens, in the channel and in App Home alike. */
export function approveButton(a: ApprovalSummary): ReturnType<typeof button> {
  return button(
    'Approve',
    ACTION.approve,
    a.id,
    'primary',
    confirmDialog(
      `Approve: ${planVerb(a.plan)}?`,
      `${esc(a.plan.summary)}\nRequested by ${mention(a.requester)}. It runs as soon as ${a.needed} approval${a.needed > 1 ? 's are' : ' is'} in.`,
      'Approve',
      'Not yet',
      a.plan.risk === 'destructive',
    ),
  );
}

export function renderApproval(a: ApprovalSummary, progress: readonly ProgressEvent[] = [], now = Date.now()): Message {
  const headline = `${STATE_LINE[a.state].replace(/^:[a-z_]+: /, '')}: ${planVerb(a.plan)}`;
  const blocks: Block[] = [
    header(headline),
    section(`${STATE_LINE[a.state].split(' ')[0]} Requested by ${mention(a.requester)}`),
    ...planBlocks(a.plan, `approval:${a.id}`),
  ];
  const approvals = `Approvals: *${a.approvers.length} of ${a.needed}*${a.approvers.length ? ` (${people(a.approvers)})` : ''}`;
  const decidedBy = a.state === 'denied' && a.reason ? `Reason: ${clip(esc(a.reason), 600)}` : '';
  const facts = [approvals];
  if (a.state === 'pending') {
    facts.push(
      `May approve: ${a.eligible.length ? people(a.eligible) : 'anyone the policy allows'} (not the requester)`,
    );
    facts.push(`Expires ${slackDate(a.expiresAt)} (${timeLeft(a.expiresAt, now)})`);
  }
  if (decidedBy) facts.push(decidedBy);
  blocks.push(section(facts.join('\n')));
  if (a.results?.length) blocks.push(...resultBlocks(a.results, 2000, `approval:${a.id}`));
  if (progress.length && a.state !== 'stale' && (a.state === 'executing' || FINAL_STATES.includes(a.state)))
    blocks.push(section(progressLines(progress, 2000)));
  blocks.push(context(`Approval ${code(a.id)}`));
  if (a.state === 'pending') {
    blocks.push({
      type: 'actions',
      elements: [
        approveButton(a),
        button('Deny', ACTION.deny, a.id, 'danger'),
        button('Cancel request', ACTION.cancelApproval, a.id),
      ],
    });
  }
  return { text: `${STATE_LINE[a.state].replace(/^:[a-z_]+: /, '')}: ${clip(esc(a.plan.summary), 1000)}`, blocks };
}

/** What the requester sees privately when their command was queued. */
export function renderPendingNotice(a: ApprovalSummary, channel: string): Message {
  const text = `:hourglass: Your request needs ${a.needed} approval${a.needed > 1 ? 's' : ''} by someone else. It was posted in ${where(channel)} and expires ${slackDate(a.expiresAt)} (${timeLeft(a.expiresAt)}).`;
  return {
    text: `Approval requested: ${clip(esc(a.plan.summary), 1000)}`,
    blocks: [section(text), ...planBlocks(a.plan, `approval:${a.id}`), context(`Approval ${code(a.id)}`)],
  };
}

/** A line in the approval's thread when it is decided, so the requester hears about it. */
export function renderFinalNotice(a: ApprovalSummary): string {
  return `${mention(a.requester)} ${STATE_LINE[a.state]}: ${clip(esc(a.plan.summary), 1000)}`;
}

/** A channel as a link; a DM (D…) or the user's own ID is "your direct messages with the app", not "<#D…>". */
export function where(channel: string): string {
  if (/^[CG][A-Z0-9]+$/.test(channel)) return `<#${channel}>`;
  if (/^[DUW][A-Z0-9]+$/.test(channel)) return 'your direct messages with the app';
  return code(channel);
}
