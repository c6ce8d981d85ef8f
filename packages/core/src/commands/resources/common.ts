/** Small helpers the resource files share. */
import { InputError } from '../../api/errors.ts';

/** `--tag env=prod --tag team=web` → [['env','prod'], ['team','web']]. */
export function parseTagFlags(value: unknown): [string, string][] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const text = String(item);
    const at = text.indexOf('=');
    if (at <= 0) throw new InputError(`--tag "${text}" must be key=value, e.g. --tag env=production`);
    return [text.slice(0, at), text.slice(at + 1)];
  });
}

export function tagsOf(item: { Tags?: { Key: string; Value: string }[] | null }): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of item.Tags ?? []) tags[tag.Key] = tag.Value;
  return tags;
}

import type { TceClient } from '../../api/client.ts';
import type { ResourceKind, TableView } from '../types.ts';

export interface ListDefinition<T> {
  service: string;
  version?: string;
  action: string;
  itemsKey: string;
  kind: ResourceKind;
  title: string;
  columns: { key: string; title: string; value: (item: T) => unknown }[];
  id: (item: T) => string;
  state?: (item: T) => string | undefined;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(',');
  return String(value);
}

/** One page of a listing as a table view. */
export async function listView<T>(
  definition: ListDefinition<T>,
  client: TceClient,
  region: string,
  params: Record<string, unknown>,
): Promise<TableView> {
  const response = await client.call(definition.service, definition.action, params, {
    region,
    version: definition.version,
  });
  const items = (response[definition.itemsKey] ?? []) as T[];
  const total = typeof response.TotalCount === 'number' ? response.TotalCount : undefined;
  const view: TableView = {
    kind: definition.kind,
    title: definition.title,
    columns: definition.columns.map(({ key, title }) => ({ key, title })),
    rows: items.map((item) => Object.fromEntries(definition.columns.map((c) => [c.key, text(c.value(item))]))),
    items: items as Record<string, unknown>[],
    ids: items.map(definition.id),
    states: definition.state ? items.map((item) => definition.state!(item) ?? '') : undefined,
    total,
    requestIds: [response.RequestId],
  };
  const offset = Number(params.Offset ?? 0);
  if (total !== undefined && offset + items.length < total && items.length > 0) view.nextOffset = offset + items.length;
  return view;
}

export const PAGE_FLAGS = {
  limit: { type: 'number', description: 'rows per page (default 20)' },
  offset: { type: 'number', description: 'rows to skip' },
} as const;

export function pageParams(flags: Record<string, unknown>, max = 100): { Offset: number; Limit: number } {
  const limit = Number(flags.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new InputError(`--limit must be a whole number from 1 to ${max}`);
  const offset = Number(flags.offset ?? 0);
  if (!Number.isInteger(offset) || offset < 0) throw new InputError('--offset must be a whole number, 0 or more');
  return { Offset: offset, Limit: limit };
}
