/**
 * The HTTP side: one endpoint for every service (any path but /_tce/*), answers always on HTTP 200 with the
 * TCE envelope (the official SDKs ignore the body of any other status), keep-alive, request bodies capped at
 * the documented 10 MB.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiContext, errorBody, handleApi, type RequestRecord } from './api.ts';
import { type InspectContext, inspect } from './inspect.ts';

const MAX_BODY = 10 * 1024 * 1024;

export interface ServerHooks {
  api: ApiContext;
  inspect: InspectContext;
  onRequest: (record: RequestRecord) => void;
}

export interface Listening {
  server: http.Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** The query string exactly as sent: the TC3 signature covers these bytes. */
function queryOf(target: string): string {
  const at = target.indexOf('?');
  return at < 0 ? '' : target.slice(at + 1);
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function listen(hooks: ServerHooks, port: number, host: string): Promise<Listening> {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      if (tooLarge) {
        send(res, 200, errorBody('InvalidParameter', 'the request body is larger than 10 MB', 'n/a'));
        return;
      }
      const body = Buffer.concat(chunks);
      if (url.pathname.startsWith('/_tce')) {
        const answer = inspect(req.method ?? 'GET', url, body, hooks.inspect);
        send(res, answer.status, answer.body);
        return;
      }
      const outcome = handleApi(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          rawQuery: queryOf(req.url ?? ''),
          headers: req.headers,
          body,
        },
        hooks.api,
      );
      hooks.onRequest(outcome.record);
      const answer = () => {
        if (outcome.drop) {
          // A dropped connection: no status line, no body.
          req.socket.destroy();
          return;
        }
        send(res, 200, outcome.body);
      };
      if (outcome.latencyMs > 0) setTimeout(answer, outcome.latencyMs);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
