/**
 * JSON that keeps every number exact or refuses it, and refuses nesting deeper than any TCE document needs.
 * The fast path is plain JSON.parse with the depth measured on the result; when a number JSON.parse could change
 * may be present (16+ digits, or an exponent), or the text is long, one scan over the text (strings skipped)
 * measures the depth and finds them. Only a body holding one takes the lossless
 * parser, where integers beyond 2^53 become bigints and a number no double holds (1e400, 1e-400, 20 significant
 * decimals) is refused instead of silently becoming Infinity, 0 or a rounded value.
 */
import { isSafeNumber, parse, stringify } from 'lossless-json';

/** TCE's deepest documents nest about six levels; past this, later recursion (rendering, stringify) would fail. */
export const MAX_JSON_DEPTH = 64;

/** Valid JSON tceops still refuses: too deep, or a number it cannot keep exact. */
export class JsonLimitError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = 'JsonLimitError';
  }
}

/** Depth past the limit throws; returns whether a number needs the lossless parser. */
function scan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let careful = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Jump to the closing quote: one not preceded by an odd number of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return careful; // unterminated: JSON.parse says so
        let slashes = 0;
        while (text.charCodeAt(i - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) throw new JsonLimitError(`it is nested deeper than ${maxDepth} levels`);
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    } else if (c >= 48 && c <= 57 && !careful) {
      let end = i + 1;
      for (; end < length; end++) {
        const d = text.charCodeAt(end);
        if (!((d >= 48 && d <= 57) || d === 46)) break;
      }
      const next = text.charCodeAt(end);
      if (end - i >= 16 || next === 101 /* e */ || next === 69 /* E */) careful = true;
      i = end - 1;
    }
  }
  return careful;
}

/** A decimal with at most 15 significant digits in the normal range survives the round trip through a double. */
function fitsDouble(text: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const mantissa = text.replace(/^-/, '').replace(/[eE].*$/, '');
  const digits = mantissa.replace('.', '').replace(/^0+/, '');
  if (value === 0) return !/[1-9]/.test(digits);
  if (Math.abs(value) < 2.2250738585072014e-308) return false; // subnormal: precision lost
  return digits.replace(/0+$/, '').length <= 15;
}

function parseNumber(text: string): number | bigint {
  if (isSafeNumber(text)) return Number(text);
  if (/^-?\d+$/.test(text)) return BigInt(text);
  const value = Number(text);
  if (fitsDouble(text, value)) return value;
  throw new JsonLimitError(`it holds the number ${text.slice(0, 40)}, which tceops cannot keep exact`);
}

/**
 * A number JSON.parse could change: 16+ digits, or an exponent, where a value starts (after `:`, `,`, `[` or at the
 * start). Only text inside a string can match it falsely; that costs the careful scan, never a wrong value.
 */
const RISKY_NUMBER = /(?:^|[:,[])\s*-?\d(?:[\d.]{15}|[\d.]*[eE])/;

/**
 * Past this length the text is scanned before the native parser sees it. V8's JSON.parse takes time growing faster
 * than the text with the nesting depth (2,000,000 levels, 4 MB: about 2 s; bench/json.bench.ts), while the scan
 * stops at the first level past the limit. Below it the native parser's worst case stays a fraction of a second,
 * and ordinary answers skip the scan, which costs 10–25% of a parse.
 */
const SCAN_LONGER_THAN = 1 << 20;

/**
 * Whether a parsed object or array nests deeper than `depthLeft` (stops at the first level past it). Values that
 * are not containers are skipped where they are found, without a call each: a page is mostly strings and numbers.
 */
function tooDeep(value: object, depthLeft: number): boolean {
  if (depthLeft === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && tooDeep(item, depthLeft - 1)) return true;
    }
  } else {
    for (const key in value) {
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null && tooDeep(item, depthLeft - 1)) return true;
    }
  }
  return false;
}

export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  // The common answer: one regular-expression test and the native parser (which does not recurse, so any depth is
  // safe to parse, if slowly: see SCAN_LONGER_THAN), then the depth measured on the result — far cheaper than a
  // scan of every character in JS.
  try {
    if (text.length <= SCAN_LONGER_THAN && !RISKY_NUMBER.test(text)) {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && tooDeep(value, maxDepth))
        throw new JsonLimitError(`it is nested deeper than ${maxDepth} levels`);
      return value;
    }
    if (!scan(text, maxDepth)) return JSON.parse(text);
    return parse(text, null, parseNumber);
  } catch (error) {
    throw error instanceof JsonLimitError ? error : syntaxError(text, error as Error);
  }
}

/**
 * Where the text stops being JSON, and nothing of what it says: V8 quotes the text around the fault
 * ('Unexpected token 'R', ..."ecretKey":RedTeamSup"...'), and the text may be a credential file or a password.
 */
function syntaxError(text: string, error: Error): SyntaxError {
  let at = /position (\d+)/.exec(error.message)?.[1];
  if (at === undefined) {
    try {
      parse(text); // the lossless parser names the position where V8 does not
    } catch (again) {
      at = /position (\d+)/.exec((again as Error).message)?.[1];
    }
  }
  if (at === undefined || Number(at) >= text.trimEnd().length) return new SyntaxError('it ends before the JSON does');
  const before = text.slice(0, Number(at));
  const line = before.split('\n').length;
  const column = Number(at) - before.lastIndexOf('\n');
  return new SyntaxError(`unexpected text at line ${line}, column ${column}`);
}

/** JSON text in which bigint values are written as plain numbers. */
export function stringifyJson(value: unknown, indent?: number): string {
  // The native stringify refuses a bigint (TypeError): only then is the value walked and written losslessly, so the
  // common case costs no walk of its own (a 165 KB DescribeInstances page spent a third of its time in it).
  try {
    return JSON.stringify(value, null, indent);
  } catch (error) {
    if (!containsBigInt(value)) throw error;
    return stringify(value, null, indent) ?? 'null';
  }
}

function containsBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (!value || typeof value !== 'object') return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (containsBigInt(item)) return true;
  return false;
}
