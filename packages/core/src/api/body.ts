/**
 * Reading a response body with a ceiling. A TCE answer is at most a few megabytes (100 rows a page); a server
 * that streams more is broken or hostile, and reading it whole would exhaust memory or exceed the longest string
 * V8 can build. Kept apart from the transport so any HTTP client (node:http today) streams through the same cap.
 */

/** 32 MiB: well above any documented page, well below what a process can hold as one string. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The body went past the ceiling; the transport stops reading at that point. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly status: number,
    readonly limit: number,
  ) {
    super(
      `the answer is larger than ${formatBytes(limit)}, the most tceops reads from one response: ` +
        'ask for fewer results (a smaller --limit or a narrower filter)',
    );
    this.name = 'BodyTooLargeError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

export interface BodyLimit {
  status: number;
  /** The Content-Length the server declared, when it did: refused before reading a byte. */
  declaredLength?: number;
  limit?: number;
}

/**
 * Reads a stream of chunks (a node:http IncomingMessage, an undici body, any async iterable of bytes) into a
 * UTF-8 string, refusing as soon as it grows past the limit. The caller destroys the stream on refusal.
 */
export async function readBody(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  options: BodyLimit,
): Promise<string> {
  const limit = options.limit ?? MAX_RESPONSE_BYTES;
  if (options.declaredLength !== undefined && options.declaredLength > limit)
    throw new BodyTooLargeError(options.status, limit);
  // A Node stream is read through its events: async iteration costs a promise per chunk, on every call.
  if ('on' in source && typeof source.on === 'function') return readEvents(source, options.status, limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLargeError(options.status, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function readEvents(stream: NodeJS.ReadableStream, status: number, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      size += chunk.byteLength;
      if (size > limit) {
        stream.removeListener('data', onData);
        stream.pause();
        reject(new BodyTooLargeError(status, limit));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
  });
}
