/**
 * Run a tree action: pick the targets (the clicked node, or the whole selection when it was part of it), ask
 * what the action needs, send the command text through the pipeline once per region, answer what the policy
 * asks, then follow the targets (poll instances, reload other lists).
 */
import * as vscode from 'vscode';
import type { ApprovalSummary, CommandContext, EnginePort, Outcome } from '../engine-port.ts';
import type { Log } from '../log.ts';
import type { Node, ResourceNode } from '../tree/nodes.ts';
import type { ExplorerProvider } from '../tree/provider.ts';
import type { Prompts } from '../ui/prompts.ts';
import { type ActionDefinition, appliesTo, findAction, label } from './definitions.ts';
import { followStream, listenForProgress, noticeText, type ProgressFeed } from './follow-stream.ts';
import { errorOutcome, type Settled, settle } from './outcome.ts';
import { stepProgress } from '../ui/progress.ts';

export interface ActionDeps {
  engine(): Promise<EnginePort>;
  actor: CommandContext['actor'];
  provider: ExplorerProvider;
  log: Log;
  ui(): Prompts;
  /** An approval was requested: track it in the Approvals view. */
  onApproval?(approval: ApprovalSummary): void;
  /** How long to follow changed instances before reporting "still <state>" (default 10 minutes). */
  settleTimeoutMs?: number;
  /** Signed in to a tceops server (its URL): approvals are posted in Slack by it. */
  server?: string;
}

/** The nodes an action runs on: the selection if the clicked node is in it, else the clicked node. */
export function chooseTargets(
  action: ActionDefinition,
  clicked: Node | undefined,
  selection: readonly Node[] | undefined,
): { targets: ResourceNode[]; skipped: ResourceNode[] } {
  if (clicked?.type !== 'resource') return { targets: [], skipped: [] };
  const selected = selection?.some((n) => n.key === clicked.key) && action.many ? selection : [clicked];
  const resources = selected.filter((n): n is ResourceNode => n.type === 'resource');
  return {
    targets: resources.filter((n) => appliesTo(action, n)),
    skipped: resources.filter((n) => !appliesTo(action, n)),
  };
}

export async function runAction(
  command: string,
  clicked: Node | undefined,
  selection: readonly Node[] | undefined,
  deps: ActionDeps,
): Promise<Settled[]> {
  const action = findAction(command);
  const { targets, skipped } = chooseTargets(action, clicked, selection);
  if (skipped.length && targets.length) {
    // A mixed selection is normal (the menu offers Start and Stop for it): say what each applies to.
    const names = skipped.map((n) => `${label(n)} (${String(n.item.InstanceState ?? n.kind)})`).join(', ');
    void vscode.window.showInformationMessage(
      `${action.title} applies to ${targets.map(label).join(', ')}; left out ${names}.`,
    );
  } else if (skipped.length) {
    const names = skipped.map((n) => `${label(n)} (${String(n.item.InstanceState ?? n.kind)})`).join(', ');
    void vscode.window.showWarningMessage(`${action.title} does not apply to ${names}; left out.`);
  }
  if (targets.length === 0) {
    if (!skipped.length)
      void vscode.window.showWarningMessage(`${action.title}: choose a resource in the TCE Explorer first.`);
    return [];
  }
  const ui = deps.ui();
  const inputs = action.ask ? await action.ask(targets, ui) : {};
  if (!inputs) return [{ kind: 'cancelled' }];

  const byRegion = new Map<string, ResourceNode[]>();
  for (const node of targets) byRegion.set(node.region, [...(byRegion.get(node.region) ?? []), node]);

  const settled: Settled[] = [];
  for (const [region, nodes] of byRegion) {
    const text = action.text(nodes, inputs);
    const ctx: CommandContext = { actor: deps.actor, surface: 'vscode', region };
    deps.log.line(`${deps.actor.id} (${region}): ${text}`);
    // Through a server, listen before sending: the progress streams in on the command's own response.
    const feed = action.changesInstances ? await deps.engine().then(listenForProgress, () => undefined) : undefined;
    const result = await send(text, ctx, action.title, deps, ui, Boolean(action.changesInstances));
    settled.push(result);
    const ok = new Set(result.kind === 'done' ? result.results.filter((r) => r.ok).map((r) => r.id) : []);
    const moved = nodes.filter((n) => ok.has(n.id));
    if (result.kind === 'done' && feed && moved.length) {
      void followFromServer(action.title, moved, result.plan.hash, feed, deps, () =>
        follow(action, moved, deps.provider),
      );
      continue;
    }
    feed?.stop();
    if (result.kind === 'done') {
      follow(action, nodes, deps.provider);
      if (action.changesInstances && moved.length) void reportEndState(action, moved, deps);
    }
  }
  return settled;
}

/**
 * Through a server: the rows follow the stream (follow-stream.ts), then are read once and the end is said as in
 * local mode. When the stream ends before every target did (it broke off, or the server streams no progress),
 * `poll` follows them as local mode does; nothing is sent again.
 */
export async function followFromServer(
  title: string,
  nodes: ResourceNode[],
  planHash: string,
  feed: ProgressFeed,
  deps: ActionDeps,
  poll: () => void,
): Promise<void> {
  try {
    const end = await followStream(
      title,
      nodes,
      planHash,
      feed,
      (node) => deps.provider.refresh(node),
      deps.settleTimeoutMs ?? 10 * 60_000,
    );
    if (end.lost) {
      // True whether the stream broke off or was refused before it began (the server's limit of open streams).
      const text = `${title} was sent once and stands, but live progress from the server is unavailable: ${end.lost}. Nothing is sent again; the tree reads the state instead.`;
      deps.log.line(text);
      void vscode.window.showWarningMessage(text);
    }
    if (end.done) {
      deps.log.line(`${title}: followed on the server's stream`);
      await Promise.all(nodes.map((n) => deps.provider.refreshItem(n)));
    } else poll();
    await reportEndState({ title }, nodes, deps);
  } catch (error) {
    deps.log.line(`${title}: following the progress failed: ${(error as Error).message}`);
  }
}

/**
 * Send one command text that is not tied to tree targets (Create Instance…, Create File System…): logged,
 * planned under a progress notice, and answered like every tree action. `follows`: the caller says where the new
 * resources ended (no "done" notice before that).
 */
export async function sendText(
  text: string,
  region: string,
  title: string,
  deps: ActionDeps,
  follows = false,
): Promise<Settled> {
  const ctx: CommandContext = { actor: deps.actor, surface: 'vscode', region };
  deps.log.line(`${deps.actor.id} (${region}): ${text}`);
  return send(text, ctx, title, deps, deps.ui(), follows);
}

/** Plan through the pipeline, then answer what it asks; any failure becomes an error the user sees. */
async function send(
  text: string,
  ctx: CommandContext,
  title: string,
  deps: ActionDeps,
  ui: Prompts,
  follows: boolean,
): Promise<Settled> {
  let engine: EnginePort | undefined;
  let outcome: Outcome;
  try {
    const ready = await deps.engine();
    engine = ready;
    outcome = await stepProgress(`${title}: planning…`, () => ready.run(text, ctx));
  } catch (error) {
    outcome = errorOutcome(error);
  }
  const context = {
    engine: engine ?? unavailable,
    ctx,
    ui,
    log: deps.log,
    title,
    progress: stepProgress,
    follows,
    onApproval: deps.onApproval,
    server: deps.server,
  };
  return settle(outcome, context).catch((error) => settle(errorOutcome(error), context));
}

/** Stands in when the pipeline could not be built: the error outcome never reaches it. */
export const unavailable: EnginePort = {
  run: () => Promise.reject(new Error('the command pipeline is unavailable')),
  confirm: () => Promise.reject(new Error('the command pipeline is unavailable')),
  approve: () => Promise.reject(new Error('the command pipeline is unavailable')),
  deny: () => Promise.reject(new Error('the command pipeline is unavailable')),
  cancel: () => Promise.reject(new Error('the command pipeline is unavailable')),
  listApprovals: () => Promise.reject(new Error('the command pipeline is unavailable')),
  onProgress: () => () => {},
  close: async () => {},
};

/**
 * Follow instances an action changed until polling lets go of them (they settled, or vanished), showing the
 * state they are in, then say where they ended: "Stop: web-1 is STOPPED." — not merely that it was sent.
 */
export async function reportEndState(
  action: Pick<ActionDefinition, 'title'>,
  nodes: ResourceNode[],
  deps: Pick<ActionDeps, 'provider' | 'log' | 'settleTimeoutMs'>,
): Promise<string> {
  const states = () => nodes.map((n) => `${label(n)} ${String(n.item.InstanceState ?? 'gone')}`).join(', ');
  const deadline = Date.now() + (deps.settleTimeoutMs ?? 10 * 60_000);
  const moving = () => nodes.some((n) => deps.provider.polling.has(n));
  // A row whose polling failed says so (`refresh failed · …`): the notice does not go on claiming it moves.
  const readable = () => nodes.some((n) => deps.provider.polling.has(n) && !n.error);
  if (readable())
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: action.title },
      async (progress) => {
        while (readable() && Date.now() < deadline) {
          progress.report({ message: noticeText(`${states()}…`, Number.POSITIVE_INFINITY) });
          await new Promise((r) => setTimeout(r, 500));
        }
      },
    );
  const failed = nodes.filter((n) => n.error);
  // Names, states and errors may come from a cloud or a server: no icon or link syntax reaches the notification.
  const said = failed.length
    ? `${action.title}: could not read the end state of ${failed.map(label).join(', ')} (${failed[0]!.error}).`
    : moving()
      ? `${action.title}: still going after ${Math.round((deps.settleTimeoutMs ?? 600_000) / 60_000)} min — ${states()}.`
      : `${action.title}: ${nodes.map((n) => `${label(n)} is ${String(n.item.InstanceState ?? 'gone')}`).join(', ')}.`;
  const text = noticeText(said, Number.POSITIVE_INFINITY);
  deps.log.line(text);
  if (failed.length || moving()) void vscode.window.showWarningMessage(text);
  else void vscode.window.showInformationMessage(text);
  return text;
}

/** After a change: poll the instances until they settle; reload the list the other resources live in. */
function follow(action: ActionDefinition, nodes: ResourceNode[], provider: ExplorerProvider): void {
  if (action.changesInstances) {
    provider.watch(nodes);
    void provider.polling.tick();
    return;
  }
  const owners = new Set(nodes.map((n) => n.parent).filter((n): n is Node => n !== undefined));
  // A rule added to a permission group appears among the group's children.
  if (action.kind === 'pgroup') for (const n of nodes) owners.add(n);
  for (const owner of owners) provider.refresh(owner);
}
