/**
 * Approve, deny or cancel a request from the Approvals view, through the same engine as Slack and the terminal
 * (it decides who may). A destructive plan is approved by typing its target IDs, as in Slack's typed dialog;
 * anything else by a modal click.
 */
import * as vscode from 'vscode';
import { listenForProgress, noticeText, type ProgressFeed } from '../actions/follow-stream.ts';
import { followFromServer } from '../actions/run.ts';
import type { ApprovalSummary, CommandContext, EnginePort, Outcome } from '../engine-port.ts';
import type { Log } from '../log.ts';
import type { ExplorerProvider } from '../tree/provider.ts';
import { stepProgress } from '../ui/progress.ts';
import type { Prompts } from '../ui/prompts.ts';
import { shortSummary, typedApproval } from './present.ts';

export type Verb = 'approve' | 'deny' | 'cancel';

export interface DecideDeps {
  engine(): Promise<EnginePort>;
  ctx: CommandContext;
  ui: Prompts;
  log: Log;
  /** The tree: through a server, the rows of a run this approval starts follow the server's stream. */
  provider?: ExplorerProvider;
  /** How long to follow such a run before reporting "still <state>" (default 10 minutes). */
  settleTimeoutMs?: number;
}

/** Ask, decide, and say what came of it. Returns the engine's outcome, or undefined when the user backed out. */
export async function decide(verb: Verb, a: ApprovalSummary, deps: DecideDeps): Promise<Outcome | undefined> {
  let reason: string | undefined;
  if (verb === 'approve') {
    const ok = a.plan.irreversible
      ? await deps.ui.typed(
          `Approve ${a.id}: type to confirm`,
          `${a.plan.summary} Requested by ${a.requester}. Type ${typedApproval(a)} to approve.`,
          typedApproval(a),
        )
      : await deps.ui.confirm(
          `Approve ${shortSummary(a.plan.summary)}?`,
          `${a.plan.summary}\n\nRequested by ${a.requester}. Command: ${a.plan.command}`,
          'Approve',
        );
    if (!ok) return undefined;
  } else if (verb === 'deny') {
    reason = await deps.ui.input(`Deny ${a.id}`, `Why? (shown to ${a.requester}; may be empty)`, {
      validate: (v) => (v.length > 200 ? 'At most 200 characters' : undefined),
    });
    if (reason === undefined) return undefined;
  } else {
    const ok = await deps.ui.confirm(`Cancel your request ${a.id}?`, a.plan.summary, 'Cancel Request');
    if (!ok) return undefined;
  }
  deps.log.line(`${deps.ctx.actor.id}: ${verb} ${a.id} (${a.plan.command})`);
  let outcome: Outcome;
  let feed: ProgressFeed | undefined;
  try {
    const engine = await deps.engine();
    // Through a server, listen before approving: a run the approval starts streams its progress on the answer.
    if (verb === 'approve' && deps.provider) feed = listenForProgress(engine);
    outcome = await stepProgress(`${capital(verb)} ${a.id}…`, () =>
      verb === 'approve'
        ? engine.approve(a.id, deps.ctx)
        : verb === 'deny'
          ? engine.deny(a.id, deps.ctx, reason || undefined)
          : engine.cancel(a.id, deps.ctx),
    );
  } catch (error) {
    outcome = { kind: 'error', error: { message: (error as Error).message } };
  }
  const followed = outcome.kind === 'result' && feed !== undefined && followRun(a, outcome, feed, deps);
  if (!followed) feed?.stop();
  // Where it ends is said when it gets there (not "done" before it); a failure is said now.
  const allOk = outcome.kind === 'result' && outcome.results.every((r) => r.ok);
  // Every part may come from a server (IDs, reasons, error text): shown inert, with no icon or link syntax.
  const text = noticeText(
    followed && allOk ? `${a.id} approved and run; its progress follows.` : describe(verb, a, outcome),
  );
  deps.log.line(text);
  if (outcome.kind === 'error' || outcome.kind === 'denied') void vscode.window.showErrorMessage(text);
  else void vscode.window.showInformationMessage(text);
  return outcome;
}

/**
 * The approval ran the request: its instance rows loaded here follow the server's stream, as the editor's own
 * runs do (run.ts), and the end is said as they reach it. False when none of its targets is shown here.
 */
function followRun(
  a: ApprovalSummary,
  ran: Extract<Outcome, { kind: 'result' }>,
  feed: ProgressFeed,
  deps: DecideDeps,
): boolean {
  const provider = deps.provider;
  if (!provider) return false;
  const ok = new Set(ran.results.filter((r) => r.ok).map((r) => r.id));
  const nodes = provider.loadedResources('instance', a.plan.region).filter((n) => ok.has(n.id));
  if (nodes.length === 0) return false;
  const actionDeps = {
    engine: deps.engine,
    actor: deps.ctx.actor,
    provider,
    log: deps.log,
    ui: () => deps.ui,
    settleTimeoutMs: deps.settleTimeoutMs,
  };
  void followFromServer(`Request ${noticeText(a.id)}`, nodes, ran.plan.hash, feed, actionDeps, () => {
    provider.watch(nodes);
    void provider.polling.tick();
  });
  return true;
}

function describe(verb: Verb, a: ApprovalSummary, outcome: Outcome): string {
  switch (outcome.kind) {
    case 'approval':
      return `${a.id} is now ${outcome.approval.state.toUpperCase()} (${outcome.approval.approvers.length}/${outcome.approval.needed} approved).`;
    case 'result': {
      const failed = outcome.results.filter((r) => !r.ok);
      return failed.length
        ? `${a.id} approved and run: failed for ${failed.map((r) => `${r.id} (${r.code ?? r.message ?? 'error'})`).join(', ')}.`
        : `${a.id} approved and run: ${shortSummary(outcome.plan.summary)} — done.`;
    }
    case 'denied':
      return `Could not ${verb} ${a.id}: ${outcome.reason}`;
    case 'error':
      return `Could not ${verb} ${a.id}: ${outcome.error.code ? `${outcome.error.code}: ` : ''}${outcome.error.message}`;
    default:
      return `${capital(verb)} ${a.id}: ${outcome.kind}`;
  }
}

function capital(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}
