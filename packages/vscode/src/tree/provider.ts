/**
 * The explorer's TreeDataProvider. Children load lazily, one page at a time, each load with its own
 * AbortController: collapsing a node, refreshing it or "Cancel Loading" aborts what is in flight.
 */
import * as vscode from 'vscode';
import type { ExplorerSource, InstanceFilter, Item, Page } from '../data/source.ts';
import {
  type ConnectionNode,
  GROUPS,
  type GroupNode,
  groupInfo,
  type LoadMoreNode,
  type MessageNode,
  type Node,
  type RegionNode,
  type ResourceNode,
} from './nodes.ts';
import { PollingSet } from './polling.ts';
import { idOf, type ResourceKind } from './present.ts';
import { resourceTooltip, toTreeItem } from './tree-item.ts';

export interface Connection {
  /** Distinguishes connections in node keys, so switching endpoints never reuses stale nodes. */
  key: string;
  label: string;
  description: string;
  source: ExplorerSource;
  /** Regions to show; empty: every region DescribeRegions returns. */
  regions: string[];
  pageSize: number;
}

/** Why there is no connection: the view then shows its welcome content (Sign In, Start Local Emulator). */
export type ConnectionState = Connection | { reason: string };

export interface ExplorerHooks {
  connection(): ConnectionState;
  pollIntervalMs: number | (() => number);
  /** Wrap a load, e.g. in withProgress on the view. */
  progress?<T>(work: Promise<T>): Promise<T>;
  onLoading?(busy: boolean): void;
  log?(line: string): void;
  /** How many regions the tree shows, once known (the status bar says it). */
  onRegions?(count: number): void;
}

interface ChildState {
  nodes: Node[];
  nextOffset?: number;
  total?: number;
}

interface Loading {
  controller: AbortController;
  promise: Promise<Node[]>;
}

export class ExplorerProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly children = new Map<string, ChildState>();
  private readonly loading = new Map<string, Loading>();
  private readonly filters = new Map<string, InstanceFilter>();
  readonly polling: PollingSet;
  private current: ConnectionState | undefined;

  constructor(private readonly hooks: ExplorerHooks) {
    this.polling = new PollingSet({
      intervalMs: hooks.pollIntervalMs,
      maxMs: 30 * 60_000,
      fetch: (region, ids, signal) => this.source().instancesById(region, ids, signal),
      onUpdate: (node, item) => this.applyUpdate(node, item),
      onError: (error, region) => this.pollFailed(region, error),
      onGiveUp: (node) =>
        hooks.log?.(`${node.id} is still ${String(node.item.InstanceState)} after 30 minutes; stopped polling it`),
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return toTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    item.tooltip ??= resourceTooltip(node);
    return item;
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    switch (node.type) {
      case 'connection':
        return this.cached(node, () => this.loadRegions(node));
      case 'region':
        return this.cached(node, async () => ({ nodes: this.groupsOf(node) }));
      case 'group':
      case 'resource':
        return this.cached(node, (signal) => this.loadPage(node, 0, signal));
      default:
        return [];
    }
  }

  /** Reload a node's children (or everything): in-flight loads below it are aborted. */
  refresh(node?: Node): void {
    if (!node) {
      this.current = undefined;
      this.cancelLoading();
      this.children.clear();
      this.polling.clear();
      this.changed.fire(undefined);
      return;
    }
    for (const key of [...this.children.keys()]) if (key.startsWith(node.key)) this.children.delete(key);
    for (const [key, load] of this.loading) if (key.startsWith(node.key)) load.controller.abort();
    this.changed.fire(node);
  }

  /**
   * Refresh one row: a resource reads itself again (an instance by its ID); a failure marks the row instead of
   * leaving an old state on screen. Any other node reloads its children.
   */
  async refreshItem(node: Node): Promise<void> {
    if (node.type !== 'resource' || node.kind !== 'instance') return this.refresh(node);
    try {
      const [item] = await this.source().instancesById(node.region, [node.id]);
      if (!item) return this.applyUpdate(node, undefined);
      delete node.error;
      this.applyUpdate(node, item);
      this.polling.track(node);
    } catch (error) {
      this.markFailed([node], error);
    }
  }

  /** Abort every load in flight. */
  cancelLoading(): void {
    for (const load of this.loading.values()) load.controller.abort();
  }

  /** The node was collapsed: stop loading what nobody is looking at. */
  collapsed(node: Node): void {
    const load = this.loading.get(node.key);
    if (load) load.controller.abort();
  }

  get busy(): boolean {
    return this.loading.size > 0;
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    const owner = node.owner;
    const state = this.children.get(owner.key);
    if (!state || state.nextOffset === undefined || (owner.type !== 'group' && owner.type !== 'resource')) return;
    const offset = state.nextOffset;
    const next = await this.track(owner, (signal) => this.loadPage(owner, offset, signal));
    const kept = state.nodes.filter((n) => n.type !== 'loadMore');
    const added = next.nodes.filter((n) => n.type !== 'message' || kept.length === 0);
    this.children.set(owner.key, { ...next, nodes: [...kept, ...added] });
    this.changed.fire(owner);
  }

  filterOf(group: GroupNode): InstanceFilter | undefined {
    return this.filters.get(group.key);
  }

  setFilter(group: GroupNode, filter: InstanceFilter | undefined): void {
    if (filter && Object.keys(filter).length > 0) this.filters.set(group.key, filter);
    else this.filters.delete(group.key);
    group.filter = this.filters.get(group.key);
    this.refresh(group);
    this.changed.fire(group);
  }

  /** Every loaded resource node of a kind, optionally in one region: for tests, polling and actions. */
  loadedResources(kind?: ResourceKind, region?: string): ResourceNode[] {
    const found: ResourceNode[] = [];
    for (const state of this.children.values()) {
      for (const node of state.nodes) {
        if (node.type !== 'resource') continue;
        if ((kind && node.kind !== kind) || (region && node.region !== region)) continue;
        found.push(node);
      }
    }
    return found;
  }

  /** Put fresh items into loaded nodes (after an action) and start polling those in a transitional state. */
  update(region: string, items: Item[], options: { watch?: boolean } = {}): void {
    const byId = new Map(items.map((item) => [String(item.InstanceId), item]));
    for (const node of this.loadedResources('instance', region)) {
      const item = byId.get(node.id);
      if (!item) continue;
      node.item = item;
      if (options.watch) this.polling.watch(node);
      else this.polling.track(node);
      this.changed.fire(node);
    }
  }

  /** Start polling nodes an action was sent to, whatever their state now. */
  watch(nodes: ResourceNode[]): void {
    for (const node of nodes) if (node.kind === 'instance') this.polling.watch(node);
  }

  dispose(): void {
    this.cancelLoading();
    this.polling.dispose();
    this.changed.dispose();
  }

  /** Polling a region failed: its watched rows say so (a state that can no longer be checked is not shown as fact). */
  private pollFailed(region: string, error: unknown): void {
    this.hooks.log?.(`polling ${region} failed: ${(error as Error).message}`);
    const keys = new Set(this.polling.keys());
    this.markFailed(
      this.loadedResources('instance', region).filter((n) => keys.has(n.key)),
      error,
    );
  }

  private markFailed(nodes: ResourceNode[], error: unknown): void {
    const text = ((error as Error)?.message ?? String(error)).split('\n')[0]!;
    for (const node of nodes) {
      node.error = text;
      this.changed.fire(node);
    }
  }

  /** A polled node's fresh item; undefined when the resource is gone (terminated), so its row goes too. */
  private applyUpdate(node: ResourceNode, item: Item | undefined): void {
    if (item) {
      delete node.error;
      node.item = item;
      this.changed.fire(node);
      return;
    }
    const owner = node.parent;
    const state = owner && this.children.get(owner.key);
    if (!owner || !state) return;
    state.nodes = state.nodes.filter((n) => n.key !== node.key);
    this.changed.fire(owner);
  }

  private source(): ExplorerSource {
    const connection = this.connection();
    if (!('source' in connection)) throw new Error('no connection');
    return connection.source;
  }

  private connection(): ConnectionState {
    this.current ??= this.hooks.connection();
    return this.current;
  }

  private roots(): Node[] {
    const connection = this.connection();
    if (!('source' in connection)) return [];
    const node: ConnectionNode = {
      type: 'connection',
      key: `${connection.key}`,
      label: connection.label,
      description: connection.description,
    };
    return [node];
  }

  private groupsOf(region: RegionNode): Node[] {
    return GROUPS.map((g) => {
      const key = `${region.key}/${g.group}`;
      const node: GroupNode = { type: 'group', key, parent: region, region: region.region, group: g.group };
      const filter = this.filters.get(key);
      if (filter) node.filter = filter;
      return node;
    });
  }

  private async loadRegions(node: ConnectionNode): Promise<ChildState> {
    const connection = this.connection() as Connection;
    let regions: { Region: string; RegionName?: string }[];
    if (connection.regions.length === 0) {
      regions = (await connection.source.regions()).filter(
        (r) => (r as { RegionState?: string }).RegionState !== 'UNAVAILABLE',
      );
    } else {
      // Chosen regions keep their names (DescribeRegions); should that fail, the codes alone still work.
      const known = await connection.source.regions().catch(() => []);
      const names = new Map(known.map((r) => [r.Region, r.RegionName]));
      regions = connection.regions.map((Region) => ({ Region, RegionName: names.get(Region) }));
    }
    this.hooks.onRegions?.(regions.length);
    if (regions.length === 0) {
      return {
        nodes: [
          message(node, 'none', 'No regions: set tceops.regions', 'info', {
            command: 'tceops.chooseRegions',
            title: 'Choose Regions',
          }),
        ],
      };
    }
    return {
      nodes: regions.map(
        (r): RegionNode => ({
          type: 'region',
          key: `${node.key}/${r.Region}`,
          parent: node,
          region: r.Region,
          name: r.RegionName,
        }),
      ),
    };
  }

  /** One page of a group's items, or of a file system's / permission group's children. */
  private async loadPage(owner: GroupNode | ResourceNode, offset: number, signal: AbortSignal): Promise<ChildState> {
    const connection = this.connection() as Connection;
    const limit = connection.pageSize;
    let page: Page;
    let kind: ResourceKind;
    const prefix: Node[] = [];
    if (owner.type === 'group') {
      const info = groupInfo(owner.group);
      kind = info.kind;
      page = await connection.source.list(info.list, owner.region, { offset, limit, filter: owner.filter, signal });
    } else if (owner.kind === 'filesystem') {
      kind = 'mountTarget';
      const pgroup = owner.item.PGroup as { PGroupId?: string; Name?: string } | undefined;
      if (pgroup?.PGroupId && offset === 0) prefix.push(this.resource(owner, 'pgroup', { ...pgroup }));
      page = await connection.source.list('mountTargets', owner.region, { offset, limit, parentId: owner.id, signal });
    } else if (owner.kind === 'pgroup') {
      kind = 'rule';
      page = await connection.source.list('rules', owner.region, { offset, limit, parentId: owner.id, signal });
    } else {
      return { nodes: [] };
    }
    const nodes: Node[] = [...prefix, ...page.items.map((item) => this.resource(owner, kind, item))];
    for (const node of nodes) if (node.type === 'resource') this.polling.track(node);
    if (nodes.length === 0 && offset === 0) nodes.push(message(owner, 'empty', emptyText(owner), 'info'));
    const loaded = offset + page.items.length;
    if (page.nextOffset !== undefined) {
      nodes.push({
        type: 'loadMore',
        key: `${owner.key}/more@${loaded}`,
        parent: owner,
        owner,
        loaded,
        total: page.total,
      });
    }
    return { nodes, nextOffset: page.nextOffset, total: page.total };
  }

  private resource(owner: Node, kind: ResourceKind, item: Item): ResourceNode {
    const id = idOf(kind, item);
    return {
      type: 'resource',
      key: `${owner.key}/${kind}:${id}`,
      parent: owner,
      kind,
      region: regionFrom(owner),
      id,
      item,
    };
  }

  /** Children from the cache, or loaded once (concurrent calls share the load). */
  private async cached(node: Node, load: (signal: AbortSignal) => Promise<ChildState>): Promise<Node[]> {
    const known = this.children.get(node.key);
    if (known) return known.nodes;
    const pending = this.loading.get(node.key);
    if (pending) return pending.promise;
    try {
      const state = await this.track(node, load);
      this.children.set(node.key, state);
      return state.nodes;
    } catch (error) {
      return [this.failure(node, error)];
    }
  }

  private async track(node: Node, load: (signal: AbortSignal) => Promise<ChildState>): Promise<ChildState> {
    const controller = new AbortController();
    let resolveNodes!: (nodes: Node[]) => void;
    const entry: Loading = { controller, promise: new Promise<Node[]>((r) => (resolveNodes = r)) };
    this.loading.set(node.key, entry);
    this.hooks.onLoading?.(true);
    const started = performance.now();
    try {
      const work = load(controller.signal);
      const state = await (this.hooks.progress ? this.hooks.progress(work) : work);
      if (controller.signal.aborted) throw abortError();
      resolveNodes(state.nodes);
      this.hooks.log?.(
        `loaded ${where(node)}: ${state.nodes.length} rows in ${Math.round(performance.now() - started)} ms`,
      );
      return state;
    } catch (error) {
      const failure = [this.failure(node, error)];
      resolveNodes(failure);
      throw error;
    } finally {
      if (this.loading.get(node.key) === entry) this.loading.delete(node.key);
      this.hooks.onLoading?.(this.loading.size > 0);
    }
  }

  private failure(node: Node, error: unknown): MessageNode {
    const retry = { command: 'tceops.retry', title: 'Retry', arguments: [node] };
    if (isAbort(error)) return message(node, 'cancelled', 'Loading cancelled — click to retry', 'debug-pause', retry);
    const text = (error as Error)?.message ?? String(error);
    this.hooks.log?.(`loading ${where(node)} failed: ${text}`);
    const first = text.split('\n')[0]!;
    return {
      ...message(node, 'error', `Could not load: ${first}`, 'error', retry),
      tooltip: `${text}\n\nClick to retry.`,
    };
  }
}

/** A node as people name it in the log ("ap-guangzhou / instances"): keys carry connection details. */
function where(node: Node): string {
  switch (node.type) {
    case 'connection':
      return 'regions';
    case 'region':
      return node.region;
    case 'group':
      return `${node.region} / ${node.group}`;
    case 'resource':
      return `${node.region} / ${node.id}`;
    default:
      return node.type;
  }
}

function regionFrom(node: Node): string {
  if (node.type === 'group' || node.type === 'resource' || node.type === 'region') return node.region;
  throw new Error(`${node.key} has no region`);
}

function emptyText(owner: GroupNode | ResourceNode): string {
  if (owner.type === 'group')
    return owner.filter ? 'Nothing matches the filter' : `No ${groupInfo(owner.group).label.toLowerCase()}`;
  return owner.kind === 'pgroup' ? 'No rules: every client may mount' : 'No mount targets';
}

function message(
  parent: Node | undefined,
  id: string,
  text: string,
  icon: string,
  command?: MessageNode['command'],
): MessageNode {
  return { type: 'message', key: `${parent?.key ?? ''}/message:${id}`, parent, text, icon, command };
}

function abortError(): Error {
  const error = new Error('cancelled');
  error.name = 'AbortError';
  return error;
}

export function isAbort(error: unknown): boolean {
  const e = error as { name?: string; aborted?: boolean } | undefined;
  return e?.name === 'AbortError' || e?.aborted === true;
}
