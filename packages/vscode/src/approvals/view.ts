/**
 * The Approvals view: my pending requests and the ones I may decide, read from the pipeline's store (the
 * store Slack, the terminal and the server share). A request raised in this editor stays listed until it
 * ends, then shows its final state and is announced once. Only while there is something to follow or the view
 * is open: through a tceops server, its stream says when my requests move and when others' open or close (the
 * list is then read once); without one (local mode, an older server, a broken stream) the list is polled.
 * Decisions go through the same engine as everything else.
 */
import { sameIdentity } from '@tceops/core/identity/normalize.ts';
import * as vscode from 'vscode';
import type { ApprovalSummary, EnginePort, ProgressEvent } from '../engine-port.ts';
import { noticeText, type ProgressFeed, relayFeed } from '../actions/follow-stream.ts';
import { approvalLook, finalText, isFinal } from './present.ts';

export type ApprovalNode =
  | { type: 'group'; key: string; which: 'mine' | 'decide'; label: string }
  | { type: 'approval'; key: string; approval: ApprovalSummary; mine: boolean }
  | { type: 'message'; key: string; text: string; icon: string };

/** What a server's approvals stream says (core's server/approvals-stream-client.ts). */
export interface ApprovalFeed {
  onReady(progress: boolean): void;
  onApproval(approval: ApprovalSummary): void;
  onChanged(): void;
  onProgress?(event: ProgressEvent): void;
  onFollowed?(planHash: string): void;
  onEnd(reason: string, unsupported: boolean): void;
}

export interface ApprovalsHooks {
  /** The pipeline; rejects when there is no connection. */
  engine(): Promise<EnginePort>;
  /** Without a connection there is nothing to read (and nothing to poll). */
  connected(): boolean;
  /**
   * Who I am to the policy (the actor ID the pipeline sees): through a tceops server, the Slack user ID the
   * server says the token stands for (GET /api/v1/whoami), never a name the editor supplies.
   */
  me(): string;
  /**
   * Through a tceops server the server knows the approver roles (Slack user groups): every pending request not
   * mine is listed for a decision, and the server says who may decide.
   */
  viaServer?(): boolean;
  intervalMs(): number;
  /** Through a tceops server: its stream of my requests' changes (undefined: poll). */
  follow?(feed: ApprovalFeed): { stop(): void } | undefined;
  /** While the stream is live the list is still read this often: a decision on another server replica is not streamed. */
  backstopMs?: number;
  log(line: string): void;
  /**
   * A request raised here ended: say so (a notification). `followed`: its run's progress came on the stream
   * (onRun took it), so its targets need no polling.
   */
  onFinal?(approval: ApprovalSummary, followed: boolean): void;
  /**
   * One of my requests started running on the server, which streams its progress: show it (rows and a notice)
   * from `feed`. Returns false when nothing here shows its targets (they are then followed as before).
   */
  onRun?(approval: ApprovalSummary, feed: ProgressFeed): boolean;
}

export class ApprovalsProvider implements vscode.TreeDataProvider<ApprovalNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ApprovalNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Requests raised in this editor, by ID: kept (with their last state) until dismissed. */
  private readonly raised = new Map<string, ApprovalSummary>();
  private pending: ApprovalSummary[] = [];
  private error: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private loading: Promise<void> | undefined;
  private stream: { stop(): void } | undefined;
  /** The stream said it is open: the list is read only as a backstop. */
  private live = false;
  /** The server has no stream (an older one): poll for this connection. */
  private streamless = false;
  /** The stream ended: not opened again before the next round of the timer (no tight loop against a server). */
  private resting = false;
  /** The live stream carries the runs of my requests (a server that says so on its first line). */
  private progress = false;
  /** Runs of my requests followed from the stream, by plan hash; and the requests they belong to. */
  private readonly runs = new Map<string, ReturnType<typeof relayFeed>>();
  private readonly followed = new Set<string>();

  constructor(private readonly hooks: ApprovalsHooks) {}

  /** A request was just raised here: list it at once and follow it. */
  track(approval: ApprovalSummary): void {
    this.raised.set(approval.id, approval);
    this.changed.fire(undefined);
    this.schedule();
  }

  dismiss(id: string): void {
    this.raised.delete(id);
    this.changed.fire(undefined);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) void this.reload();
    this.schedule();
  }

  /** Everything listed now (tests, and the decision commands). */
  listed(): { mine: ApprovalSummary[]; decide: ApprovalSummary[] } {
    const me = this.hooks.me();
    // Compared as the pipeline compares identities (NFKC, case-folded): "ualice" is UALICE's own request too.
    const isMine = (a: ApprovalSummary) => this.raised.has(a.id) || sameIdentity(a.requester, me);
    const mine = new Map<string, ApprovalSummary>();
    for (const a of this.raised.values()) mine.set(a.id, a);
    for (const a of this.pending) if (isMine(a)) mine.set(a.id, a);
    const decide = this.hooks.viaServer?.()
      ? this.pending.filter((a) => !isMine(a))
      : this.pending.filter(
          (a) => !isMine(a) && (a.eligible.length === 0 || a.eligible.includes('*') || a.eligible.includes(me)),
        );
    return { mine: [...mine.values()], decide };
  }

  /** Read the store again: pending requests, and the current state of those raised here. */
  reload(): Promise<void> {
    this.loading ??= this.read().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(): Promise<void> {
    if (!this.hooks.connected()) {
      this.pending = [];
      this.error = undefined;
      this.changed.fire(undefined);
      return;
    }
    try {
      const engine = await this.hooks.engine();
      const pending = await engine.listApprovals({ state: 'pending' });
      const open = [...this.raised.values()].filter((a) => !isFinal(a.state));
      const latest = new Map(pending.map((a) => [a.id, a]));
      if (open.some((a) => !latest.has(a.id))) {
        for (const a of await engine.listApprovals({ requester: this.hooks.me() })) latest.set(a.id, a);
      }
      for (const before of open) {
        const now = latest.get(before.id);
        if (!now) continue;
        this.raised.set(now.id, now);
        if (now.state !== before.state) this.hooks.log(`approval ${now.id}: ${before.state} → ${now.state}`);
        if (isFinal(now.state)) this.final(now);
      }
      this.pending = pending;
      this.error = undefined;
    } catch (error) {
      this.error = (error as Error).message.split('\n')[0];
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: ApprovalNode): vscode.TreeItem {
    if (node.type === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.key;
      item.contextValue = `tceops.approvals.${node.which}`;
      item.iconPath = new vscode.ThemeIcon(node.which === 'mine' ? 'person' : 'checklist');
      return item;
    }
    if (node.type === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.key;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = 'tceops.message';
      return item;
    }
    const look = approvalLook(node.approval, node.mine);
    const item = new vscode.TreeItem(look.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.key;
    item.description = look.description;
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.contextValue = look.contextValue;
    item.accessibilityInformation = { label: look.accessibility };
    const tooltip = new vscode.MarkdownString(look.tooltip);
    item.tooltip = tooltip;
    return item;
  }

  getChildren(node?: ApprovalNode): ApprovalNode[] {
    const { mine, decide } = this.listed();
    if (!node) {
      if (!this.hooks.connected() && this.raised.size === 0)
        return [{ type: 'message', key: 'offline', text: 'Connect to TCE to see approval requests', icon: 'plug' }];
      const roots: ApprovalNode[] = [];
      if (this.error)
        roots.push({ type: 'message', key: 'error', text: `Could not read approvals: ${this.error}`, icon: 'error' });
      roots.push(
        {
          type: 'group',
          key: 'mine',
          which: 'mine',
          label: `My requests (${mine.filter((a) => !isFinal(a.state)).length} open)`,
        },
        { type: 'group', key: 'decide', which: 'decide', label: `Waiting for my decision (${decide.length})` },
      );
      return roots;
    }
    if (node.type !== 'group') return [];
    const list = node.which === 'mine' ? mine : decide;
    if (list.length === 0)
      return [
        {
          type: 'message',
          key: `${node.key}/none`,
          text: node.which === 'mine' ? 'No requests of yours' : 'Nothing waits for you',
          icon: 'info',
        },
      ];
    return list.map((approval) => ({
      type: 'approval',
      key: `${node.key}/${approval.id}`,
      approval,
      mine: node.which === 'mine',
    }));
  }

  /** The connection changed: a new stream (or none), and the list read again. */
  restart(): Promise<void> {
    this.closeStream();
    this.streamless = false;
    this.resting = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule();
    return this.reload();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closeStream();
    this.changed.dispose();
  }

  /** A request raised here ended: announced once, saying whether its run was followed on the stream. */
  private final(a: ApprovalSummary): void {
    this.hooks.onFinal?.(a, this.followed.delete(a.id));
  }

  /** One of my requests moved, as the server's stream said. */
  private apply(a: ApprovalSummary): void {
    // Only mine are streamed whole; anything else from a server is not taken.
    if (!this.raised.has(a.id) && !sameIdentity(a.requester, this.hooks.me())) return;
    const before = this.raised.get(a.id);
    if (before) {
      this.raised.set(a.id, a);
      if (a.state !== before.state)
        this.hooks.log(`approval ${a.id}: ${before.state} → ${a.state} (heard on the server's stream)`);
      if (isFinal(a.state) && !isFinal(before.state)) this.final(a);
    }
    if (a.state === 'executing' && this.progress && !this.runs.has(a.plan.hash) && this.hooks.onRun) {
      const feed = relayFeed();
      this.runs.set(a.plan.hash, feed);
      if (this.hooks.onRun(a, feed)) this.followed.add(a.id);
      else {
        feed.stop();
        this.runs.delete(a.plan.hash);
      }
    }
    this.pending = [...this.pending.filter((p) => p.id !== a.id), ...(a.state === 'pending' ? [a] : [])];
    this.changed.fire(undefined);
    this.schedule();
  }

  private openStream(): void {
    if (this.stream || this.streamless || this.resting || !this.hooks.follow || !this.hooks.connected()) return;
    const stream = this.hooks.follow({
      onReady: (progress) => {
        if (this.stream !== stream) return;
        this.live = true;
        this.progress = progress;
        void this.reload();
      },
      onApproval: (a) => this.stream === stream && this.apply(a),
      onChanged: () => this.stream === stream && void this.reload(),
      // Only runs this view started following (my requests, from "executing" on): nothing else is taken.
      onProgress: (event) => this.stream === stream && this.runs.get(event.planHash)?.push(event),
      onFollowed: (hash) => {
        if (this.stream !== stream) return;
        this.runs.get(hash)?.end();
        this.runs.delete(hash);
        this.schedule();
      },
      onEnd: (reason, unsupported) => {
        if (this.stream !== stream) return;
        this.endRuns(reason);
        this.stream = undefined;
        this.live = false;
        this.streamless = unsupported;
        this.resting = true;
        this.hooks.log(`approvals: the server's stream ended (${reason}); reading the list instead`);
        this.schedule();
      },
    });
    this.stream = stream;
  }

  private closeStream(): void {
    const stream = this.stream;
    this.endRuns('the stream was closed');
    this.stream = undefined;
    this.live = false;
    stream?.stop();
  }

  /** The stream is gone: the runs it was following are said to have lost their progress (the tree reads them). */
  private endRuns(reason: string): void {
    for (const [planHash, feed] of this.runs) {
      feed.push({
        planHash,
        targetId: '',
        state: 'UNKNOWN',
        done: false,
        message: `the server's progress stopped (${reason})`,
      });
      feed.end();
    }
    this.runs.clear();
    this.progress = false;
  }

  /**
   * While the view is open, a request raised here is still open or a run of mine is followed: follow the server's stream (reading the list
   * only as a backstop), or poll the list.
   */
  private schedule(): void {
    const follow = this.visible || this.runs.size > 0 || [...this.raised.values()].some((a) => !isFinal(a.state));
    if (!follow) {
      this.closeStream();
      return;
    }
    this.openStream();
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.resting = false;
        void this.reload().then(() => this.schedule());
      },
      this.live ? (this.hooks.backstopMs ?? 60_000) : this.hooks.intervalMs(),
    );
  }
}

/** Final-state notification for a request raised here (its text from the server, made inert: no links, no icons). */
export function announceFinal(approval: ApprovalSummary): void {
  const text = noticeText(finalText(approval));
  if (approval.state === 'succeeded') void vscode.window.showInformationMessage(text);
  else void vscode.window.showWarningMessage(text);
}
