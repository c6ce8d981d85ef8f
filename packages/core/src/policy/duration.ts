/** Durations in policy files: "90s", "30m", "2h", "1d", or combined, "1h30m". */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const MIN_TTL_MS = 60_000;
export const MAX_TTL_MS = 7 * 86_400_000;

export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+[smhd])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) total += Number(n) * UNIT_MS[unit!]!;
  return total;
}

/** The problem with a ttl, or undefined. Approvals must live long enough to be seen, and not linger for weeks. */
export function ttlProblem(text: string): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return `"${text}" is not a duration; write it like 30m, 2h, 1d or 1h30m`;
  if (ms < MIN_TTL_MS) return `"${text}" is shorter than 1m: approvers would have no time to answer`;
  if (ms > MAX_TTL_MS)
    return `"${text}" is longer than 7d: an approval should not wait for weeks while the world changes`;
  return undefined;
}

export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms / 1000));
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}
