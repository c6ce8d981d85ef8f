/**
 * From the pipeline's Outcome to what the user sees. The policy decides how to ask; this only asks that way:
 * confirm(click) → a modal with the action's button; confirm(typed) → type the ID; secret → a password box;
 * approval → "needs approval" with the /tce command to copy. Results and errors go to a notification and the log.
 */
import * as vscode from 'vscode';
import type {
  ApprovalSummary,
  CommandContext,
  EnginePort,
  FailureLike,
  Outcome,
  PlanSummary,
  TargetResult,
} from '../engine-port.ts';
import type { Log } from '../log.ts';
import { registerSecret } from '../redact.ts';
import { approversText } from './outcome-text.ts';
import type { Prompts } from '../ui/prompts.ts';
import { priceText } from '@tceops/core/plan/hash.ts';

/** Where an action ended, for the caller (and tests). */
export type Settled =
  | { kind: 'done'; plan: PlanSummary; results: TargetResult[] }
  | { kind: 'cancelled' }
  | { kind: 'approval'; id: string }
  | { kind: 'denied'; reason: string }
  | { kind: 'error'; error: FailureLike }
  | { kind: 'info'; text: string };

export interface SettleContext {
  engine: EnginePort;
  ctx: CommandContext;
  ui: Prompts;
  log: Log;
  /** The action's word for the button and messages: "Stop", "Terminate". */
  title: string;
  progress<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** The caller follows the targets to their end state and reports it: no "done" notice here. */
  follows?: boolean;
  /** A request for approval was raised: the Approvals view tracks it until it ends. */
  onApproval?(approval: ApprovalSummary): void;
  /** Signed in to a tceops server (its URL): the server posts approval requests in Slack. */
  server?: string;
}

export async function settle(first: Outcome, c: SettleContext): Promise<Settled> {
  let outcome = first;
  for (;;) {
    if (outcome.kind === 'confirm') {
      const { plan } = outcome;
      const asked =
        outcome.level === 'typed'
          ? await c.ui.typed(`${c.title}: type to confirm`, typedPrompt(plan, outcome.expected!), outcome.expected!)
          : await c.ui.confirm(plan.summary, detail(plan), c.title);
      if (!asked) {
        c.log.line(`cancelled at the confirmation: ${plan.command}`);
        return { kind: 'cancelled' };
      }
      const input = outcome.level === 'typed' ? { typed: outcome.expected } : undefined;
      const planId = outcome.planId;
      outcome = await c.progress(`${c.title}…`, () => c.engine.confirm(planId, c.ctx, input));
      continue;
    }
    if (outcome.kind === 'secret') {
      const password = await askPassword(c.ui, outcome.plan);
      if (password === undefined) {
        c.log.line(`cancelled at the password prompt (${outcome.plan.command})`);
        return { kind: 'cancelled' };
      }
      registerSecret(password);
      const planId = outcome.planId;
      outcome = await c.progress(`${c.title}…`, () => c.engine.confirm(planId, c.ctx, { password }));
      continue;
    }
    return present(outcome, c);
  }
}

function typedPrompt(plan: PlanSummary, expected: string): string {
  // The core's summary already ends "This cannot be undone." when the plan is irreversible.
  const undone = plan.irreversible && !/cannot be undone\.?$/.test(plan.summary) ? ' This cannot be undone.' : '';
  return `${plan.summary}${undone} Type ${expected} to confirm.`;
}

function detail(plan: PlanSummary): string {
  const targets = plan.targets.map((t) => `• ${t.name ? `${t.name} ` : ''}(${t.id})${t.state ? ` — ${t.state}` : ''}`);
  // The price and TCE's verdict, as every surface shows them before a confirmation.
  const price = plan.price ? [`Price: ${priceText(plan.price)}`] : [];
  const verdict = (plan.verdict ?? []).map((v) => `TCE: ${v.detail}`);
  return [...targets, '', ...price, ...verdict, `Region: ${plan.region}`, `Command: ${plan.command}`].join('\n');
}

async function askPassword(ui: Prompts, plan: PlanSummary): Promise<string | undefined> {
  const target = plan.targets.map((t) => t.name ?? t.id).join(', ');
  const password = await ui.secret(`Reset the password of ${target}`, 'New password (8 to 30 characters)', (v) =>
    v.length < 8 || v.length > 30 ? 'The password must be 8 to 30 characters long' : undefined,
  );
  if (password === undefined) return undefined;
  const again = await ui.secret('Confirm the new password', 'Type the same password again', (v) =>
    v === password ? undefined : 'The passwords differ',
  );
  return again === password ? password : undefined;
}

function failureText(error: FailureLike): string {
  const code = error.code ? `${error.code}: ` : '';
  const text = error.message.startsWith(code) ? error.message : `${code}${error.message}`;
  return `${text}${error.requestId && !text.includes(error.requestId) ? ` (RequestId ${error.requestId})` : ''}`;
}

/** The text to paste after /tce in Slack for the same plan. */
export function slashCommand(plan: PlanSummary): string {
  const region = /(^|\s)--region(\s|=)/.test(plan.command) || !plan.region ? '' : ` --region ${plan.region}`;
  return `/tce ${plan.command}${region}`;
}

async function present(outcome: Outcome, c: SettleContext): Promise<Settled> {
  switch (outcome.kind) {
    case 'result': {
      const names = new Map(outcome.plan.targets.map((t) => [t.id, t.name ? `${t.name} (${t.id})` : t.id]));
      for (const r of outcome.results) {
        c.log.line(
          `${outcome.plan.command}: ${names.get(r.id) ?? r.id} ${r.ok ? 'ok' : `failed: ${r.code ?? ''} ${r.message ?? ''}`.trim()}${r.requestId ? ` RequestId ${r.requestId}` : ''}`,
        );
      }
      const failed = outcome.results.filter((r) => !r.ok);
      const ok = outcome.results.filter((r) => r.ok);
      // Instance changes are followed until they settle, and that end state is what the user is told
      // (run.ts); anything else is done once TCE accepted it.
      if (ok.length && !c.follows)
        void vscode.window.showInformationMessage(
          `${c.title}: ${ok.map((r) => names.get(r.id) ?? r.id).join(', ')} — done.`,
        );
      if (failed.length) {
        const lines = failed.map(
          (r) =>
            `${names.get(r.id) ?? r.id}: ${failureText({ message: r.message ?? 'failed', code: r.code, requestId: r.requestId })}`,
        );
        void showError(`${c.title} failed for ${lines.join('; ')}`, c.log);
      }
      return { kind: 'done', plan: outcome.plan, results: outcome.results };
    }
    case 'error': {
      c.log.line(`error: ${failureText(outcome.error)}`);
      void showError(failureText(outcome.error), c.log);
      return { kind: 'error', error: outcome.error };
    }
    case 'approval': {
      const a = outcome.approval;
      const command = slashCommand(a.plan);
      c.log.line(`approval ${a.id} requested, needs ${approversText(a)}: ${a.plan.summary} (${command})`);
      c.onApproval?.(a);
      // The request stays in the Approvals view until it ends; this notice only points there.
      const where = c.server
        ? `the tceops server posted it in Slack, where approvers decide it`
        : `approvers decide with "approve ${a.id}" wherever tceops shares this store (tceops.store)`;
      void vscode.window
        .showInformationMessage(
          `${a.plan.summary} It needs ${approversText(a)}: request ${a.id} is pending in the Approvals view until it is decided; ${where}.`,
          'Show Approvals',
          'Copy /tce command',
        )
        .then(async (choice) => {
          if (choice === 'Copy /tce command') await vscode.env.clipboard.writeText(command);
          if (choice === 'Show Approvals') await vscode.commands.executeCommand('tceops.approvals.focus');
        });
      return { kind: 'approval', id: a.id };
    }
    case 'denied': {
      c.log.line(`denied: ${outcome.reason}${outcome.plan ? ` — ${outcome.plan.command}` : ''}`);
      void vscode.window.showErrorMessage(`Not allowed: ${outcome.reason}`);
      return { kind: 'denied', reason: outcome.reason };
    }
    case 'text':
      void vscode.window.showInformationMessage(outcome.text);
      return { kind: 'info', text: outcome.text };
    case 'dry-run':
      void vscode.window.showInformationMessage(`${outcome.plan.summary} (dry run: ${outcome.decision})`);
      return { kind: 'info', text: outcome.plan.summary };
    default:
      return { kind: 'info', text: outcome.kind };
  }
}

async function showError(text: string, log: Log): Promise<void> {
  const choice = await vscode.window.showErrorMessage(text, 'Show Log');
  if (choice === 'Show Log') log.show();
}

/** A thrown error as the Outcome the pipeline would have returned. */
export function errorOutcome(error: unknown): Outcome {
  const e = error as Partial<FailureLike> & { message?: string };
  return {
    kind: 'error',
    error: {
      message: e?.message ?? String(error),
      code: e?.code,
      requestId: e?.requestId,
      kind: e?.kind,
      hint: e?.hint,
    },
  };
}
