/** One resource in full: its simple fields side by side, nested ones as JSON in one code block. */
import type { types } from '@slack/bolt';
import {
  type Block,
  context,
  esc,
  fitLines,
  header,
  inline,
  type Message,
  mrkdwn,
  requestIdsText,
  section,
} from './common.ts';

const FIELDS_PER_SECTION = 10;
const FIELD_SECTIONS = 6;
/** Room for the JSON inside its fence, after escaping. */
const JSON_TEXT = 2900;

export function renderDetail(title: string, item: Record<string, unknown>, requestIds: string[]): Message {
  const simple: [string, string][] = [];
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'object') nested[key] = value;
    else simple.push([key, String(value)]);
  }
  const blocks: Block[] = [header(title)];
  const shownFields = Math.min(simple.length, FIELDS_PER_SECTION * FIELD_SECTIONS);
  for (let i = 0; i < shownFields; i += FIELDS_PER_SECTION) {
    const fields: types.MrkdwnElement[] = simple
      .slice(i, Math.min(i + FIELDS_PER_SECTION, shownFields))
      .map(([k, v]) => mrkdwn(`*${inline(k)}*\n${esc(v)}`, 2000));
    blocks.push({ type: 'section', fields });
  }
  if (simple.length > shownFields)
    blocks.push(
      context(`…and ${simple.length - shownFields} more fields: use \`tceops\` in a terminal for all of them`),
    );
  if (Object.keys(nested).length) {
    // Clipped once, by whole lines, inside the fence, so the fence is always closed.
    const lines = JSON.stringify(nested, null, 1).split('\n').map(esc);
    const fit = fitLines(lines, JSON_TEXT - 8, 'lines', JSON_TEXT - 8);
    blocks.push(section(`\`\`\`${fit.text.replace(/```/g, "'''")}\`\`\``));
  }
  const ids = requestIdsText(requestIds);
  if (ids) blocks.push(context(ids));
  return { text: inline(title), blocks };
}
