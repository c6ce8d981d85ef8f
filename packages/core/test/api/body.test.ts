import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { BodyTooLargeError, readBody } from '../../src/api/body.ts';
import { createClient } from '../../src/api/client.ts';
import { HttpError } from '../../src/api/errors.ts';
import { SECRET_ID, SECRET_KEY } from './fake-tce.ts';

const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };

async function* chunks(sizes: number[]): AsyncIterable<Uint8Array> {
  for (const size of sizes) yield Buffer.alloc(size, 'a');
}

/** A server that answers with whatever the test writes on the raw response. */
async function serve(answer: (res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('api/body', () => {
  it('reads a body within the limit, whole and in order', async () => {
    assert.equal((await readBody(chunks([3, 4]), { status: 200, limit: 7 })).length, 7);
  });

  it('refuses a body past the limit as soon as it is crossed, and a declared length past it before reading', async () => {
    let pulled = 0;
    async function* endless(): AsyncIterable<Uint8Array> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024);
      }
    }
    await assert.rejects(readBody(endless(), { status: 200, limit: 10_000 }), BodyTooLargeError);
    assert.equal(pulled, 10, 'stops at the chunk that crosses the limit');
    pulled = 0;
    await assert.rejects(
      readBody(endless(), { status: 200, limit: 10_000, declaredLength: 600 * 1024 * 1024 }),
      /larger than 9.8 KB/,
    );
    assert.equal(pulled, 0);
  });

  it('a Node stream (read through its events) is held to the same limit, and stops being read past it', async () => {
    assert.equal(await readBody(Readable.from([Buffer.from('ab'), 'cd']), { status: 200, limit: 4 }), 'abcd');
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024));
      },
    });
    await assert.rejects(readBody(endless, { status: 200, limit: 10_000 }), BodyTooLargeError);
    endless.destroy();
    assert.ok(pulled < 30, `read ${pulled} chunks`);
  });

  it('a 600 MB answer fails fast with an error naming the action, not a crash (declared length)', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
      res.write('{"Response":{');
    });
    const client = createClient({ endpoint: server.url, credentials, env: {}, retry: { baseDelayMs: 1 } });
    const started = performance.now();
    try {
      await assert.rejects(
        client.call('cvm', 'DescribeInstances', {}),
        (e: unknown) =>
          e instanceof HttpError &&
          e.exitCode === 1 &&
          /^cvm:DescribeInstances: HTTP 200: the answer is larger than 32 MB/.test(e.message),
      );
      assert.ok(performance.now() - started < 2000);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a streamed answer without a length is cut at the cap; memory stays bounded and nothing is retried', async () => {
    let requests = 0;
    let written = 0;
    const server = await serve((res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && written < 200 * 1024 * 1024) {
          written += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    });
    const client = createClient({
      endpoint: server.url,
      credentials,
      env: {},
      maxResponseBytes: 2 * 1024 * 1024,
      retry: { baseDelayMs: 1 },
    });
    try {
      await assert.rejects(
        client.call('cvm', 'DescribeInstances', {}),
        /DescribeInstances: HTTP 200: .*larger than 2 MB/,
      );
      assert.equal(requests, 1);
      assert.ok(written < 50 * 1024 * 1024, `the client stopped reading (server wrote ${written} bytes)`);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a fetch brought by the embedding is held to the same ceiling', async () => {
    const client = createClient({
      endpoint: 'http://127.0.0.1:9',
      credentials,
      env: {},
      maxResponseBytes: 1000,
      fetch: async () => ({ status: 200, text: async () => `{"Response":{"X":"${'a'.repeat(2000)}"}}` }),
    });
    await assert.rejects(
      client.call('cvm', 'DescribeRegions', {}),
      /DescribeRegions: HTTP 200: .*larger than 1000 bytes/,
    );
  });

  it('deep and inexact answers are refused naming the action; exact ones pass', async () => {
    const answers: Record<string, string> = {
      deep: `{"Response":{"X":${'['.repeat(200_000)}${']'.repeat(200_000)},"RequestId":"r"}}`,
      huge: '{"Response":{"Price":1e400,"RequestId":"r"}}',
      tiny: '{"Response":{"Price":1e-400,"RequestId":"r"}}',
      long: '{"Response":{"Price":1.00000000000000000001,"RequestId":"r"}}',
    };
    let body = '';
    const client = createClient({
      endpoint: 'http://127.0.0.1:9',
      credentials,
      env: {},
      fetch: async () => ({ status: 200, text: async () => body }),
    });
    for (const [name, text] of Object.entries(answers)) {
      body = text;
      await assert.rejects(
        client.call('cvm', 'DescribeRegions', {}),
        (e: unknown) =>
          e instanceof HttpError &&
          /^cvm:DescribeRegions: HTTP 200: the answer is refused: it (is nested deeper than 64|holds the number)/.test(
            e.message,
          ) &&
          e.message.length < 400,
        name,
      );
    }
    body = '{"Response":{"Price":1.5e3,"Big":1e21,"Id":12345678901234567890,"RequestId":"r"}}';
    const ok = await client.call('cvm', 'DescribeRegions', {});
    assert.deepEqual([ok.Price, ok.Big, ok.Id], [1500, 1e21, 12345678901234567890n]);
  });
});
