/**
 * Turning an engine Outcome into what the requester sees. Reads and errors are private; results are posted in
 * the channel (and kept up to date while waiters run); confirmations ask the requester privately; approval
 * requests are posted where approvers will see them.
 */
import { renderApproval, renderPendingNotice, where } from '../blocks/approval.ts';
import { clip, context, esc, inline, type Message, section } from '../blocks/common.ts';
import { renderConfirmPrompt, renderTypedPrompt, typedModal } from '../blocks/confirm.ts';
import { renderMessage } from '../blocks/index.ts';
import { outcomeOf, renderResult } from '../blocks/result.ts';
import { passwordModal, renderSecretPrompt } from '../blocks/secret.ts';
import { regionOf } from '../blocks/table.ts';
import type { ApprovalSummary, Outcome } from '../core.ts';
import type { Deps } from './deps.ts';
import { answerPrivately, openModal, postPublic, type Reply } from './reply.ts';

export async function deliver(deps: Deps, reply: Reply, outcome: Outcome): Promise<void> {
  switch (outcome.kind) {
    case 'confirm': {
      deps.plans.set(outcome.planId, outcome.plan);
      if (outcome.level === 'click')
        return answerPrivately(deps, reply, renderConfirmPrompt(outcome.planId, outcome.plan));
      const expected = outcome.expected ?? outcome.plan.targets[0]?.id ?? outcome.planId;
      const metadata = {
        planId: outcome.planId,
        channel: reply.channel ?? reply.user.id,
        expected,
        responseUrl: reply.responseUrl,
      };
      if (await openModal(deps, reply, typedModal(outcome.plan, metadata))) return;
      return answerPrivately(deps, reply, renderTypedPrompt(outcome.planId, outcome.plan, expected));
    }
    case 'secret': {
      deps.plans.set(outcome.planId, outcome.plan);
      const metadata = {
        planId: outcome.planId,
        channel: reply.channel ?? reply.user.id,
        responseUrl: reply.responseUrl,
      };
      if (await openModal(deps, reply, passwordModal(outcome.plan, metadata))) return;
      return answerPrivately(deps, reply, renderSecretPrompt(outcome.planId, outcome.plan));
    }
    case 'approval': {
      const a = outcome.approval;
      // `/tce approve|deny|cancel <id>` also come back as approvals: update the request, do not post a new one.
      if (await deps.tracker.knows(a.id)) {
        await deps.tracker.approvalChanged(a);
        return answerPrivately(deps, reply, note(decisionNote(a)));
      }
      if (a.state === 'pending' && a.approvers.length === 0) return requestApproval(deps, reply, a);
      return answerPrivately(deps, reply, renderApproval(a));
    }
    case 'result': {
      const channel = reply.channel;
      deps.tracker.keepResults(outcome.plan, outcome.results);
      const seeAll = `result:${outcome.plan.hash}`;
      const message = renderResult(outcome.plan, outcome.results, outcome.requestIds, [], reply.user.id, seeAll);
      const ref = channel ? await postPublic(deps, channel, message) : undefined;
      if (!ref) return answerPrivately(deps, reply, message);
      deps.tracker.trackResult(ref, outcome.plan, outcome.results, outcome.requestIds, reply.user.id);
      if (reply.replace) {
        // Say what happened, as the results say it: never "Done" when targets failed.
        const { icon, words } = outcomeOf(outcome.results);
        return answerPrivately(
          deps,
          reply,
          note(
            `${icon} ${words[0]!.toUpperCase()}${words.slice(1)}: ${clip(esc(outcome.plan.summary), 1000)} (the results are posted in the channel).`,
          ),
        );
      }
      return;
    }
    default:
      return answerPrivately(
        deps,
        reply,
        renderMessage(outcome, { command: reply.command, region: reply.command ? regionOf(reply.command) : undefined }),
      );
  }
}

/** Past this wait for a channel's turn, the requester is told their request is queued. */
const QUEUE_NOTICE_MS = 3000;

async function requestApproval(deps: Deps, reply: Reply, approval: ApprovalSummary): Promise<void> {
  const message = renderApproval(approval);
  const wanted = [deps.approvalsChannel, reply.channel].filter((c): c is string => !!c);
  for (const channel of new Set(wanted)) {
    // Many requests at once queue for the channel's turns (about one post a second): say so rather than go quiet.
    const delay = deps.pace.postDelay(channel);
    if (delay > QUEUE_NOTICE_MS)
      await answerPrivately(
        deps,
        { ...reply, replace: false },
        note(
          `:hourglass: Queued: Slack takes about one message a second per channel, so your approval request will be posted in ${where(channel)} in about ${Math.ceil(delay / 1000)} s.`,
        ),
      );
    const ref = await postPublic(deps, channel, message);
    if (!ref) continue;
    await deps.tracker.trackApproval(approval, ref);
    return answerPrivately(deps, reply, renderPendingNotice(approval, ref.channel));
  }
  // Nowhere to post: the requester still gets the request, and is told how to let approvers see it.
  const places = wanted.map(where).join(' or ') || 'a channel';
  await answerPrivately(deps, reply, {
    text: message.text,
    blocks: [
      section(
        `:warning: The approval request could not be posted in ${places}: invite the bot there (\`/invite @tceops\`), or set TCEOPS_APPROVALS_CHANNEL to a channel it is in. Approvers can also find it in the app's Home tab.`,
      ),
      ...message.blocks,
    ],
  });
}

export function decisionNote(a: ApprovalSummary): string {
  if (a.state === 'pending') return `Recorded: ${a.approvers.length} of ${a.needed} approvals for ${inline(a.id)}.`;
  return `Approval ${inline(a.id)} is now ${inline(a.state)}.`;
}

export function note(text: string): Message {
  return { text, blocks: [context(text)] };
}
