/**
 * Approve, deny, cancel: the engine decides who may; the person who clicked hears privately what their click did,
 * and the request message follows the approval's state.
 */
import { FINAL_STATES } from '../blocks/approval.ts';
import { esc } from '../blocks/common.ts';
import { renderError } from '../blocks/error.ts';
import type { ApprovalSummary, Outcome } from '../core.ts';
import { contextFor } from '../identity.ts';
import type { MessageRef } from '../tracker.ts';
import type { Deps } from './deps.ts';
import { decisionNote, deliver, note } from './deliver.ts';
import { answerPrivately, type Reply } from './reply.ts';
import { safely } from './safe.ts';

export type Verb = 'approve' | 'deny' | 'cancel';

export async function decideApproval(
  deps: Deps,
  reply: Reply,
  verb: Verb,
  approvalId: string,
  ref?: MessageRef,
  reason?: string,
): Promise<void> {
  const ctx = await contextFor(deps.groups, reply.user, reply.channel);
  deps.log.info('approval decision', { user: reply.user.id, approval: approvalId, verb });
  const outcome = await safely(deps, verb, () =>
    verb === 'approve'
      ? deps.engine.approve(approvalId, ctx)
      : verb === 'deny'
        ? deps.engine.deny(approvalId, ctx, reason)
        : deps.engine.cancel(approvalId, ctx),
  );
  deps.metrics.commands.inc({ source: verb, outcome: outcome.kind });
  await answerDecision(deps, reply, approvalId, outcome, ref);
}

/** The clicker hears privately what their click did; the approval message follows the approval's state. */
async function answerDecision(
  deps: Deps,
  reply: Reply,
  approvalId: string,
  outcome: Outcome,
  ref?: MessageRef,
): Promise<void> {
  const privately = { ...reply, replace: false };
  switch (outcome.kind) {
    case 'error':
      return answerPrivately(deps, privately, renderError(outcome.error));
    case 'denied':
      // The engine's word for "you may not": shown to the clicker only; the request stays as it was.
      return answerPrivately(deps, privately, note(`:no_entry: ${esc(outcome.reason)}`));
    case 'approval':
      await deps.tracker.approvalChanged(outcome.approval, ref);
      return answerPrivately(deps, privately, note(decisionNote(outcome.approval)));
    default: {
      // Executed (or otherwise settled): the engine's change events update the message. Read it afresh only
      // when they did not reach a final state here (the engine ran elsewhere).
      const state = deps.tracker.stateOf(approvalId);
      if (!state || !FINAL_STATES.includes(state)) {
        const latest = await findApproval(deps, approvalId);
        if (latest) await deps.tracker.approvalChanged(latest, ref);
      }
      if (outcome.kind === 'result' && !ref) await deliver(deps, privately, outcome);
    }
  }
}

async function findApproval(deps: Deps, id: string): Promise<ApprovalSummary | undefined> {
  try {
    return (await deps.engine.listApprovals()).find((a) => a.id === id);
  } catch (error) {
    deps.log.warn('could not read approvals', { error });
    return undefined;
  }
}
