/**
 * A scriptable TCE endpoint on loopback for client tests: it records each request, checks its signature, and
 * answers what the test says (a body, a status, a dropped connection, a delay).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTc3Authorization, tc3CanonicalRequest, tc3Signature } from '../../src/api/sign/tc3.ts';
import { v1Signature, v1StringToSign } from '../../src/api/sign/v1.ts';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parameters: the JSON body, or the query/form fields. */
  params: Record<string, unknown>;
  signatureOk: boolean;
}

export type Reply = { status?: number; body?: unknown; raw?: string; delayMs?: number } | 'reset';

export interface FakeTce {
  url: string;
  received: Received[];
  reply: (request: Received, index: number) => Reply;
  close(): Promise<void>;
}

export const SECRET_ID = 'AKIDfaketest';
export const SECRET_KEY = 'fake-secret-key-0123456789';

function checkSignature(req: http.IncomingMessage, body: string, params: Record<string, string>): boolean {
  const auth = req.headers.authorization;
  if (auth) {
    const parsed = parseTc3Authorization(auth);
    if (!parsed || parsed.secretId !== SECRET_ID) return false;
    const headers: Record<string, string> = {};
    for (const name of parsed.signedHeaders) headers[name] = String(req.headers[name] ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const { canonicalRequest } = tc3CanonicalRequest({
      method: req.method as 'GET' | 'POST',
      query: url.search.slice(1),
      headers,
      payload: req.method === 'POST' ? body : '',
    });
    const timestamp = Number(req.headers['x-tc-timestamp']);
    return tc3Signature(SECRET_KEY, parsed.service, timestamp, canonicalRequest) === parsed.signature;
  }
  const { Signature, ...rest } = params;
  if (!Signature || rest.SecretId !== SECRET_ID) return false;
  const algorithm = rest.SignatureMethod === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1';
  const toSign = v1StringToSign(req.method as 'GET' | 'POST', String(req.headers.host), '/', rest);
  return v1Signature(SECRET_KEY, algorithm, toSign) === Signature;
}

export async function startFakeTce(
  reply: FakeTce['reply'] = () => ({ body: { Response: { RequestId: 'req-ok' } } }),
): Promise<FakeTce> {
  const received: Received[] = [];
  const fake: FakeTce = { url: '', received, reply, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const isJson = String(req.headers['content-type']).startsWith('application/json');
      const fields = Object.fromEntries(
        new URLSearchParams(req.method === 'POST' && !isJson ? body : url.search.slice(1)),
      );
      const params = isJson && body ? JSON.parse(body) : fields;
      const entry: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        params,
        signatureOk: checkSignature(req, body, fields),
      };
      received.push(entry);
      const answer = fake.reply(entry, received.length - 1);
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(answer.raw ?? JSON.stringify(answer.body ?? { Response: { RequestId: `req-${received.length}` } }));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
