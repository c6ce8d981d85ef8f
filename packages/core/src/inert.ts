/**
 * Text leaving the process made inert. A name, tag, message or reason from the cloud or from a user can hold
 * characters a terminal acts on instead of showing (ESC starts a control sequence that can erase a line or recolour
 * it, CR returns to the line's start) or that reorder what is shown (bidi overrides and isolates). Any of them
 * lets a resource make a plan read differently from what runs. Here each is written out visibly: ESC as "\e",
 * CR as "\r", other controls as "\xHH", invisible format characters as "\u{202e}". Plain text is returned as is.
 */

// C0 controls, DEL, C1 controls, the Arabic letter mark, zero-width characters and directional marks, the line
// and paragraph separators, bidi embeddings/overrides/isolates, word joiner and invisible operators, the BOM,
// and interlinear annotation controls.
const UNSAFE_SOURCE =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
const UNSAFE_IN_LINE = new RegExp(`[\\t\\n${UNSAFE_SOURCE}]`);
const UNSAFE_IN_LINE_ALL = new RegExp(`[\\t\\n${UNSAFE_SOURCE}]`, 'g');
const UNSAFE_IN_TEXT = new RegExp(`[${UNSAFE_SOURCE}]`);
const UNSAFE_IN_TEXT_ALL = new RegExp(`[${UNSAFE_SOURCE}]`, 'g');
// What JSON.stringify leaves raw but a terminal or viewer acts on (C0 it already escapes).
const UNSAFE_IN_JSON_ALL = new RegExp(`[${UNSAFE_SOURCE.replace('\\u0000-\\u0008\\u000b-\\u001f', '')}]`, 'g');

const NAMED: Record<string, string> = { '\x1b': '\\e', '\r': '\\r', '\n': '\\n', '\t': '\\t' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

export interface InertOptions {
  /**
   * Keep newlines and tabs (default false): for whole blocks of text tceops composed. A value placed into a
   * line (a name in a table, a reason in a summary) must not start a new line of its own.
   */
  multiline?: boolean;
}

/** The text with every control and invisible formatting character written out; the same string when none. */
export function inert(text: string, options: InertOptions = {}): string {
  if (options.multiline) return UNSAFE_IN_TEXT.test(text) ? text.replace(UNSAFE_IN_TEXT_ALL, visible) : text;
  return UNSAFE_IN_LINE.test(text) ? text.replace(UNSAFE_IN_LINE_ALL, visible) : text;
}

/**
 * JSON text (from JSON.stringify) with the characters it leaves raw escaped as \uXXXX: still valid JSON with the
 * same value, but nothing in it acts on a terminal or a log viewer.
 */
export function inertJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
