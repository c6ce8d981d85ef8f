/**
 * The one glob matcher (policy rules, --name patterns, tag values, channels): "*" any run of characters, "?" one
 * character, everything else literal. Globs used to become regular expressions, and a pattern like
 * "*?*?*?…!" made the backtracking engine take tens of seconds on one ordinary name. Here the pattern is split
 * at its stars; the first piece must open the text, the last must close it, and each piece between is found at
 * its leftmost place after the previous one (leftmost is always safe, as a star absorbs whatever lies between).
 * Nothing is tried twice: the cost is at most the text's length times the pattern's, with no backtracking.
 */

/** A piece between stars: characters (code points, folded when case does not count), null for "?". */
type Piece = (string | null)[];

export interface GlobOptions {
  caseInsensitive?: boolean;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function chars(text: string, fold: boolean): string[] {
  // Code points, so "?" matches one character even outside the BMP (an emoji is one "?", not two).
  const list = Array.from(text);
  if (fold) for (let i = 0; i < list.length; i++) list[i] = list[i]!.toLowerCase();
  return list;
}

function fitsAt(text: string[], at: number, piece: Piece): boolean {
  for (let j = 0; j < piece.length; j++) {
    const want = piece[j];
    if (want !== null && text[at + j] !== want) return false;
  }
  return true;
}

function findFrom(text: string[], piece: Piece, from: number, end: number): number {
  for (let at = from; at + piece.length <= end; at++) if (fitsAt(text, at, piece)) return at;
  return -1;
}

/** Compile once, test many names. */
export function compileGlob(pattern: string, options: GlobOptions = {}): (value: string) => boolean {
  const fold = options.caseInsensitive ?? false;
  if (!hasWildcard(pattern)) {
    const literal = fold ? chars(pattern, true).join('') : pattern;
    return fold ? (value) => chars(value, true).join('') === literal : (value) => value === literal;
  }
  const pieces: Piece[] = pattern.split('*').map((part) => chars(part, fold).map((c) => (c === '?' ? null : c)));
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  const starred = pieces.length > 1;
  return (value) => {
    const text = chars(value, fold);
    if (!starred) return text.length === first.length && fitsAt(text, 0, first);
    if (text.length < first.length + last.length) return false;
    if (!fitsAt(text, 0, first) || !fitsAt(text, text.length - last.length, last)) return false;
    let from = first.length;
    const end = text.length - last.length;
    for (const piece of middle) {
      const at = findFrom(text, piece, from, end);
      if (at < 0) return false;
      from = at + piece.length;
    }
    return true;
  };
}

export function matchGlob(pattern: string, value: string, options?: GlobOptions): boolean {
  return compileGlob(pattern, options)(value);
}
