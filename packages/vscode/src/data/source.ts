/**
 * The tree's reads: one page of a list at a time through a policed read client (core's commands/policed-reads.ts: each read
 * decided by the pipeline before the pipeline's client sends it). Instances are listed and looked up by
 * core's own functions (the filters, name patterns and paging of `cvm instances`); the other kinds of list are
 * rows in LISTS, so adding a kind is adding data.
 */
import { listAll, type TceClient } from '@tceops/core';
import { describeInstances, instanceFilters, listInstances } from '@tceops/core/commands/resources/instances.ts';
import { compileGlob, hasWildcard } from '@tceops/core/glob.ts';
import { CFS_VERSION } from '@tceops/core/kinds/filesystem.ts';

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

export { CFS_VERSION };

export const LISTS: Record<ListKind, ListDefinition> = {
  // Direct reads of instances go through core's listInstances; the server source sends these words instead.
  instances: {
    service: 'cvm',
    action: 'DescribeInstances',
    itemsKey: 'InstanceSet',
    maxLimit: 100,
    params: (r) => instanceFilters(queryOf(r)),
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

/** The tree's filter as core's instance query. */
function queryOf(request: PageRequest) {
  const { filter = {} } = request;
  return {
    state: filter.state,
    name: filter.name,
    tags: filter.tag ? [[filter.tag.key, filter.tag.value] as [string, string]] : [],
    offset: request.offset,
    limit: request.limit,
    signal: request.signal,
  };
}

export { hasWildcard };

/** Shell-style: * any text, ? one character, case-insensitive (core's glob matcher). */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  return compileGlob(pattern, { caseInsensitive: true });
}

/** Reads through the client `open` gives: the pipeline's policed reads (commands/policed-reads.ts), opened on first use. */
export function createClientSource(open: () => Promise<TceClient>): ExplorerSource {
  // One read client for the source's life (its allowed decisions are kept in it); opened again after a failure.
  let opened: Promise<TceClient> | undefined;
  const reads = () =>
    (opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
  async function page(kind: Exclude<ListKind, 'instances'>, region: string, request: PageRequest): Promise<Page> {
    const policed = await reads();
    const definition = LISTS[kind];
    const params: Record<string, unknown> = { ...definition.params?.(request) };
    if (definition.maxLimit !== undefined) {
      params.Offset = request.offset;
      params.Limit = Math.min(request.limit, definition.maxLimit);
    }
    const response = await policed.call(definition.service, definition.action, params, {
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

  /**
   * Instances whose names match a pattern: the API matches names exactly, so every instance is read and matched
   * here (as core's listInstances does) — and then any `limit` is served, so a folder of 500 costs one listing, not
   * one per 100 rows.
   */
  async function patternPage(policed: TceClient, region: string, request: PageRequest): Promise<Page> {
    const params = instanceFilters(queryOf(request));
    const all = await listAll<Item>(policed, 'cvm', 'DescribeInstances', params, {
      itemsKey: 'InstanceSet',
      region,
      signal: request.signal,
    });
    const matches = wildcardMatcher(request.filter!.name!);
    const matched = all.filter((item) => matches(String(item.InstanceName ?? '')));
    const items = matched.slice(request.offset, request.offset + request.limit);
    const next = request.offset + items.length;
    return { items, total: matched.length, requestIds: [], ...(next < matched.length ? { nextOffset: next } : {}) };
  }

  return {
    async regions(signal) {
      const response = await (await reads()).call<{ RegionSet?: RegionInfo[] }>(
        'cvm',
        'DescribeRegions',
        {},
        { signal },
      );
      return response.RegionSet ?? [];
    },
    async list(kind, region, request) {
      if (kind !== 'instances') return page(kind, region, request);
      const policed = await reads();
      if (request.filter?.name !== undefined && hasWildcard(request.filter.name))
        return patternPage(policed, region, request);
      return listInstances(policed, region, queryOf(request)) as Promise<Page>;
    },
    async instancesById(region, ids, signal) {
      return (await describeInstances(await reads(), region, ids, signal)) as Item[];
    },
  };
}
