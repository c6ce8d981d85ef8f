/** An in-memory ExplorerSource for tree tests: pages, filters, slow loads that honour the abort signal. */
import {
  type ExplorerSource,
  type Item,
  type ListKind,
  type Page,
  type PageRequest,
  type RegionInfo,
  wildcardMatcher,
} from '../../src/data/source.ts';

export interface FakeCloud {
  regions: RegionInfo[];
  lists: Partial<Record<ListKind, Item[]>>;
  /** Children by parent ID, for mount targets and rules. */
  children: Record<string, Item[]>;
  calls: {
    kind: ListKind | 'regions' | 'byId';
    region?: string;
    offset?: number;
    limit?: number;
    ids?: string[];
    filter?: PageRequest['filter'];
  }[];
  /** Hold every list call until released (to test cancellation). */
  hold?: Promise<void>;
  fail?: Error;
  /** Answer lists without a TotalCount, as some TCE lists do. */
  noTotal?: boolean;
}

export function instances(count: number, state = 'RUNNING'): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    InstanceId: `ins-${String(i).padStart(8, '0')}`,
    InstanceName: `web-${i}`,
    InstanceState: state,
    InstanceType: 'S5.MEDIUM4',
    PrivateIpAddresses: [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`],
    Tags: [{ Key: 'env', Value: i % 2 ? 'production' : 'test' }],
  }));
}

export function fakeCloud(partial: Partial<FakeCloud> = {}): FakeCloud {
  return { regions: [{ Region: 'ap-guangzhou' }], lists: {}, children: {}, calls: [], ...partial };
}

function aborted(signal?: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail, { once: true });
  });
}

export function fakeSource(cloud: FakeCloud): ExplorerSource {
  async function gate(signal?: AbortSignal) {
    if (cloud.hold) await Promise.race([cloud.hold, aborted(signal)]);
    if (cloud.fail) throw cloud.fail;
  }
  return {
    async regions() {
      cloud.calls.push({ kind: 'regions' });
      await gate();
      return cloud.regions;
    },
    async list(kind: ListKind, region: string, request: PageRequest): Promise<Page> {
      cloud.calls.push({ kind, region, offset: request.offset, limit: request.limit, filter: request.filter });
      await gate(request.signal);
      let all = request.parentId ? (cloud.children[request.parentId] ?? []) : (cloud.lists[kind] ?? []);
      const filter = request.filter;
      if (filter?.state) all = all.filter((i) => i.InstanceState === filter.state);
      if (filter?.name) {
        const matches = wildcardMatcher(filter.name);
        all = all.filter((i) => matches(String(i.InstanceName)));
      }
      if (filter?.tag)
        all = all.filter((i) =>
          (i.Tags as { Key: string; Value: string }[]).some(
            (t) => t.Key === filter.tag!.key && t.Value === filter.tag!.value,
          ),
        );
      // Copies, as from the wire: a test that changes the cloud must not change loaded nodes by accident.
      const items = structuredClone(all.slice(request.offset, request.offset + request.limit));
      const next = request.offset + items.length;
      const nextOffset = next < all.length ? next : undefined;
      return { items, total: cloud.noTotal ? undefined : all.length, nextOffset, requestIds: ['req-1'] };
    },
    async instancesById(region: string, ids: string[]) {
      cloud.calls.push({ kind: 'byId', region, ids });
      await gate();
      return structuredClone((cloud.lists.instances ?? []).filter((i) => ids.includes(String(i.InstanceId))));
    },
  };
}
