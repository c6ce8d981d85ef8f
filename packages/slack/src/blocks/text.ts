/** Plain text answers (help, notes): preformatted, split to fit Slack's section size and the message's. */
import { type Block, clip, context, esc, LIMITS, type Message, section } from './common.ts';

/** Room for the text in one message; beyond it, the rest is named rather than sent. */
const TEXT_ROOM = 10_000;

export function renderText(text: string): Message {
  const blocks: Block[] = [];
  const room = LIMITS.sectionText - 8;
  // Escaped first, so the sizes counted are the sizes sent.
  const lines = esc(text.replace(/```/g, "'''")).split('\n');
  let chunk = '';
  let used = 0;
  let left = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.slice(0, room);
    if (used + line.length > TEXT_ROOM) {
      left = lines.length - i;
      break;
    }
    used += line.length + 1;
    if (chunk.length + line.length + 1 > room && chunk) {
      blocks.push(section(`\`\`\`${chunk}\`\`\``));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(`\`\`\`${chunk}\`\`\``));
  if (left) blocks.push(context(`…and ${left} more lines: run it in a terminal with \`tceops\` to see them all`));
  if (!blocks.length) blocks.push(section('_(nothing to show)_'));
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  return { text: clip(esc(first), 200) || ' ', blocks };
}
