/** Errors: shown only to the person who asked, with the TCE code and RequestId when there are some. */
import { redact } from '../core.ts';
import { type Block, clip, code, context, esc, fitLines, inline, type Message, section } from './common.ts';

interface Coded {
  kind?: string;
  code?: string;
  requestId?: string;
  apiMessage?: string;
  status?: number;
  hint?: string;
}

export function renderError(error: Error): Message {
  const e = error as Error & Coded;
  const what = e.code ?? (e.status ? `HTTP ${e.status}` : e.name === 'Error' ? 'Error' : e.name);
  const message = redact(e.apiMessage ?? e.message);
  const [first, ...rest] = message.split('\n');
  // A TCE message can be tens of thousands of characters: the first line gets most of the room, and each
  // further line (hints) is clipped on its own, so the hint is not lost behind the message.
  const head = `:x: *${inline(what)}*: ${clip(esc(first ?? ''), 2000)}`;
  const tail = rest.filter((l) => l.trim()).map((l) => `_${inline(l).replace(/_/g, ' ')}_`);
  const blocks: Block[] = [section(tail.length ? `${head}\n${fitLines(tail, 2900 - head.length).text}` : head)];
  const facts = [
    e.requestId ? `RequestId ${code(e.requestId)}` : '',
    e.kind === 'input' ? 'Nothing was sent to the cloud.' : '',
  ];
  if (facts.some(Boolean)) blocks.push(context(...facts));
  const requestId = e.requestId ? ` (RequestId ${inline(e.requestId)})` : '';
  return { text: `${inline(what)}: ${clip(esc(first ?? ''), 1000)}${requestId}`, blocks };
}
