/** Plain text answers (help, notes): preformatted, split to fit Slack's section size. */
import { type Block, esc, LIMITS, type Message, section } from './common.ts';

export function renderText(text: string): Message {
  const blocks: Block[] = [];
  const room = LIMITS.sectionText - 8;
  const lines = text.split('\n');
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > room && chunk) {
      blocks.push(section(`\`\`\`${esc(chunk)}\`\`\``));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line.slice(0, room)}` : line.slice(0, room);
  }
  if (chunk) blocks.push(section(`\`\`\`${esc(chunk)}\`\`\``));
  return { text: text.slice(0, 200), blocks: blocks.slice(0, LIMITS.blocks) };
}
