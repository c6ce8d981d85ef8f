/**
 * Globs in policy rules: "*" any run of characters, "?" one character, a leading "!" excludes. Nothing else is
 * special, so a typo like "cvm:Terminate[" is refused rather than read as something unexpected. Matching is
 * core's one glob matcher (../glob.ts), linear in the value.
 */
import { matchGlob } from '../glob.ts';

const GLOB_CHARS = /^[A-Za-z0-9_.:*?@#/+=-]+$/;

/** A problem with the glob, or undefined when it is fine. */
/** Longer than any name, action or channel it could be meant for. */
const MAX_GLOB = 256;

export function globProblem(glob: string): string | undefined {
  const body = glob.startsWith('!') ? glob.slice(1) : glob;
  if (body.length === 0) return `"${glob}" is empty`;
  if (glob.length > MAX_GLOB) return `"${glob.slice(0, 40)}…" is longer than ${MAX_GLOB} characters`;
  if (!GLOB_CHARS.test(body)) {
    const bad = [...body].find((c) => !GLOB_CHARS.test(c));
    return `"${glob}" has "${bad}", which globs do not use (only letters, digits, _ . : - / @ # + =, and the wildcards * and ?)`;
  }
  return undefined;
}

/**
 * Does `value` fit a list of globs? Positive entries: any must match (none given = anything). Negative entries
 * ("!x"): none may match.
 */
export function matchesList(globs: string[], value: string | undefined, caseInsensitive = false): boolean {
  const positive = globs.filter((g) => !g.startsWith('!'));
  const negative = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  if (value === undefined) return positive.length === 0 && negative.length > 0;
  if (negative.some((g) => matchGlob(g, value, { caseInsensitive }))) return false;
  return positive.length === 0 || positive.some((g) => matchGlob(g, value, { caseInsensitive }));
}
