/** Helpers every service uses: lists in a region, lookups with the documented not-found codes, paging, filters. */
import { type ApiFailure, fail } from '../failure.ts';
import type { Collection, Stored } from '../state.ts';

/**
 * Read-only calls may reuse region lists between writes: listing 10,000 records of a plain object costs
 * milliseconds (Object.values on a large object is slow), and DescribeInstances pages should not. Any write or
 * settled transition moves the generation on; writes never use the cache, so they always see their own changes.
 */
let generation = 0;
let caching = false;
const regionLists = new WeakMap<object, Map<string, { generation: number; list: Stored<unknown>[] }>>();

export function invalidateLists(): void {
  generation += 1;
}

/** Run a read-only handler with the region lists cached. */
export function withListCache<T>(read: () => T): T {
  caching = true;
  try {
    return read();
  } finally {
    caching = false;
  }
}

/** The records of a region, in creation order. */
export function inRegion<T>(items: Collection<T>, region: string): Stored<T>[] {
  if (!caching) return Object.values(items).filter((s) => s.region === region);
  let byRegion = regionLists.get(items);
  if (!byRegion) {
    byRegion = new Map();
    regionLists.set(items, byRegion);
  }
  const hit = byRegion.get(region);
  if (hit && hit.generation === generation) return hit.list as Stored<T>[];
  const list = Object.values(items).filter((s) => s.region === region);
  byRegion.set(region, { generation, list });
  return list;
}

export function findIn<T>(items: Collection<T>, id: string, region: string): Stored<T> | undefined {
  const found = items[id];
  return found && found.region === region ? found : undefined;
}

/** Every ID must exist in the region; the error names the missing ones. */
export function requireAll<T>(
  items: Collection<T>,
  ids: string[],
  region: string,
  code: string,
  label: string,
): Stored<T>[] {
  const missing = ids.filter((id) => !findIn(items, id, region));
  if (missing.length) fail(code, `no ${label} ${missing.join(', ')} in ${region}`);
  const unique = [...new Set(ids)];
  return unique.map((id) => items[id]!);
}

export function requireOne<T>(
  items: Collection<T>,
  id: string,
  region: string,
  code: string,
  label: string,
): Stored<T> {
  return requireAll(items, [id], region, code, label)[0]!;
}

/** Offset/Limit paging with the documented default and maximum. */
export function page<T>(
  items: T[],
  params: Record<string, unknown>,
  defaults: { limit: number; max: number } = { limit: 20, max: 100 },
): T[] {
  const offset = Number(params.Offset ?? 0);
  const limit = Number(params.Limit ?? defaults.limit);
  if (offset < 0) fail('InvalidParameterValue', `Offset is ${offset}; it must be 0 or more`);
  if (limit < 0 || limit > defaults.max)
    fail('InvalidParameterValue', `Limit is ${limit}; it must be 0 to ${defaults.max}`);
  return items.slice(offset, offset + limit);
}

export interface Filter {
  Name: string;
  Values: string[];
}

/** How a filter name reads a record: the values it has for that name. */
export type FilterFields<T> = Record<string, (item: T) => unknown>;

/**
 * Filters AND together, values within one filter OR (000:14249). Names not in `fields` are refused with
 * InvalidFilter, listing the known ones; `tag:<key>` filters match a tag's value when `tagsOf` is given.
 */
export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  fields: FilterFields<T>,
  options: { maxValues?: number; tagsOf?: (item: T) => { Key: string; Value: string }[] } = {},
): T[] {
  if (!filters?.length) return items;
  const tests = filters.map((filter) => {
    if (options.maxValues !== undefined && filter.Values.length > options.maxValues) {
      fail(
        'InvalidFilterValue.LimitExceeded',
        `filter ${filter.Name} has ${filter.Values.length} values; at most ${options.maxValues} are allowed`,
      );
    }
    const wanted = new Set(filter.Values);
    if (filter.Name.startsWith('tag:') && options.tagsOf) {
      const key = filter.Name.slice(4);
      const tagsOf = options.tagsOf;
      return (item: T) => tagsOf(item).some((t) => t.Key === key && wanted.has(t.Value));
    }
    const read = fields[filter.Name];
    if (!read) {
      const names = [...Object.keys(fields), ...(options.tagsOf ? ['tag:<key>'] : [])];
      fail('InvalidFilter', `unknown filter "${filter.Name}"; filters: ${names.join(', ')}`);
    }
    return (item: T) => {
      const value = read(item);
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => v !== undefined && v !== null && wanted.has(String(v)));
    };
  });
  return items.filter((item) => tests.every((test) => test(item)));
}

/** A batch is refused as a whole when one member may not take the operation: nothing changes. */
export function refuseUnless<T>(items: T[], allowed: (item: T) => boolean, failure: (item: T) => ApiFailure): void {
  for (const item of items) if (!allowed(item)) throw failure(item);
}

export function isRead(action: string): boolean {
  return /^(Describe|Query|Inquiry|Get)/.test(action);
}

export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}
