/**
 * Small pieces every renderer uses: escaping, Slack's size limits, status emoji, request IDs.
 * Limits (Block Kit reference): 50 blocks a message, 3000 characters a section text, 150 a header, 75 a button
 * label or overflow option, 150 an option value, 2000 a button value, 10 context elements.
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
  sectionText: 3000,
  header: 150,
  buttonText: 75,
  optionText: 75,
  optionValue: 150,
  buttonValue: 2000,
  contextElements: 10,
  modalTitle: 24,
} as const;

/** Slack's mrkdwn treats &, < and > as control characters; user-supplied text must have them escaped. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Inline code: backticks inside would end it early, so they are replaced. */
export function code(text: string): string {
  return `\`${esc(text.replace(/`/g, "'"))}\``;
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

export function section(text: string, accessory?: types.SectionBlockAccessory): types.SectionBlock {
  const block: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) } };
  if (accessory) block.accessory = accessory;
  return block;
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, LIMITS.header), emoji: true } };
}

export function context(...texts: string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: texts
      .filter((t) => t)
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn' as const, text: clip(t, LIMITS.sectionText) })),
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
    text: { type: 'plain_text', text: clip(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: clip(value, LIMITS.buttonValue),
  };
  if (style) b.style = style;
  if (confirm) b.confirm = confirm;
  return b;
}

export function requestIdsText(ids: readonly (string | undefined)[]): string {
  const known = ids.filter((id): id is string => !!id);
  if (known.length === 0) return '';
  const shown = known.slice(0, 5).map(code).join(', ');
  return `RequestId${known.length > 1 ? 's' : ''}: ${shown}${known.length > 5 ? ` and ${known.length - 5} more` : ''}`;
}

/** Keep a message inside Slack's block limit, saying what was left out rather than failing to post. */
export function capBlocks(blocks: Block[], note = 'more not shown: narrow the command'): Block[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, LIMITS.blocks - 1);
  return [...kept, context(`… ${blocks.length - kept.length} ${note}`)];
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
