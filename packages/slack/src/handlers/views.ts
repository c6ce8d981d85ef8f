/**
 * Modal submissions. The typed confirmation is checked before the acknowledgement (a wrong ID keeps the modal
 * open with an inline error; that check is local and instant); the password is handed to the engine and to
 * nothing else — it is never logged, echoed, or put in a message.
 */
import type { App, ViewSubmitAction } from '@slack/bolt';
import { esc } from '../blocks/common.ts';
import { INPUT, type ModalMetadata, VIEW } from '../blocks/ids.ts';
import type { DenyMetadata } from '../blocks/deny.ts';
import { contextFor, interactionUser } from '../identity.ts';
import { decideApproval } from './decide.ts';
import { publishHome } from './home.ts';
import type { Deps } from './deps.ts';
import { deliver, note } from './deliver.ts';
import { answerPrivately, type Reply } from './reply.ts';
import { safely } from './safe.ts';

function metadataOf(view: ViewSubmitAction['view']): ModalMetadata | undefined {
  try {
    const parsed = JSON.parse(view.private_metadata) as ModalMetadata;
    return typeof parsed.planId === 'string' && typeof parsed.channel === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function inputValue(view: ViewSubmitAction['view'], block: string, element: string): string {
  return view.state.values[block]?.[element]?.value ?? '';
}

export function registerViews(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(VIEW.deny, async ({ ack, body, view }) => {
    const receivedAt = performance.now();
    const metadata = denyMetadataOf(view);
    if (!metadata) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.reasonBlock]: 'This form is damaged: close it and click Deny again.' },
      });
      return;
    }
    await ack();
    deps.acked(receivedAt);
    const reason = inputValue(view, INPUT.reasonBlock, INPUT.reasonElement).trim() || undefined;
    const reply: Reply = { user: interactionUser(body), channel: metadata.channel, receivedAt };
    await decideApproval(deps, reply, 'deny', metadata.approvalId, metadata.ref, reason);
    if (metadata.home) await publishHome(deps, body.user.id);
  });

  const replyFor = (body: ViewSubmitAction, metadata: ModalMetadata, receivedAt: number): Reply => ({
    user: interactionUser(body),
    channel: metadata.channel.startsWith('U') || metadata.channel.startsWith('W') ? undefined : metadata.channel,
    responseUrl: metadata.responseUrl,
    receivedAt,
    replace: true,
  });

  app.view<ViewSubmitAction>(VIEW.typed, async ({ ack, body, view }) => {
    const receivedAt = performance.now();
    const metadata = metadataOf(view);
    const typed = inputValue(view, INPUT.typedBlock, INPUT.typedElement).trim();
    if (!metadata?.expected) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.typedBlock]: 'This form is damaged: close it and run the command again.' },
      });
      return;
    }
    if (typed !== metadata.expected) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.typedBlock]: `Type ${metadata.expected} exactly to confirm, or press Cancel.` },
      });
      return;
    }
    await ack();
    deps.acked(receivedAt);
    const reply = replyFor(body, metadata, receivedAt);
    await confirmPlan(deps, reply, metadata.planId, { typed });
  });

  app.view<ViewSubmitAction>(VIEW.secret, async ({ ack, body, view }) => {
    const receivedAt = performance.now();
    const metadata = metadataOf(view);
    const password = inputValue(view, INPUT.passwordBlock, INPUT.passwordElement);
    if (!metadata) {
      await ack({
        response_action: 'errors',
        errors: { [INPUT.passwordBlock]: 'This form is damaged: close it and run the command again.' },
      });
      return;
    }
    if (password.length === 0) {
      await ack({ response_action: 'errors', errors: { [INPUT.passwordBlock]: 'Enter the new password.' } });
      return;
    }
    await ack();
    deps.acked(receivedAt);
    await confirmPlan(deps, replyFor(body, metadata, receivedAt), metadata.planId, { password });
  });
}

function denyMetadataOf(view: ViewSubmitAction['view']): DenyMetadata | undefined {
  try {
    const parsed = JSON.parse(view.private_metadata) as DenyMetadata;
    return typeof parsed.approvalId === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function confirmPlan(
  deps: Deps,
  reply: Reply,
  planId: string,
  input: { typed?: string; password?: string },
): Promise<void> {
  if (deps.running.has(planId))
    return answerPrivately(deps, reply, note('That is already running.'), { replace: false });
  deps.running.add(planId);
  try {
    const plan = deps.plans.get(planId);
    if (reply.responseUrl)
      await answerPrivately(deps, reply, note(`:gear: Working on it${plan ? `: ${esc(plan.summary)}` : ''}`));
    const ctx = await contextFor(deps.groups, reply.user, reply.channel);
    deps.log.info('confirmed in a form', {
      user: reply.user.id,
      plan: planId,
      typed: input.typed !== undefined,
      password: input.password !== undefined,
    });
    const outcome = await safely(deps, 'confirm', () => deps.engine.confirm(planId, ctx, input));
    deps.metrics.commands.inc({ source: 'form', outcome: outcome.kind });
    deps.plans.delete(planId);
    await deliver(deps, reply, outcome);
  } finally {
    deps.running.delete(planId);
  }
}
