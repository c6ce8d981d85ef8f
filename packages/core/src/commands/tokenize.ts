/**
 * Command text → words, the way a shell would split them: spaces separate, quotes group, backslash escapes.
 * Slack sends the text after `/tce` as one string; the terminal already has argv and skips this.
 */
import { InputError } from '../api/errors.ts';

export function tokenize(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  // Slack and phones turn quotes into typographic ones; treat them as the plain kind.
  const normalised = text.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
  for (let i = 0; i < normalised.length; i++) {
    const ch = normalised[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < normalised.length) current += normalised[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < normalised.length) {
      current += normalised[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote)
    throw new InputError(
      `unbalanced ${quote} quote in the command`,
      'InvalidParameter',
      'close the quote, or escape it with a backslash',
    );
  if (inWord) words.push(current);
  return words;
}
