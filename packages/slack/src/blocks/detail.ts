/** One resource in full: its simple fields side by side, nested ones as JSON. */
import type { types } from '@slack/bolt';
import { type Block, clip, context, esc, header, type Message, requestIdsText, section } from './common.ts';

const FIELDS_PER_SECTION = 10;

export function renderDetail(title: string, item: Record<string, unknown>, requestIds: string[]): Message {
  const simple: [string, string][] = [];
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'object') nested[key] = value;
    else simple.push([key, String(value)]);
  }
  const blocks: Block[] = [header(title)];
  for (let i = 0; i < simple.length && blocks.length < 8; i += FIELDS_PER_SECTION) {
    const fields: types.MrkdwnElement[] = simple
      .slice(i, i + FIELDS_PER_SECTION)
      .map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${esc(k)}*\n${esc(v)}`, 2000) }));
    blocks.push({ type: 'section', fields });
  }
  if (Object.keys(nested).length) {
    const json = clip(JSON.stringify(nested, null, 1), 2900);
    blocks.push(section(`\`\`\`${esc(json)}\`\`\``));
  }
  const ids = requestIdsText(requestIds);
  if (ids) blocks.push(context(ids));
  return { text: title, blocks };
}
