/**
 * How an approval request looks in the Approvals view: a short label, the state in words, a tooltip with the
 * whole plan, and the contextValue its menus match. Plain data, tested without VS Code.
 */
import { inert } from '@tceops/core';
import { approversText } from '../actions/outcome-text.ts';
import type { ApprovalSummary } from '../engine-port.ts';
import { md } from '../tree/present.ts';

export const FINAL_STATES = ['succeeded', 'failed', 'denied', 'expired', 'cancelled', 'stale'];

export function isFinal(state: string): boolean {
  return FINAL_STATES.includes(state);
}

const ICONS: Record<string, { icon: string; color?: string }> = {
  pending: { icon: 'clock', color: 'charts.yellow' },
  approved: { icon: 'check', color: 'charts.green' },
  executing: { icon: 'loading~spin', color: 'charts.blue' },
  succeeded: { icon: 'pass-filled', color: 'charts.green' },
  failed: { icon: 'error', color: 'charts.red' },
  denied: { icon: 'circle-slash', color: 'charts.red' },
  expired: { icon: 'watch', color: 'disabledForeground' },
  cancelled: { icon: 'close', color: 'disabledForeground' },
  stale: { icon: 'warning', color: 'charts.orange' },
};

export interface ApprovalLook {
  label: string;
  description: string;
  icon: string;
  color?: string;
  contextValue: string;
  tooltip: string;
  accessibility: string;
}

/** "Terminate 1 instance in ap-beijing: dev-2 (…). This cannot be undone." → "Terminate 1 instance in ap-beijing". */
export function shortSummary(summary: string): string {
  const head = summary.split(/: |\. /)[0] ?? summary;
  return head.replace(/\.$/, '');
}

export function approvalLook(a: ApprovalSummary, mine: boolean): ApprovalLook {
  const icon = ICONS[a.state] ?? { icon: 'question' };
  const targets = a.plan.targets.map((t) => t.name || t.id).join(', ');
  const votes = `${a.approvers.length}/${a.needed} approved`;
  const state = a.state.toUpperCase();
  // From the store or a server: written out inert (no control or invisible characters in a row).
  const label = inert(`${shortSummary(a.plan.summary)}${targets ? `: ${targets}` : ''}`);
  const failed = (a.results ?? []).filter((r) => !r.ok);
  const lines = [
    `**${md(a.plan.summary)}**`,
    '',
    `State: \`${state}\`  `,
    `Request: \`${a.id}\` by \`${a.requester}\`  `,
    `Needs: ${md(approversText(a))}; ${md(votes)}${a.approvers.length ? ` (${md(a.approvers.join(', '))})` : ''}  `,
    `Command: \`${a.plan.command.replace(/`/g, "'")}\`  `,
    `Expires: ${md(a.expiresAt)}  `,
    ...(a.reason ? [`Reason: ${md(a.reason)}  `] : []),
    ...failed.map((r) => `Failed: \`${r.id}\` ${md(`${r.code ?? ''} ${r.message ?? ''}`.trim())}  `),
  ];
  return {
    label,
    description: inert([state, a.state === 'pending' ? votes : '', a.id].filter(Boolean).join(' · ')),
    icon: icon.icon,
    color: icon.color,
    contextValue: `tceops.approval.${a.state}.${mine ? 'mine' : 'decide'}`,
    tooltip: lines.join('\n'),
    accessibility: `Approval request ${a.id}, ${state}: ${a.plan.summary}${a.state === 'pending' ? ` ${votes}` : ''}`,
  };
}

/** The end of a request raised here, for a notification: "Request apr-1 (Terminate …) SUCCEEDED." */
export function finalText(a: ApprovalSummary): string {
  const by = a.approvers.length ? `, approved by ${a.approvers.join(', ')}` : '';
  const why = a.reason ? ` (${a.reason})` : '';
  const failed = (a.results ?? []).filter((r) => !r.ok);
  const detail = failed.length ? `: ${failed.map((r) => `${r.id} ${r.code ?? 'failed'}`).join(', ')}` : '';
  return `Request ${a.id} (${shortSummary(a.plan.summary)}) ${a.state.toUpperCase()}${by}${why}${detail}.`;
}

/** What an approver types to approve a destructive plan: the target IDs, as for a typed confirmation. */
export function typedApproval(a: ApprovalSummary): string {
  const ids = a.plan.targets.map((t) => t.id);
  return ids.length > 0 && ids.length <= 3 ? ids.join(' ') : a.id;
}
