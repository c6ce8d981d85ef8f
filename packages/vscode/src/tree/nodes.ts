/** The tree's nodes: plain data. Each has a stable `key`, which is also its TreeItem id. */
import type { InstanceFilter, Item, ListKind, Page } from '../data/source.ts';
import type { ResourceKind } from './present.ts';

export type GroupKind = 'instances' | 'images' | 'keypairs' | 'filesystems' | 'jobs';

interface NodeBase {
  key: string;
  parent?: Node;
}

export interface ConnectionNode extends NodeBase {
  type: 'connection';
  label: string;
  description: string;
}

export interface RegionNode extends NodeBase {
  type: 'region';
  region: string;
  name?: string;
}

export interface GroupNode extends NodeBase {
  type: 'group';
  group: GroupKind;
  region: string;
  filter?: InstanceFilter;
}

export interface ResourceNode extends NodeBase {
  type: 'resource';
  kind: ResourceKind;
  region: string;
  id: string;
  item: Item;
  /** The last refresh of this row failed: what it shows may be out of date, and it says so. */
  error?: string;
}

/**
 * A folder of a long list ("Instances 501–1,000"): a range of the list's rows, read when expanded. VS Code then
 * holds only the rows of open folders, and a change in one refreshes that folder alone.
 */
export interface PageNode extends NodeBase {
  type: 'page';
  parent: GroupNode;
  region: string;
  /** The first row's offset in the list, and the end of the range (exclusive). */
  start: number;
  end: number;
  /** The list's length when it was read. */
  total: number;
  /** The last folder also shows rows added since the list was read (up to a folder's size). */
  last: boolean;
  /** The group's first request, kept for the first folder so its rows are not read twice. */
  prefetched?: Page;
}

/** The "Load more" row of a list whose length the API does not say (no TotalCount). */
export interface LoadMoreNode extends NodeBase {
  type: 'loadMore';
  owner: Node;
  loaded: number;
  total?: number;
}

export interface MessageNode extends NodeBase {
  type: 'message';
  text: string;
  icon: string;
  tooltip?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
}

export type Node = ConnectionNode | RegionNode | GroupNode | PageNode | ResourceNode | LoadMoreNode | MessageNode;

export const GROUPS: { group: GroupKind; label: string; icon: string; list: ListKind; kind: ResourceKind }[] = [
  { group: 'instances', label: 'Instances', icon: 'vm', list: 'instances', kind: 'instance' },
  { group: 'images', label: 'Images', icon: 'file-binary', list: 'images', kind: 'image' },
  { group: 'keypairs', label: 'Key Pairs', icon: 'key', list: 'keypairs', kind: 'keypair' },
  { group: 'filesystems', label: 'File Systems', icon: 'database', list: 'filesystems', kind: 'filesystem' },
  { group: 'jobs', label: 'Migration Jobs', icon: 'cloud-upload', list: 'jobs', kind: 'job' },
];

export function groupInfo(group: GroupKind) {
  return GROUPS.find((g) => g.group === group)!;
}

export function describeFilter(filter: InstanceFilter | undefined): string {
  if (!filter) return '';
  const parts: string[] = [];
  if (filter.name) parts.push(`name=${filter.name}`);
  if (filter.state) parts.push(`state=${filter.state}`);
  if (filter.tag) parts.push(`tag:${filter.tag.key}=${filter.tag.value}`);
  return parts.join(' ');
}

/** The region a node belongs to, if any. */
export function regionOf(node: Node): string | undefined {
  if (node.type === 'region' || node.type === 'group' || node.type === 'page' || node.type === 'resource')
    return node.region;
  return node.parent ? regionOf(node.parent) : undefined;
}
