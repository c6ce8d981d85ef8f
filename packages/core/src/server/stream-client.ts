/**
 * The terminal's side of stream.ts: posts a command asking for its progress, hands back the outcome as soon as its
 * line arrives, and reports each progress line after it until the server says done. A server that answers plain
 * JSON (an older one) is read as before. Everything read is checked: a line is bounded, must be JSON, and a
 * progress event must have its fields as strings and a boolean, or it is dropped.
 */
import type { ProgressEvent } from '../commands/types.ts';
import { NDJSON } from './stream.ts';
import { RemoteError } from './wire.ts';

/** A line longer than this is not from a tceops server (an outcome with its responses is far smaller). */
const MAX_LINE = 32 * 1024 * 1024;

export interface StreamedCall {
  /** The outcome's answer: `{outcome}` (or `{error}`), with the HTTP status. */
  first: Promise<{ status: number; body: Record<string, unknown> }>;
  /** Settles when the server says done, or the stream ends or breaks (then `onLost` was told why). */
  finished: Promise<void>;
  abort(): void;
}

export interface StreamOptions {
  url: string;
  token: string;
  body: unknown;
  /** Longest silence before giving up (the server sends a heartbeat every 15 s while it follows targets). */
  idleMs: number;
  onProgress(event: ProgressEvent): void;
  /** The stream broke after the outcome: the outcome stands, the progress stops. */
  onLost(reason: string): void;
  /** Transport failures, worded as the plain call words them. */
  unreachable(error: Error): RemoteError;
  unauthorized(): RemoteError;
}

export function progressFromWire(value: unknown): ProgressEvent | undefined {
  const e = value as Partial<ProgressEvent> | undefined;
  if (!e || typeof e !== 'object') return undefined;
  const strings = [e.planHash, e.targetId, e.state, e.message].every((v) => typeof v === 'string');
  if (!strings || typeof e.done !== 'boolean') return undefined;
  return { planHash: e.planHash!, targetId: e.targetId!, state: e.state!, done: e.done, message: e.message! };
}

/** The body's lines as they arrive; `alive` is called on every chunk (to re-arm the idle timer). */
export async function* lines(body: ReadableStream<Uint8Array>, alive: () => void): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    alive();
    // Only the new text is searched: a long line costs its length, not its length squared.
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield pending + text.slice(start, end);
      pending = '';
      start = end + 1;
    }
    pending += text.slice(start);
    if (pending.length > MAX_LINE) throw new Error('a line from the server is over 32 MB');
  }
  if (pending.trim()) yield pending;
}

export function postStreaming(options: StreamOptions): StreamedCall {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(new Error(`no word from the server for ${options.idleMs / 1000} s`)),
      options.idleMs,
    );
    timer.unref?.();
  };
  let answered = false;
  let answer!: (value: { status: number; body: Record<string, unknown> }) => void;
  let fail!: (error: unknown) => void;
  const first = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    answer = (value) => {
      answered = true;
      resolve(value);
    };
    fail = reject;
  });

  async function read(): Promise<void> {
    alive();
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: `${NDJSON}, application/json`,
          authorization: `Bearer ${options.token}`,
        },
        body: JSON.stringify(options.body),
        signal: controller.signal,
      });
    } catch (error) {
      throw options.unreachable(controller.signal.reason ?? error);
    }
    if (response.status === 401) throw options.unauthorized();
    if (!(response.headers.get('content-type') ?? '').startsWith(NDJSON) || !response.body) {
      try {
        return answer({ status: response.status, body: (await response.json()) as Record<string, unknown> });
      } catch {
        throw new RemoteError('transport', `the tceops server answered HTTP ${response.status} with no JSON`);
      }
    }
    for await (const text of lines(response.body, alive)) {
      if (!text.trim()) continue;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new Error('the server sent a line that is not JSON');
      }
      if (!answered) {
        if (!value || typeof value !== 'object' || !('outcome' in value))
          throw new RemoteError('transport', 'the tceops server streamed something before its outcome');
        answer({ status: response.status, body: value });
        continue;
      }
      const event = progressFromWire(value?.progress);
      if (event) options.onProgress(event);
      if (value?.done === true) return;
    }
    throw new Error('the server closed the stream before it was done');
  }

  const finished = read()
    .catch((error: unknown) => {
      const reason = (controller.signal.reason as Error | undefined)?.message ?? (error as Error).message;
      if (!answered)
        return fail(
          error instanceof RemoteError
            ? error
            : new RemoteError('transport', `the tceops server's answer could not be read: ${reason}`),
        );
      options.onLost(reason);
    })
    .finally(() => {
      clearTimeout(timer);
      // Nothing more is read: the connection goes.
      controller.abort();
    });
  return { first, finished, abort: () => controller.abort(new Error('closed')) };
}
