/** Errors: shown only to the person who asked, with the TCE code and RequestId when there are some. */
import { redact } from '../core.ts';
import { type Block, code, context, esc, type Message, section } from './common.ts';

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
  const lines = [`:x: *${esc(what)}*: ${esc(first ?? '')}`, ...rest.map((l) => `_${esc(l)}_`)];
  const blocks: Block[] = [section(lines.join('\n'))];
  const facts = [
    e.requestId ? `RequestId ${code(e.requestId)}` : '',
    e.kind === 'input' ? 'Nothing was sent to the cloud.' : '',
  ];
  if (facts.some(Boolean)) blocks.push(context(...facts));
  return { text: `${what}: ${first ?? ''}${e.requestId ? ` (RequestId ${e.requestId})` : ''}`, blocks };
}
