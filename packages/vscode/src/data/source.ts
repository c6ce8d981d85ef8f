/**
 * The tree's reads: one page of a list at a time, straight through the core client (no plan, no policy —
 * listing is read-only). Each kind of list is a row in LISTS, so adding a kind is adding data.
 */
import type { TceClient } from '@tceops/core';

export type Item = Record<string, unknown>;

export type ListKind = 'instances' | 'images' | 'keypairs' | 'filesystems' | 'mountTargets' | 'rules' | 'jobs';

export interface InstanceFilter {
  /** Exact name, or a pattern with * and ? (matched here, since the API matches names exactly). */
  name?: string;
  state?: string;
  tag?: { key: string; value: string };
}

export interface PageRequest {
  offset: number;
  limit: number;
  /** The parent resource: the file system of mount targets, the permission group of rules. */
  parentId?: string;
  filter?: InstanceFilter;
  signal?: AbortSignal;
}

export interface Page {
  items: Item[];
  total?: number;
  /** Where the next page starts, when there is one. */
  nextOffset?: number;
  requestIds: string[];
}

export interface RegionInfo {
  Region: string;
  RegionName?: string;
  RegionState?: string;
}

export interface ExplorerSource {
  regions(signal?: AbortSignal): Promise<RegionInfo[]>;
  list(kind: ListKind, region: string, request: PageRequest): Promise<Page>;
  /** Fresh copies of some instances (for polling and after actions); missing IDs are simply absent. */
  instancesById(region: string, ids: string[], signal?: AbortSignal): Promise<Item[]>;
}

interface ListDefinition {
  service: string;
  action: string;
  version?: string;
  itemsKey: string;
  /** Largest page the action accepts (CSM: 50). Undefined: the action has no paging. */
  maxLimit?: number;
  params?: (request: PageRequest) => Record<string, unknown>;
}

export const CFS_VERSION = '2019-07-19';

export const LISTS: Record<ListKind, ListDefinition> = {
  instances: {
    service: 'cvm',
    action: 'DescribeInstances',
    itemsKey: 'InstanceSet',
    maxLimit: 100,
    params: instanceFilters,
  },
  images: {
    service: 'cvm',
    action: 'DescribeImages',
    itemsKey: 'ImageSet',
    maxLimit: 100,
    // Public images number in the hundreds and cannot be changed: the tree shows the ones you own or were given.
    params: () => ({ Filters: [{ Name: 'image-type', Values: ['PRIVATE_IMAGE', 'SHARED_IMAGE'] }] }),
  },
  keypairs: { service: 'cvm', action: 'DescribeKeyPairs', itemsKey: 'KeyPairSet', maxLimit: 100 },
  filesystems: {
    service: 'cfs',
    action: 'DescribeCfsFileSystems',
    version: CFS_VERSION,
    itemsKey: 'FileSystems',
    maxLimit: 100,
  },
  mountTargets: {
    service: 'cfs',
    action: 'DescribeMountTargets',
    version: CFS_VERSION,
    itemsKey: 'MountTargets',
    params: (r) => ({ FileSystemId: r.parentId }),
  },
  rules: {
    service: 'cfs',
    action: 'DescribeCfsRules',
    version: CFS_VERSION,
    itemsKey: 'RuleList',
    params: (r) => ({ PGroupId: r.parentId }),
  },
  jobs: { service: 'csm', action: 'DescribeMigrationJobs', itemsKey: 'MigrationJobs', maxLimit: 50 },
};

function instanceFilters(request: PageRequest): Record<string, unknown> {
  const filters: { Name: string; Values: string[] }[] = [];
  const filter = request.filter ?? {};
  if (filter.state) filters.push({ Name: 'instance-state', Values: [filter.state] });
  if (filter.tag) filters.push({ Name: `tag:${filter.tag.key}`, Values: [filter.tag.value] });
  if (filter.name && !hasWildcard(filter.name)) filters.push({ Name: 'instance-name', Values: [filter.name] });
  return filters.length ? { Filters: filters } : {};
}

export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** Shell-style: * any text, ? one character, case-insensitive; everything else literal. */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, 'i');
  return (name) => regex.test(name);
}

/** Reads through a core client. A wildcard name filter reads every page and matches here. */
export function createClientSource(client: TceClient): ExplorerSource {
  async function page(kind: ListKind, region: string, request: PageRequest): Promise<Page> {
    const definition = LISTS[kind];
    const params: Record<string, unknown> = { ...definition.params?.(request) };
    if (definition.maxLimit !== undefined) {
      params.Offset = request.offset;
      params.Limit = Math.min(request.limit, definition.maxLimit);
    }
    const response = await client.call(definition.service, definition.action, params, {
      region,
      version: definition.version,
      signal: request.signal,
    });
    const items = (response[definition.itemsKey] ?? []) as Item[];
    const total = typeof response.TotalCount === 'number' ? response.TotalCount : undefined;
    const result: Page = { items, total, requestIds: [response.RequestId] };
    if (definition.maxLimit !== undefined && items.length > 0) {
      const next = request.offset + items.length;
      const more = total !== undefined ? next < total : items.length >= Number(params.Limit);
      if (more) result.nextOffset = next;
    }
    return result;
  }

  async function matchingByName(region: string, request: PageRequest): Promise<Page> {
    const matches = wildcardMatcher(request.filter!.name!);
    const found: Item[] = [];
    const requestIds: string[] = [];
    let offset = 0;
    for (;;) {
      const next = await page('instances', region, { ...request, offset, limit: 100 });
      requestIds.push(...next.requestIds);
      found.push(...next.items.filter((item) => matches(String(item.InstanceName ?? ''))));
      if (next.nextOffset === undefined) break;
      offset = next.nextOffset;
    }
    const items = found.slice(request.offset, request.offset + request.limit);
    const end = request.offset + items.length;
    return { items, total: found.length, nextOffset: end < found.length ? end : undefined, requestIds };
  }

  return {
    async regions(signal) {
      const response = await client.call<{ RegionSet?: RegionInfo[] }>('cvm', 'DescribeRegions', {}, { signal });
      return response.RegionSet ?? [];
    },
    list(kind, region, request) {
      if (kind === 'instances' && request.filter?.name && hasWildcard(request.filter.name)) {
        return matchingByName(region, request);
      }
      return page(kind, region, request);
    },
    async instancesById(region, ids, signal) {
      const found: Item[] = [];
      // DescribeInstances takes at most 100 IDs per call.
      for (let i = 0; i < ids.length; i += 100) {
        const batch = ids.slice(i, i + 100);
        const response = await client.call(
          'cvm',
          'DescribeInstances',
          { InstanceIds: batch, Limit: 100 },
          { region, signal },
        );
        found.push(...((response.InstanceSet ?? []) as Item[]));
      }
      return found;
    },
  };
}
