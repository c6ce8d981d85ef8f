/**
 * One identity, compared one way everywhere. An identity (a Slack user ID, a user-group ID, a local user name) is
 * normalized with NFKC, so look-alike forms ("ａｌｉｃｅ", "ﬁ") become the plain letters, and compared without
 * regard to case. An identity holding whitespace, control, format (zero-width, bidi) or unassigned characters is
 * refused wherever it comes from: " alice" or "alice\u200b" must never be a second alice nor the first one.
 */
import { InputError } from '../api/errors.ts';

/** White space, separators, controls, format characters (ZWSP, ZWJ, BOM, bidi marks), unassigned, surrogates. */
const FORBIDDEN = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cn}\p{Cs}\p{Co}\u115f\u1160\u3164\uffa0\u2800]/u;
const MAX_LENGTH = 128;

/** Why this text cannot be an identity, or undefined when it can. */
export function identityProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return 'an identity cannot be empty';
  if (raw.length > MAX_LENGTH) return `an identity is at most ${MAX_LENGTH} characters`;
  const bad = FORBIDDEN.exec(raw) ?? FORBIDDEN.exec(raw.normalize('NFKC'));
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `an identity cannot hold spaces, control or invisible characters (found U+${code})`;
  }
  return undefined;
}

/** The identity as it is compared and stored: NFKC. Throws InputError (exit 2) for a refused one. */
export function normalizeIdentity(raw: unknown, what = 'identity'): string {
  const problem = identityProblem(raw);
  if (problem) throw new InputError(`refused ${what} ${JSON.stringify(String(raw))}: ${problem}`, 'InvalidParameter');
  return (raw as string).normalize('NFKC');
}

/** The key two identities are compared by: normalized, then case-folded ("Alice" and "alice" are one person). */
export function identityKey(raw: string): string {
  return normalizeIdentity(raw).toLowerCase();
}

/** True when both are the same identity after normalization; a refused identity is never anyone. */
export function sameIdentity(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (identityProblem(a) || identityProblem(b)) return false;
  return identityKey(a) === identityKey(b);
}
