/**
 * Offset/Limit listing: fetch pages until the total is reached or a short page arrives.
 */
import type { CallOptions, TceClient } from './client.ts';

export interface PageOptions extends CallOptions {
  /** The response field holding the items, e.g. "InstanceSet". */
  itemsKey: string;
  /** The response field holding the total, usually "TotalCount". */
  totalKey?: string;
  /** Page size: TCE lists take at most 100 (CSM at most 50). */
  pageSize?: number;
  /** Stop after this many items. */
  max?: number;
}

export async function* paginate<T = Record<string, unknown>>(
  client: TceClient,
  service: string,
  action: string,
  params: Record<string, unknown>,
  options: PageOptions,
): AsyncGenerator<T> {
  const pageSize = options.pageSize ?? 100;
  const totalKey = options.totalKey ?? 'TotalCount';
  let offset = typeof params.Offset === 'number' ? params.Offset : 0;
  let yielded = 0;
  for (;;) {
    const response = await client.call(service, action, { ...params, Offset: offset, Limit: pageSize }, options);
    const items = (response[options.itemsKey] ?? []) as T[];
    if (!Array.isArray(items)) throw new TypeError(`${action} answered without a list in "${options.itemsKey}"`);
    for (const item of items) {
      if (options.max !== undefined && yielded >= options.max) return;
      yielded++;
      yield item;
    }
    offset += items.length;
    const total = Number(response[totalKey] ?? Number.NaN);
    if (items.length < pageSize || items.length === 0 || (Number.isFinite(total) && offset >= total)) return;
  }
}

/** Every item of a listing, in order. */
export async function listAll<T = Record<string, unknown>>(
  client: TceClient,
  service: string,
  action: string,
  params: Record<string, unknown>,
  options: PageOptions,
): Promise<T[]> {
  const items: T[] = [];
  for await (const item of paginate<T>(client, service, action, params, options)) items.push(item);
  return items;
}
