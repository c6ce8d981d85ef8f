/**
 * Rendering for people (aligned tables) and for scripts (JSON that keeps big integers exact). Everything written
 * is made inert (core's `inert`): a name from the cloud cannot move the cursor, recolour or reorder the screen.
 */
import { inert, inertJson } from '@tceops/core/inert.ts';
import { stringifyJson } from '@tceops/core/api/json.ts';

export type OutputFormat = 'json' | 'table';

export { type Io, processIo } from './io.ts';

/** JSON for scripts: the same values, with the characters JSON leaves raw (bidi, C1) escaped. */
export function json(value: unknown): string {
  return inertJson(stringifyJson(value, 2));
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cell).join(',');
  if (typeof value === 'object') return inert(stringifyJson(value));
  // One line per row: a newline in a value becomes a space, any other control is shown, not obeyed.
  return inert(String(value).replace(/\s*\n\s*/g, ' '));
}

/** Columns in the order given (a key, or a key with a title for the header); cells are single-line. */
export function table(rows: Record<string, unknown>[], columns?: (string | { key: string; title: string })[]): string {
  if (rows.length === 0) return '(none)';
  const specs = (columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))]).map((c) =>
    typeof c === 'string' ? { key: c, title: c } : c,
  );
  const cols = specs.map((c) => inert(c.title));
  const cells = rows.map((row) => specs.map((col) => cell(row[col.key])));
  const widths = cols.map((col, i) => Math.max(col.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), ...cells.map(line)].join('\n');
}

/** A response as a table: its list (if any) as rows of scalar columns, the rest as key/value lines. */
export function responseTable(response: Record<string, unknown>): string {
  const parts: string[] = [];
  const scalars: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(response)) {
    if (Array.isArray(value) && value.length && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      const rows = value as Record<string, unknown>[];
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) =>
        rows.some((r) => r[c] !== null && (typeof r[c] !== 'object' || Array.isArray(r[c]))),
      );
      parts.push(`${key}:\n${table(rows, columns)}`);
    } else {
      scalars.push({ field: key, value });
    }
  }
  if (scalars.length) parts.unshift(table(scalars, ['field', 'value']));
  return parts.join('\n\n');
}
