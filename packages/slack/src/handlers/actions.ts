/**
 * Buttons and menus: run a command from a menu, page a table, confirm or dismiss a plan, open the typed and
 * password modals, and decide approvals. Every handler acknowledges first; the engine decides who may do what,
 * and its refusals are shown privately to whoever clicked.
 */
import type { App, BlockAction, BlockElementAction, ButtonAction, OverflowAction } from '@slack/bolt';
import { esc, parsePageValue } from '../blocks/common.ts';
import { typedModal } from '../blocks/confirm.ts';
import { ACTION } from '../blocks/ids.ts';
import { denyModal } from '../blocks/deny.ts';
import { parseHomePageValue } from '../blocks/home.ts';
import { renderTargets } from '../blocks/plan.ts';
import { renderResultsPage } from '../blocks/result.ts';
import { passwordModal } from '../blocks/secret.ts';
import type { Message } from '../blocks/common.ts';
import type { PlanSummary } from '../core.ts';
import { contextFor, interactionUser } from '../identity.ts';
import type { MessageRef } from '../tracker.ts';
import type { Deps } from './deps.ts';
import { decideApproval, type Verb } from './decide.ts';
import { deliver, note } from './deliver.ts';
import { publishHome } from './home.ts';
import { answerPrivately, openModal, type Reply, removePrompt } from './reply.ts';
import { safely } from './safe.ts';

type Args = { body: BlockAction; action: BlockElementAction };

function replyFor(body: BlockAction, receivedAt: number, extra: Partial<Reply> = {}): Reply {
  return {
    user: interactionUser(body),
    channel: body.channel?.id ?? body.container?.channel_id,
    responseUrl: body.response_url,
    triggerId: body.trigger_id,
    receivedAt,
    ...extra,
  };
}

function chosenValue(action: BlockElementAction): string {
  if (action.type === 'overflow' || action.type === 'static_select')
    return (action as OverflowAction).selected_option.value;
  return (action as ButtonAction).value ?? '';
}

/** Where the clicked message is, when it is a message in a channel (not App Home, not ephemeral). */
function messageRef(body: BlockAction): MessageRef | undefined {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!channel || !ts || body.container?.is_ephemeral) return undefined;
  return { channel, ts };
}

export function registerActions(app: App, deps: Deps): void {
  const on = (actionId: string | RegExp, handle: (args: Args, receivedAt: number) => Promise<void>) =>
    app.action<BlockAction>(actionId, async ({ ack, body, action }) => {
      const receivedAt = performance.now();
      await ack();
      deps.acked(receivedAt);
      await handle({ body, action }, receivedAt);
    });

  // A menu item or button that runs a command, exactly as if it had been typed after /tce.
  const runCommand = async ({ body, action }: Args, receivedAt: number, replace: boolean) => {
    const text = chosenValue(action);
    const reply = replyFor(body, receivedAt, { command: text, replace });
    const ctx = await contextFor(deps.groups, reply.user, reply.channel);
    deps.log.info('command', { user: reply.user.id, channel: reply.channel, command: text, from: action.action_id });
    const outcome = await safely(deps, 'run', () => deps.engine.run(text, ctx));
    deps.metrics.commands.inc({ source: replace ? 'page' : 'menu', outcome: outcome.kind });
    await deliver(deps, { ...reply, replace: replace && outcome.kind === 'table' }, outcome);
  };
  on(ACTION.run, (args, at) => runCommand(args, at, false));
  on(ACTION.page, (args, at) => runCommand(args, at, true));

  on(ACTION.confirm, async ({ body, action }, receivedAt) => {
    const planId = chosenValue(action);
    const reply = replyFor(body, receivedAt, { replace: true });
    if (deps.running.has(planId)) {
      return answerPrivately(deps, reply, note('That is already running.'), { replace: false });
    }
    deps.running.add(planId);
    try {
      const plan = deps.plans.get(planId);
      await answerPrivately(deps, reply, note(`:gear: Working on it${plan ? `: ${esc(plan.summary)}` : ''}`));
      const ctx = await contextFor(deps.groups, reply.user, reply.channel);
      const outcome = await safely(deps, 'confirm', () => deps.engine.confirm(planId, ctx));
      deps.metrics.commands.inc({ source: 'confirm', outcome: outcome.kind });
      deps.plans.delete(planId);
      await deliver(deps, reply, outcome);
    } finally {
      deps.running.delete(planId);
    }
  });

  on(ACTION.dismiss, async ({ body, action }, receivedAt) => {
    deps.plans.delete(chosenValue(action));
    await removePrompt(deps, replyFor(body, receivedAt));
  });

  on(ACTION.openTyped, async ({ body, action }, receivedAt) => {
    const { planId, expected } = JSON.parse(chosenValue(action)) as { planId: string; expected: string };
    const reply = replyFor(body, receivedAt);
    const metadata = { planId, channel: reply.channel ?? reply.user.id, expected, responseUrl: reply.responseUrl };
    const opened = await openModal(deps, reply, typedModal(planOr(deps, planId), metadata));
    if (!opened)
      await answerPrivately(deps, reply, note('The form could not be opened: please click again.'), { replace: false });
  });

  on(ACTION.openSecret, async ({ body, action }, receivedAt) => {
    const planId = chosenValue(action);
    const reply = replyFor(body, receivedAt);
    const metadata = { planId, channel: reply.channel ?? reply.user.id, responseUrl: reply.responseUrl };
    const opened = await openModal(deps, reply, passwordModal(planOr(deps, planId), metadata));
    if (!opened)
      await answerPrivately(deps, reply, note('The form could not be opened: please click again.'), { replace: false });
  });

  const decide =
    (verb: Verb) =>
    async ({ body, action }: Args, receivedAt: number) => {
      const approvalId = chosenValue(action);
      const reply = replyFor(body, receivedAt);
      const ref = messageRef(body);
      if (ref) deps.tracker.rememberApprovalMessage(approvalId, ref);
      // Deny asks for an optional reason first, in a modal; if it cannot open, deny without one.
      if (
        verb === 'deny' &&
        (await openModal(
          deps,
          reply,
          denyModal(approvalId, { channel: reply.channel, ref, home: body.container?.type === 'view' }),
        ))
      )
        return;
      await decideApproval(deps, reply, verb, approvalId, ref);
      // Decided from App Home: show the page as it now stands.
      if (body.container?.type === 'view') await publishHome(deps, reply.user.id);
    };
  // A plan's targets, or an execution's results, a page at a time, to whoever clicked (the message shows the first).
  const pageOf =
    (render: (where: string, offset: number) => Promise<Message | undefined>) =>
    async ({ body, action }: Args, receivedAt: number) => {
      const { where, offset } = parsePageValue(chosenValue(action));
      // "All N …" answers with a new private message; its Previous/Next replace that message.
      const reply = replyFor(body, receivedAt, {
        replace: action.action_id.endsWith('_prev') || action.action_id.endsWith('_next'),
      });
      const message = await render(where, offset);
      if (!message)
        return answerPrivately(deps, reply, note('That list is no longer available: run the command again.'), {
          replace: false,
        });
      await answerPrivately(deps, reply, message);
    };
  const split = (where: string) => [where.slice(0, where.indexOf(':')), where.slice(where.indexOf(':') + 1)] as const;
  on(
    new RegExp(`^${ACTION.targets}`),
    pageOf(async (where, offset) => {
      const [kind, id] = split(where);
      const plan =
        kind === 'plan'
          ? deps.plans.get(id)
          : kind === 'approval'
            ? (await findApprovalSafely(deps, id))?.plan
            : undefined;
      return plan && renderTargets(plan, where, offset);
    }),
  );
  on(
    new RegExp(`^${ACTION.results}`),
    pageOf(async (where, offset) => {
      const [kind, id] = split(where);
      const found =
        kind === 'result'
          ? deps.tracker.resultsOf(id)
          : kind === 'approval'
            ? await findApprovalSafely(deps, id).then((a) =>
                a?.results ? { plan: a.plan, results: a.results } : undefined,
              )
            : undefined;
      return found ? renderResultsPage(found.plan, found.results, where, offset) : undefined;
    }),
  );

  // App Home's lists, a page at a time.
  on(new RegExp(`^${ACTION.homePage}`), async ({ body, action }) => {
    await publishHome(deps, body.user.id, parseHomePageValue(chosenValue(action)));
  });

  on(ACTION.approve, decide('approve'));
  on(ACTION.deny, decide('deny'));
  on(ACTION.cancelApproval, decide('cancel'));
}

async function findApprovalSafely(deps: Deps, id: string) {
  try {
    return (await deps.engine.listApprovals()).find((a) => a.id === id);
  } catch (error) {
    deps.log.warn('could not read approvals', { error });
    return undefined;
  }
}

/** The plan to show in a modal opened later; a bare one when this process never saw it (restart, other replica). */
function planOr(deps: Deps, planId: string): PlanSummary {
  return (
    deps.plans.get(planId) ?? {
      hash: planId,
      command: '',
      service: '',
      action: '',
      risk: 'destructive',
      region: '',
      summary: `Plan ${planId}`,
      irreversible: false,
      targets: [],
    }
  );
}
