/**
 * The explorer's TreeDataProvider. Children load lazily, each load with its own AbortController: collapsing a
 * node, refreshing it or "Cancel Loading" aborts what is in flight.
 *
 * A list longer than a folder (five requests' worth: 500 rows by default) is shown as folders of that many rows
 * ("Instances 501–1,000"), each read when expanded and dropped when collapsed. VS Code re-reads every child of a
 * node whose change is announced, so appending pages to one long list re-sent all its rows each time (127,500 rows
 * sent for 5,000 shown); with folders a change touches one folder, and VS Code holds only the open ones.
 */
import * as vscode from 'vscode';
import { hasWildcard } from '@tceops/core/glob.ts';
import type { ExplorerSource, InstanceFilter, Item, Page } from '../data/source.ts';
import {
  type ConnectionNode,
  GROUPS,
  type GroupNode,
  groupInfo,
  type LoadMoreNode,
  type MessageNode,
  type Node,
  type PageNode,
  type RegionNode,
  type ResourceNode,
} from './nodes.ts';
import { PollingSet } from './polling.ts';
import { compactInstance, idOf, type ResourceKind } from './present.ts';
import { resourceCommand, resourceTooltip, toTreeItem } from './tree-item.ts';

export interface Connection {
  /** Distinguishes connections in node keys, so switching endpoints never reuses stale nodes. */
  key: string;
  label: string;
  description: string;
  source: ExplorerSource;
  /** Regions to show; empty: every region DescribeRegions returns. */
  regions: string[];
  /** Rows per request (TCE lists answer at most 100); a folder holds FOLDER_PAGES requests' worth. */
  pageSize: number;
}

/** Requests per folder of a long list: 500 rows at the default page size. */
export const FOLDER_PAGES = 5;

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
    item.command ??= resourceCommand(node);
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
        return this.cached(node, (signal) => this.loadGroup(node, signal));
      case 'page':
        return this.cached(node, (signal) => this.loadFolder(node, signal));
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

  /**
   * The node was collapsed: stop loading what nobody is looking at, and let go of the rows of folders nobody can
   * see (ours and, by announcing the change, VS Code's copies); they are read again when opened.
   */
  collapsed(node: Node): void {
    for (const [key, load] of this.loading) if (key.startsWith(node.key)) load.controller.abort();
    if (node.type === 'page') {
      if (this.release(node)) this.changed.fire(node);
    } else if (node.type === 'group') {
      const folders = (this.children.get(node.key)?.nodes ?? []).filter((n): n is PageNode => n.type === 'page');
      if (folders.map((folder) => this.release(folder)).some(Boolean)) this.changed.fire(node);
    }
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
      node.item = compactInstance(item);
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
      // An unchanged row is not announced: VS Code would rebuild it (and keep a little for each rebuild).
      item = node.kind === 'instance' ? compactInstance(item) : item;
      const same = !node.error && JSON.stringify(item) === JSON.stringify(node.item);
      delete node.error;
      node.item = item;
      if (!same) this.changed.fire(node);
      return;
    }
    // Gone: the node no longer claims its last state (an action's end report says "gone", not "SHUTDOWN").
    if (node.kind === 'instance') node.item = { ...node.item, InstanceState: undefined };
    const owner = node.parent;
    const state = owner && this.children.get(owner.key);
    if (!owner || !state) return;
    state.nodes = state.nodes.filter((n) => n.key !== node.key);
    // The last row gone: say so rather than show an open node with nothing under it.
    if ((owner.type === 'group' || owner.type === 'page') && !state.nodes.some((n) => n.type !== 'message'))
      state.nodes = [this.emptyMessage(owner)];
    this.changed.fire(owner);
  }

  /** Forget a folder's rows (and stop polling them). Returns whether there were any. */
  private release(folder: PageNode): boolean {
    const state = this.children.get(folder.key);
    if (!state) return false;
    this.children.delete(folder.key);
    for (const node of state.nodes) if (node.type === 'resource') this.polling.forget(node);
    return true;
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

  /**
   * A group's children: its rows when they fit in a folder, else folders of rows (each read when opened). Lists
   * whose length the API does not give (no TotalCount) keep a "Load more" row instead.
   */
  private async loadGroup(group: GroupNode, signal: AbortSignal): Promise<ChildState> {
    const { pageSize } = this.connection() as Connection;
    const folder = pageSize * FOLDER_PAGES;
    const first = await this.list(group, 0, this.step(group), signal);
    if (first.nextOffset !== undefined && first.total === undefined) return this.pageState(group, 0, first);
    if (first.nextOffset === undefined || (first.total ?? 0) <= folder) {
      const range = await this.readRange(group, 0, folder, signal, first);
      return { nodes: this.rows(group, range) };
    }
    const total = first.total!;
    const nodes: PageNode[] = [];
    for (let start = 0; start < total; start += folder) {
      nodes.push({
        type: 'page',
        key: `${group.key}/page:${start}`,
        parent: group,
        region: group.region,
        start,
        end: start + folder,
        total,
        last: start + folder >= total,
        ...(start === 0 ? { prefetched: { ...first, items: keep(group, first.items) } } : {}),
      });
    }
    return { nodes, total };
  }

  /** A folder's rows: its range of the list, read a page at a time. */
  private async loadFolder(folder: PageNode, signal: AbortSignal): Promise<ChildState> {
    const prefetched = folder.prefetched;
    delete folder.prefetched;
    const range = await this.readRange(folder.parent, folder.start, folder.end, signal, prefetched);
    return { nodes: this.rows(folder, range) };
  }

  /**
   * Rows [start, end) of a group's list, a request at a time. `more`: the list went on past the end — for the
   * last folder (or an unfoldered list) that means rows were added since its length was read.
   */
  private async readRange(
    group: GroupNode,
    start: number,
    end: number,
    signal: AbortSignal,
    first?: Page,
  ): Promise<{ items: Item[]; more?: number }> {
    const step = this.step(group);
    const items: Item[] = [];
    let page = first;
    let offset = start;
    for (;;) {
      page ??= await this.list(group, offset, Math.min(step, end - offset), signal);
      // Compacted as each page arrives, so the full items die young instead of waiting for the whole folder.
      items.push(...keep(group, page.items));
      if (page.nextOffset === undefined || page.items.length === 0) return { items };
      offset = page.nextOffset;
      if (offset >= end) return { items, more: page.total !== undefined ? page.total - offset : 0 };
      page = undefined;
    }
  }

  /** The row nodes of a range (polling those in a transitional state), or a row saying why there are none. */
  private rows(owner: GroupNode | PageNode, range: { items: Item[]; more?: number }): Node[] {
    const kind = groupInfo(owner.type === 'page' ? owner.parent.group : owner.group).kind;
    const nodes: Node[] = range.items.map((item) => this.resource(owner, kind, item));
    for (const node of nodes) this.polling.track(node as ResourceNode);
    if (nodes.length === 0) nodes.push(this.emptyMessage(owner));
    const grew = range.more !== undefined && (owner.type === 'group' || owner.last);
    if (grew) {
      const group = owner.type === 'page' ? owner.parent : owner;
      const more = range.more ? `${range.more.toLocaleString('en')} more` : 'More';
      const text = `${more} ${groupInfo(group.group).label.toLowerCase()} since this list was read — click to refresh`;
      nodes.push(
        message(owner, 'grew', text, 'info', { command: 'tceops.retry', title: 'Refresh', arguments: [group] }),
      );
    }
    return nodes;
  }

  private emptyMessage(owner: GroupNode | PageNode | ResourceNode): MessageNode {
    if (owner.type !== 'page') return message(owner, 'empty', emptyText(owner), 'info');
    // The range emptied (its rows terminated, or the list shrank since it was read): the group's folders are stale.
    return message(owner, 'empty', 'Nothing left in this range — click to refresh the list', 'info', {
      command: 'tceops.retry',
      title: 'Refresh',
      arguments: [owner.parent],
    });
  }

  /**
   * Rows per request: a page, or a whole folder when the filter is a name pattern (every instance is read to match
   * one anyway; data/source.ts then serves any number).
   */
  private step(group: GroupNode): number {
    const { pageSize } = this.connection() as Connection;
    return group.filter?.name !== undefined && hasWildcard(group.filter.name) ? pageSize * FOLDER_PAGES : pageSize;
  }

  private list(group: GroupNode, offset: number, limit: number, signal: AbortSignal): Promise<Page> {
    const connection = this.connection() as Connection;
    const info = groupInfo(group.group);
    return connection.source.list(info.list, group.region, { offset, limit, filter: group.filter, signal });
  }

  /**
   * One page of a list with "Load more": a group whose length the API does not say, or a file system's / permission
   * group's children.
   */
  private async loadPage(owner: GroupNode | ResourceNode, offset: number, signal: AbortSignal): Promise<ChildState> {
    const connection = this.connection() as Connection;
    const limit = connection.pageSize;
    if (owner.type === 'group') return this.pageState(owner, offset, await this.list(owner, offset, limit, signal));
    if (owner.kind === 'filesystem') {
      const pgroup = owner.item.PGroup as { PGroupId?: string; Name?: string } | undefined;
      const prefix = pgroup?.PGroupId && offset === 0 ? [this.resource(owner, 'pgroup', { ...pgroup })] : [];
      const page = await connection.source.list('mountTargets', owner.region, {
        offset,
        limit,
        parentId: owner.id,
        signal,
      });
      return this.pageState(owner, offset, page, prefix);
    }
    if (owner.kind === 'pgroup') {
      const page = await connection.source.list('rules', owner.region, { offset, limit, parentId: owner.id, signal });
      return this.pageState(owner, offset, page);
    }
    return { nodes: [] };
  }

  private pageState(owner: GroupNode | ResourceNode, offset: number, page: Page, prefix: Node[] = []): ChildState {
    const kind: ResourceKind =
      owner.type === 'group' ? groupInfo(owner.group).kind : owner.kind === 'filesystem' ? 'mountTarget' : 'rule';
    const nodes: Node[] = [...prefix, ...page.items.map((item) => this.resource(owner, kind, item))];
    for (const node of nodes) if (node.type === 'resource') this.polling.track(node);
    if (nodes.length === 0 && offset === 0) nodes.push(this.emptyMessage(owner));
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
    if (kind === 'instance') item = compactInstance(item);
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

/** What a group's rows keep of the items read: instances keep a compact record (present.ts). */
function keep(group: GroupNode, items: Item[]): Item[] {
  return group.group === 'instances' ? items.map(compactInstance) : items;
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
    case 'page':
      return `${node.region} / ${node.parent.group} ${node.start + 1}–${Math.min(node.end, node.total)}`;
    case 'resource':
      return `${node.region} / ${node.id}`;
    default:
      return node.type;
  }
}

function regionFrom(node: Node): string {
  if (node.type === 'group' || node.type === 'page' || node.type === 'resource' || node.type === 'region')
    return node.region;
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
