/**
 * JSON that keeps integers beyond 2^53 exact. The fast path is plain JSON.parse; only a body that holds a long
 * run of digits outside strings takes the lossless parser.
 */
import { isSafeNumber, parse, stringify } from 'lossless-json';

// An unsafe integer needs 16+ digits in a row; most bodies have no such run at all, which one quick scan shows.
const DIGIT_RUN = /\d{16}/;
// 16+ digits right after a structural character: the only way an unsafe integer can appear as a number.
const LONG_NUMBER = /[:[,]\s*-?\d{16,}/;

function parseNumber(text: string): number | bigint {
  if (isSafeNumber(text)) return Number(text);
  if (/^-?\d+$/.test(text)) return BigInt(text);
  return Number(text);
}

export function parseJson(text: string): unknown {
  if (!DIGIT_RUN.test(text) || !LONG_NUMBER.test(text)) return JSON.parse(text);
  return parse(text, null, parseNumber);
}

/** JSON text in which bigint values are written as plain numbers. */
export function stringifyJson(value: unknown, indent?: number): string {
  if (!containsBigInt(value)) return JSON.stringify(value, null, indent);
  return stringify(value, null, indent) ?? 'null';
}

function containsBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (!value || typeof value !== 'object') return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (containsBigInt(item)) return true;
  return false;
}
