/**
 * The tree's reads through a tceops server: each page is `call <service> <Action> --Param value…` run on the
 * server's pipeline (a read: checked against its policy and audited there), as the Slack user who signed in.
 * The server's keys never reach the editor.
 */
import {
  hasWildcard,
  LISTS,
  wildcardMatcher,
  type ExplorerSource,
  type Item,
  type ListKind,
  type Page,
  type PageRequest,
  type RegionInfo,
} from '../data/source.ts';
import type { EnginePort } from '../engine-port.ts';
import { callWords } from '@tceops/core/commands/policed-reads.ts';

const ME = { actor: { id: 'server' }, surface: 'vscode' as const };

async function read(engine: EnginePort, words: string[]): Promise<Record<string, unknown>> {
  // Words, not text: a value with spaces (a tag, a name) stays one value. The remote engine takes either.
  const outcome = await engine.run(words, ME);
  if (outcome.kind === 'detail') return outcome.item;
  if (outcome.kind === 'error') throw Object.assign(new Error(outcome.error.message), outcome.error);
  if (outcome.kind === 'denied') throw new Error(`the server's policy denied this read: ${outcome.reason}`);
  throw new Error(`the server answered ${outcome.kind} to a read`);
}

/** One page of a list as `call` words, from `offset`. */
function listWords(kind: ListKind, region: string, request: PageRequest, offset: number): string[] {
  const definition = LISTS[kind];
  const params = {
    ...(definition.params?.(request) ?? {}),
    ...(definition.maxLimit ? { Offset: offset, Limit: Math.min(request.limit, definition.maxLimit) } : {}),
  };
  return callWords({
    service: definition.service,
    action: definition.action,
    region,
    params,
    version: definition.version,
  });
}

/**
 * Instances whose names match a pattern, as the direct source serves them (data/source.ts): the API matches names
 * exactly, so every page is read and matched here, and the request's range of the matches is served with their
 * count as the total (the tree builds its folders from it).
 */
async function patternPage(engine: EnginePort, region: string, request: PageRequest): Promise<Page> {
  const matches = wildcardMatcher(request.filter!.name!);
  const matched: Item[] = [];
  const whole = { ...request, limit: 100 };
  for (let offset = 0; ; ) {
    request.signal?.throwIfAborted();
    const response = await read(engine, listWords('instances', region, whole, offset));
    const items = (response.InstanceSet as Item[] | undefined) ?? [];
    matched.push(...items.filter((i) => matches(String(i.InstanceName ?? ''))));
    offset += items.length;
    const total = typeof response.TotalCount === 'number' ? response.TotalCount : 0;
    if (items.length === 0 || offset >= total) break;
  }
  const items = matched.slice(request.offset, request.offset + request.limit);
  const next = request.offset + items.length;
  return { items, total: matched.length, requestIds: [], ...(next < matched.length ? { nextOffset: next } : {}) };
}

export function createServerSource(engine: EnginePort): ExplorerSource {
  return {
    async regions() {
      const response = await read(engine, callWords({ service: 'cvm', action: 'DescribeRegions' }));
      return (response.RegionSet as RegionInfo[] | undefined) ?? [];
    },
    async list(kind: ListKind, region: string, request: PageRequest): Promise<Page> {
      if (kind === 'instances' && request.filter?.name && hasWildcard(request.filter.name))
        return patternPage(engine, region, request);
      const definition = LISTS[kind];
      const response = await read(engine, listWords(kind, region, request, request.offset));
      const items = (response[definition.itemsKey] as Item[] | undefined) ?? [];
      const total = typeof response.TotalCount === 'number' ? response.TotalCount : undefined;
      const next = request.offset + items.length;
      return {
        items,
        total,
        ...(definition.maxLimit && total !== undefined && next < total ? { nextOffset: next } : {}),
        requestIds: typeof response.RequestId === 'string' ? [response.RequestId] : [],
      };
    },
    async instancesById(region, ids) {
      if (!ids.length) return [];
      const response = await read(
        engine,
        callWords({ service: 'cvm', action: 'DescribeInstances', region, params: { InstanceIds: ids, Limit: 100 } }),
      );
      return (response.InstanceSet as Item[] | undefined) ?? [];
    },
  };
}
