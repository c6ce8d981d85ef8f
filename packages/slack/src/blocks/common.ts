/**
 * What every renderer builds with, so that no message breaks, lies or pings on real Slack: escaping of what users
 * and the cloud supply (esc, inline, plain, code, strong), text objects that are verbatim and within their size
 * (mrkdwn, plainText, section, header, context, button, confirmDialog), clipping that keeps entities, tokens,
 * emoji codes, surrogate pairs and code fences whole (clip, clipPlain), lists that fit and say how many more
 * (fitLines, linesPage, pager), and the bound on a whole message (boundMessage).
 * Limits (Block Kit reference): 50 blocks a message and 100 a modal or Home tab, 3,000 characters a section text,
 * 2,000 a field, 150 a header, 75 a button label or option, 150 an option value, 2,000 a button value, 1–10
 * context elements, confirm dialogs 100/300/30, modal titles 24, message text 40,000 (4,000 recommended).
 */
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/** What every renderer returns: blocks, and the plain text Slack shows in notifications and screen readers. */
export interface Message {
  text: string;
  blocks: Block[];
}

export const LIMITS = {
  blocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  field: 2000,
  header: 150,
  buttonText: 75,
  optionText: 75,
  optionValue: 150,
  buttonValue: 2000,
  contextElements: 10,
  contextText: 3000,
  modalTitle: 24,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  privateMetadata: 3000,
  /** Slack cuts `text` at 40,000 and recommends 4,000: notifications and screen readers show it. */
  messageText: 4000,
  /** chat.postMessage is reported to answer msg_blocks_too_long from about 12-13k characters of block text. */
  blockText: 11_000,
  /** One line of a list (a target's error, a progress line): long ones are clipped so the others stay visible. */
  line: 300,
} as const;

// Bidirectional controls (U+202E and friends) reorder what is shown: "gpj.exe" reads as "exe.jpg". They are
// replaced with a visible marker, as are other control characters.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A string from a user or the cloud, made inert as mrkdwn: &, < and > escaped, bidi controls shown as such. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BIDI, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`)
    .replace(CONTROL, '\uFFFD');
}

/** The same for a value inside one line (a name, a state): newlines cannot start a fake line of their own. */
export function inline(text: string): string {
  return esc(text.replace(/\s*[\r\n]+\s*/g, ' '));
}

/** plain_text (headers, buttons, titles): Slack shows it as is, but bidi controls still reorder it. */
export function plain(text: string): string {
  return text.replace(BIDI, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`).replace(CONTROL, ' ');
}

/**
 * Shorten already-escaped mrkdwn to at most `max` characters, ending with "…", without cutting an entity
 * (`&amp;`), a `<…>` token, an emoji code, a surrogate pair or a code span; an open code block is closed.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 4));
  // A half entity or token: drop back to where it started.
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const lt = cut.lastIndexOf('<');
  if (lt >= 0 && !cut.slice(lt).includes('>')) cut = cut.slice(0, lt);
  // Half an emoji code (":white_check_ma") would show as text.
  cut = cut.replace(/(^|\s):[a-z0-9_+-]*$/, '$1');
  // Half a surrogate pair is not text at all.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const fences = cut.split('```').length - 1;
  if (fences % 2 === 1) return `${cut}…\`\`\``;
  // An inline code span left open would swallow the "…".
  const ticks = cut.replace(/```/g, '').split('`').length - 1;
  if (ticks % 2 === 1) cut = cut.slice(0, cut.lastIndexOf('`'));
  return `${cut}…`;
}

/** plain_text shortened without splitting a surrogate pair. */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Lines that fit in `max` characters: each clipped to LIMITS.line so one long line cannot hide the rest, then as
 * many as fit, and "…and N more" for the others (with `where` saying how to see them). `shown` says how many.
 */
export function fitLines(
  lines: readonly string[],
  max: number,
  where = '',
  lineMax: number = LIMITS.line,
): { text: string; shown: number; more: number } {
  const kept: string[] = [];
  let used = 0;
  const tail = (n: number) => `…and ${n} more${where ? ` ${where}` : ''}`;
  for (let i = 0; i < lines.length; i++) {
    const line = clip(lines[i]!, Math.min(lineMax, max));
    const left = lines.length - i - 1;
    // Room for the tail as it would read if this line were the last to fit ("…and 10 more" is longer than "9").
    const reserve = left ? tail(left + 1).length + 1 : 0;
    if (used + line.length + (kept.length ? 1 : 0) + reserve > max) break;
    kept.push(line);
    used += line.length + (kept.length > 1 ? 1 : 0);
  }
  const more = lines.length - kept.length;
  if (more) kept.push(tail(more));
  return { text: kept.join('\n'), shown: lines.length - more, more };
}

/** A mrkdwn name in bold, or in code when it holds the characters that would end bold early. */
export function strong(text: string): string {
  return /[*_~`]/.test(text) ? code(text) : `*${inline(text)}*`;
}

/** Inline code, of at most `max` characters of the raw text: backticks inside would end it early, so they go. */
export function code(text: string, max = 200): string {
  return `\`${inline(clipPlain(text, max).replace(/`/g, "'")) || ' '}\``;
}

const STATE_EMOJI: Record<string, string> = {
  RUNNING: ':large_green_circle:',
  STOPPED: ':red_circle:',
  PENDING: ':hourglass_flowing_sand:',
  STARTING: ':hourglass_flowing_sand:',
  STOPPING: ':hourglass_flowing_sand:',
  REBOOTING: ':arrows_counterclockwise:',
  SHUTDOWN: ':black_circle:',
  TERMINATING: ':wastebasket:',
  LAUNCH_FAILED: ':warning:',
  // CFS, images, jobs and regions use other words for the same ideas.
  AVAILABLE: ':large_green_circle:',
  NORMAL: ':large_green_circle:',
  CREATING: ':hourglass_flowing_sand:',
  DELETING: ':wastebasket:',
  FAILED: ':warning:',
  CREATEFAILED: ':warning:',
  // Approval requests.
  APPROVED: ':gear:',
  EXECUTING: ':gear:',
  SUCCEEDED: ':white_check_mark:',
  DENIED: ':no_entry:',
  EXPIRED: ':alarm_clock:',
  CANCELLED: ':heavy_multiplication_x:',
  STALE: ':warning:',
};

export function stateEmoji(state: string | undefined): string {
  if (!state) return ':white_circle:';
  return STATE_EMOJI[state.toUpperCase()] ?? ':white_circle:';
}

/** A mrkdwn text object. verbatim: a bare URL or #name in a cloud or user string is not turned into a link. */
export function mrkdwn(text: string, max: number = LIMITS.sectionText): types.MrkdwnElement {
  return { type: 'mrkdwn', text: clip(text, max) || ' ', verbatim: true };
}

export function plainText(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clipPlain(plain(text), max) || ' ', emoji: true };
}

export function section(text: string, accessory?: types.SectionBlockAccessory): types.SectionBlock {
  const block: types.SectionBlock = { type: 'section', text: mrkdwn(text) };
  if (accessory) block.accessory = accessory;
  return block;
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plainText(text, LIMITS.header) };
}

/** A context block; with no text at all it is a section instead, since Slack refuses a context with 0 elements. */
export function context(...texts: string[]): types.ContextBlock | types.SectionBlock {
  const kept = texts.filter((t) => t.trim());
  if (kept.length === 0) return section('\u200b');
  return {
    type: 'context',
    elements: kept.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t, LIMITS.contextText)),
  };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
  confirm?: types.ConfirmationDialog,
): types.Button {
  const b: types.Button = {
    type: 'button',
    text: plainText(text, LIMITS.buttonText),
    action_id: actionId,
    // Never cut: a cut value (a command, an ID) would act on something else. Callers keep values short.
    value,
  };
  if (style) b.style = style;
  if (confirm) b.confirm = confirm;
  return b;
}

/** Slack's confirmation dialog, inside its limits; `text` is already-escaped mrkdwn. */
export function confirmDialog(
  title: string,
  text: string,
  yes: string,
  no: string,
  danger = false,
): types.ConfirmationDialog {
  return {
    title: plainText(title, LIMITS.confirmTitle),
    text: mrkdwn(text, LIMITS.confirmText),
    confirm: plainText(yes, LIMITS.confirmButton),
    deny: plainText(no, LIMITS.confirmButton),
    ...(danger ? { style: 'danger' as const } : {}),
  };
}

/** A page of a longer list: "Showing 11–20 of 200", and buttons to the pages before and after. */
export function pager(
  shown: { offset: number; count: number; total: number },
  actionId: string,
  valueAt: (offset: number) => string,
  pageSize: number,
): Block[] {
  const { offset, count, total } = shown;
  if (total === 0) return [];
  const blocks: Block[] = [context(`Showing ${offset + 1}–${offset + count} of ${total}`)];
  const buttons: types.Button[] = [];
  if (offset > 0) buttons.push(button('◂ Previous', `${actionId}_prev`, valueAt(Math.max(0, offset - pageSize))));
  if (offset + count < total) buttons.push(button('Next ▸', `${actionId}_next`, valueAt(offset + count)));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return blocks;
}

/** Items per page when a capped list (targets, results) is shown on its own. */
export const PAGE_ITEMS = 25;

/** What a "see all" or paging button carries: where the list is (`approval:<id>`, `plan:<id>`…) and the offset. */
export function pageValue(where: string, offset: number): string {
  return `${where}@${offset}`;
}

export function parsePageValue(value: string): { where: string; offset: number } {
  const at = value.lastIndexOf('@');
  return { where: value.slice(0, at), offset: Math.max(0, Number(value.slice(at + 1)) || 0) };
}

/**
 * One page of a long list, shown on its own: as many of `lines` (the items from `offset` on) as fit in several
 * sections within the message's total, "Targets 26–50 of 100", and Previous/Next buttons (`actionId`_prev/_next).
 */
export function linesPage(page: {
  heading: string;
  noun: string;
  lines: readonly string[];
  offset: number;
  total: number;
  actionId: string;
  valueAt: (offset: number) => string;
}): Message {
  const sections: string[] = [];
  let used = 0;
  let shown = 0;
  for (const raw of page.lines) {
    const line = clip(raw, 1500);
    if (used + line.length > 9000) break;
    const last = sections.length - 1;
    if (last >= 0 && sections[last]!.length + line.length + 1 <= 2900) sections[last] += `\n${line}`;
    else sections.push(line);
    used += line.length + 1;
    shown++;
  }
  const { offset, total, actionId, valueAt } = page;
  const blocks: Block[] = [section(page.heading)];
  blocks.push(...(sections.length ? sections.map((t) => section(t)) : [section('_Nothing here any more._')]));
  const range = shown ? `${page.noun} ${offset + 1}–${offset + shown} of ${total}` : `${page.noun}: ${total}`;
  blocks.push(context(range));
  const buttons: types.Button[] = [];
  // Pages hold up to PAGE_ITEMS: going back that far never skips an item (at worst shows some again).
  if (offset > 0) buttons.push(button('◂ Previous', `${actionId}_prev`, valueAt(Math.max(0, offset - PAGE_ITEMS))));
  if (shown && offset + shown < total) buttons.push(button('Next ▸', `${actionId}_next`, valueAt(offset + shown)));
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return { text: range, blocks };
}

export function requestIdsText(ids: readonly (string | undefined)[]): string {
  const known = ids.filter((id): id is string => !!id);
  if (known.length === 0) return '';
  const shown = known
    .slice(0, 5)
    .map((id) => code(id))
    .join(', ');
  return `RequestId${known.length > 1 ? 's' : ''}: ${shown}${known.length > 5 ? ` and ${known.length - 5} more` : ''}`;
}

/** Keep a message inside Slack's block limit, saying what was left out rather than failing to post. */
export function capBlocks(
  blocks: Block[],
  note = 'more not shown: narrow the command',
  max: number = LIMITS.blocks,
): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(`… ${blocks.length - kept.length} ${note}`)];
}

/** Characters of text in blocks, as Slack counts them towards msg_blocks_too_long. */
export function blockTextLength(blocks: readonly Block[]): number {
  let total = 0;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === 'text' && typeof v === 'string') total += v.length;
        else walk(v);
      }
  };
  walk(blocks);
  return total;
}

/**
 * The last word on every message the app sends: top-level `text` (notifications) clipped to Slack's recommended
 * size, at most 50 blocks, and total block text under what chat.postMessage refuses. Blocks that do not fit are
 * replaced by a note; the buttons at the end are kept, so a request can still be decided.
 */
export function boundMessage(message: Message): Message {
  const text = clip(message.text || ' ', LIMITS.messageText);
  const { blocks } = message;
  if (blocks.length <= LIMITS.blocks && blockTextLength(blocks) <= LIMITS.blockText) return { text, blocks };
  // Buttons are kept wherever they are; other blocks in order while they fit, then a note where the cut is.
  const actions = blocks.filter((b) => b.type === 'actions');
  let room = LIMITS.blocks - actions.length - 1;
  let used = blockTextLength(actions) + 100;
  const kept: Block[] = [];
  let dropped = 0;
  let noteAt = -1;
  for (const b of blocks) {
    if (b.type === 'actions') {
      kept.push(b);
      continue;
    }
    const size = blockTextLength([b]);
    if (dropped === 0 && room > 0 && used + size <= LIMITS.blockText) {
      kept.push(b);
      room--;
      used += size;
      continue;
    }
    if (dropped === 0) noteAt = kept.push(context('…')) - 1;
    dropped++;
  }
  if (noteAt >= 0)
    kept[noteAt] = context(`… ${dropped} more part${dropped > 1 ? 's' : ''} left out: the message would be too long`);
  return { text, blocks: kept };
}

/**
 * What is sent when Slack refuses a message's blocks: its text, which renderers keep short and escaped, and a
 * line saying the rest could not be shown — so the reader sees something instead of nothing.
 */
export function plainFallback(message: Message): Message {
  return {
    text: clip(message.text || ' ', LIMITS.messageText),
    blocks: [
      section(clip(message.text || ' ', 2900)),
      context(':warning: Slack would not show the full message; run the command in a terminal for all of it.'),
    ],
  };
}

/** Slack renders `<!date^…>` in each reader's own time zone; the fallback is for clients that cannot. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return esc(iso);
  return `<!date^${seconds}^{date_short_pretty} {time}|${esc(iso)}>`;
}

export function timeLeft(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return '';
  if (ms <= 0) return 'expired';
  const minutes = Math.ceil(ms / 60000);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min left`;
}
