/**
 * Outcomes as terminal text (tables, plans, results) or JSON for scripts. Every value from the cloud or a user
 * goes through `inert` (cells do in `table`): what a person confirms reads exactly as what will run.
 */
import type { ApprovalSummary, Outcome, PlanSummary, ProgressEvent, TargetResult } from '@tceops/core';
import { approvalHeadline } from '@tceops/core/commands/present.ts';
import { inert } from '@tceops/core/inert.ts';
import { priceText } from '@tceops/core/plan/hash.ts';
import { type Io, json, table } from './output.ts';

export function planText(plan: PlanSummary): string {
  const lines = [
    inert(plan.summary),
    inert(`  action: ${plan.service}:${plan.action}   risk: ${plan.risk}   region: ${plan.region}`),
  ];
  // TCE's messages are text from the cloud: made inert like everything else shown on a terminal.
  if (plan.price)
    lines.push(inert(`  price: ${priceText(plan.price)}${plan.price.source ? ` (${plan.price.source})` : ''}`));
  for (const check of plan.verdict ?? []) lines.push(inert(`  TCE: ${check.detail}`));
  if (plan.targets.length) {
    lines.push(
      table(
        plan.targets.map((t) => ({
          id: t.id,
          name: t.name ?? '',
          state: t.state ?? '',
          type: t.type ?? '',
          tags: Object.entries(t.tags)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        })),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  lines.push(`  plan ${plan.hash.slice(0, 12)}`);
  return lines.join('\n');
}

export function approvalText(approval: ApprovalSummary): string {
  const who = approval.eligible.includes('*')
    ? 'anyone but the requester'
    : approval.eligible.length
      ? approval.eligible.join(', ')
      : 'nobody yet (see the policy)';
  return [
    inert(
      `Approval ${approval.id}: ${approval.state} (${approval.approvers.length} of ${approval.needed} approvals; by ${who}; expires ${approval.expiresAt})`,
    ),
    planText(approval.plan),
    approval.reason ? `  reason: ${inert(approval.reason)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function resultsText(results: TargetResult[]): string {
  return table(
    results.map((r) => ({
      target: r.id,
      result: r.ok ? 'ok' : `failed: ${r.code ?? ''} ${r.message ?? ''}`.trim(),
      requestId: r.requestId ?? '',
    })),
  );
}

export function progressText(event: ProgressEvent): string {
  return `  … ${inert(event.message)}${event.done ? ' ✓' : ''}`;
}

/** Print an outcome; returns the exit code it stands for. Confirm and secret outcomes are handled by the caller. */
export function renderOutcome(outcome: Outcome, io: Io, format: 'json' | 'table'): number {
  if (format === 'json') {
    if (outcome.kind === 'error') {
      io.err(json({ error: { kind: outcome.error.kind, message: outcome.error.message } }));
      return outcome.error.exitCode;
    }
    io.out(json(outcome.kind === 'table' ? { ...outcome.view } : outcome));
    return outcome.kind === 'result' && outcome.results.some((r) => !r.ok) ? 1 : outcome.kind === 'denied' ? 1 : 0;
  }
  switch (outcome.kind) {
    case 'table': {
      const { view } = outcome;
      const more =
        view.nextOffset !== undefined
          ? `\n(${view.rows.length} of ${view.total ?? '?'}; next page: --offset ${view.nextOffset})`
          : view.total !== undefined
            ? `\n(${view.total} in all)`
            : '';
      io.out(`${inert(view.title)}\n${table(view.rows, view.columns)}${more}`);
      return 0;
    }
    case 'detail':
      io.out(`${inert(outcome.title)}\n${json(outcome.item)}`);
      return 0;
    case 'text':
      io.out(inert(outcome.text, { multiline: true }));
      return 0;
    case 'dry-run':
      io.out(`Dry run, nothing changed.\n${planText(outcome.plan)}\n  policy: ${outcome.decision}`);
      return 0;
    case 'approval': {
      // Say what actually happened: queued, ran, or ended without running (stale, cancelled, denied, failed).
      io.out(`${inert(approvalHeadline(outcome.approval))}\n${approvalText(outcome.approval)}`);
      return ['failed', 'denied', 'stale', 'expired'].includes(outcome.approval.state) ? 1 : 0;
    }
    case 'result': {
      const failed = outcome.results.filter((r) => !r.ok).length;
      io.out(
        `${inert(outcome.plan.summary.split(': ')[0]!.replace(/\.$/, ''))}: ${outcome.results.length - failed} ok, ${failed} failed
${resultsText(outcome.results)}`,
      );
      // A call's response is the requester's to see (a new key pair's private key is only ever in it).
      for (const response of outcome.responses ?? []) io.out(json(response));
      return failed ? 1 : 0;
    }
    case 'denied':
      io.err(
        `Denied: ${inert(outcome.reason, { multiline: true })}${outcome.plan ? `\n${planText(outcome.plan)}` : ''}`,
      );
      return 1;
    case 'error':
      io.err(`Error: ${inert(outcome.error.message, { multiline: true })}`);
      return outcome.error.exitCode;
    case 'confirm':
    case 'secret':
      io.err('this command needs an answer from you: run it in a terminal, or add --yes');
      return 2;
  }
}
