/**
 * The transport's two HTTP clients, node:http and undici's pool, held to the same promises: signed requests on a
 * kept-alive connection, the deadline, the caller's signal, the response cap, exact big integers, a private CA
 * (TCE_CA_FILE), a dropped connection retried; and 'auto' moving from one to the other after POOL_AFTER requests.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClientOptions, createClient, type TceClient } from '../../src/api/client.ts';
import { HttpError, TransportError } from '../../src/api/errors.ts';
import { POOL_AFTER } from '../../src/api/transport.ts';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from './fake-tce.ts';

const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };
const INSTANCES = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ InstanceId: `ins-${String(i).padStart(8, '0')}`, InstanceName: `w${i}` }));

/** The sockets a server accepted, in order, and which one each request came on. */
function watchConnections(server: http.Server) {
  const sockets: Socket[] = [];
  const requestSockets: number[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  server.prependListener('request', (req: http.IncomingMessage) => requestSockets.push(sockets.indexOf(req.socket)));
  return { sockets, requestSockets };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function stop(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A client on `endpoint` through one HTTP client, with the test's credentials and no environment. */
function clientAt(http: 'node' | 'undici', endpoint: string, options: Partial<ClientOptions> = {}): TceClient {
  return createClient({ endpoint, credentials, env: {}, http, ...options });
}

for (const choice of ['node', 'undici'] as const) {
  describe(`api/transport with ${choice === 'node' ? 'node:http' : "undici's pool"}`, () => {
    let fake: FakeTce;
    let client: TceClient;
    beforeEach(async () => {
      fake = await startFakeTce();
      client = clientAt(choice, fake.url, { region: 'ap-guangzhou', rateLimit: false, retry: { baseDelayMs: 1 } });
    });
    afterEach(async () => {
      client.close();
      await fake.close();
    });

    it('sends requests the server can verify: TC3 and v1, POST and GET', async () => {
      for (let i = 0; i < 10; i++) await client.call('cvm', 'DescribeRegions', {});
      await client.call('cvm', 'DescribeZones', {}, { method: 'GET' });
      await client.call('cvm', 'DescribeZones', {}, { signMethod: 'HmacSHA256' });
      await client.call('cvm', 'DescribeZones', {}, { method: 'GET', signMethod: 'HmacSHA1' });
      assert.equal(fake.received.length, 13);
      assert.ok(
        fake.received.every((r) => r.signatureOk),
        'every signature checks out',
      );
      assert.equal(new Set(fake.received.map((r) => r.headers.host)).size, 1);
    });

    it('keeps one connection across calls (keep-alive really reuses the socket)', async () => {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => res.end('{"Response":{"RequestId":"r","RegionSet":[]}}'));
      });
      const seen = watchConnections(server);
      const port = await listen(server);
      const own = clientAt(choice, `http://127.0.0.1:${port}`, { rateLimit: false });
      try {
        for (let i = 0; i < 20; i++) await own.call('cvm', 'DescribeRegions', {});
        // undici waits one turn of the event loop before reusing a socket (a server that said keep-alive may still
        // close it), so back-to-back calls alternate between two kept-alive connections.
        const most = choice === 'node' ? 1 : 2;
        assert.ok(seen.sockets.length <= most, `${seen.sockets.length} connections for 20 sequential calls`);
        assert.equal(seen.sockets[0]!.remoteAddress, '127.0.0.1');
      } finally {
        own.close();
        await stop(server);
      }
    });

    it('a dropped connection is retried for a read, and a 20-row page arrives whole with exact big integers', async () => {
      fake.reply = (_, i) =>
        i === 0
          ? 'reset'
          : {
              raw: `{"Response":{"TotalCount":9007199254740993,"InstanceSet":${JSON.stringify(INSTANCES(20))},"RequestId":"r"}}`,
            };
      const page = await client.call('cvm', 'DescribeInstances', {});
      assert.equal(page.TotalCount, 9007199254740993n);
      assert.equal((page.InstanceSet as unknown[]).length, 20);
      assert.equal(fake.received.length, 2);
    });

    it('a large answer arriving in many chunks is read whole', async () => {
      const rows = INSTANCES(3000);
      fake.reply = () => ({ body: { Response: { TotalCount: 3000, InstanceSet: rows, RequestId: 'big' } } });
      const page = await client.call('cvm', 'DescribeInstances', {});
      assert.deepEqual(page.InstanceSet, rows);
    });

    it('the deadline covers stalled headers and a stalled body; the next call is still served', async () => {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          const action = req.headers['x-tc-action'];
          if (action === 'DescribeRegions') return; // no answer at all
          res.writeHead(200, { 'content-type': 'application/json' });
          if (action === 'DescribeZones') return void res.write('{"Response":{'); // never ends
          res.end('{"Response":{"RequestId":"after"}}');
        });
      });
      const port = await listen(server);
      const own = clientAt(choice, `http://127.0.0.1:${port}`, { retry: { retries: 0 } });
      try {
        for (const action of ['DescribeRegions', 'DescribeZones']) {
          const started = performance.now();
          await assert.rejects(
            own.call('cvm', action, {}, { timeoutMs: 80 }),
            (e: unknown) => e instanceof TransportError && e.timedOut && !e.aborted && /80 ms/.test(e.message),
          );
          assert.ok(performance.now() - started < 2000, action);
        }
        assert.equal((await own.call('cvm', 'DescribeImages', {})).RequestId, 'after');
      } finally {
        own.close();
        await stop(server);
      }
    });

    it("the caller's signal cancels a call in flight, and one already aborted sends nothing", async () => {
      fake.reply = () => ({ delayMs: 2000, body: { Response: { RequestId: 'late' } } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const started = performance.now();
      await assert.rejects(
        client.call('cvm', 'DescribeRegions', {}, { signal: controller.signal }),
        (e: unknown) => e instanceof TransportError && e.aborted && !e.timedOut,
      );
      assert.ok(performance.now() - started < 1500);
      const before = fake.received.length;
      await assert.rejects(
        client.call('cvm', 'DescribeRegions', {}, { signal: AbortSignal.abort() }),
        (e: unknown) => e instanceof TransportError && e.aborted,
      );
      assert.equal(fake.received.length, before);
    });

    it('a refused connection is a transport error', async () => {
      const dead = clientAt(choice, 'http://127.0.0.1:1', { retry: { retries: 0 } });
      await assert.rejects(
        dead.call('cvm', 'DescribeRegions', {}),
        (e: unknown) => e instanceof TransportError && /ECONNREFUSED|refused/.test(e.message),
      );
      dead.close();
    });

    it('refuses a declared length past the cap before reading, and cuts an endless body at it', async () => {
      let written = 0;
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.headers['x-tc-action'] === 'DescribeRegions') {
            res.writeHead(200, { 'content-length': String(600 * 1024 * 1024) });
            return void res.write('{"Response":{');
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          const block = Buffer.alloc(64 * 1024, 0x20);
          const pump = () => {
            while (!res.destroyed && written < 200 * 1024 * 1024) {
              written += block.length;
              if (!res.write(block)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
        });
      });
      const port = await listen(server);
      const own = clientAt(choice, `http://127.0.0.1:${port}`, {
        maxResponseBytes: 2 * 1024 * 1024,
        retry: { baseDelayMs: 1 },
      });
      try {
        await assert.rejects(
          own.call('cvm', 'DescribeRegions', {}),
          (e: unknown) => e instanceof HttpError && /larger than 2 MB/.test(e.message),
        );
        await assert.rejects(
          own.call('cvm', 'DescribeZones', {}),
          (e: unknown) => e instanceof HttpError && /larger than 2 MB/.test(e.message),
        );
        assert.ok(written < 50 * 1024 * 1024, `the client stopped reading (the server wrote ${written} bytes)`);
      } finally {
        own.close();
        await stop(server);
      }
    });

    it('a deep answer is refused, whatever the client that read it', async () => {
      fake.reply = () => ({ raw: `{"Response":{"X":${'['.repeat(100)}${']'.repeat(100)},"RequestId":"r"}}` });
      await assert.rejects(client.call('cvm', 'DescribeRegions', {}), /nested deeper than 64 levels/);
    });
  });
}

describe('api/transport: a private CA (TCE_CA_FILE) on both clients', () => {
  let dir: string;
  let server: https.Server | undefined;
  let port = 0;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'tceops-tls-'));
    // A CA of our own and a server certificate for 127.0.0.1 signed by it, made for this run only.
    try {
      const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
      run(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=tceops test CA',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
      );
      run(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        'server.key',
        '-out',
        'server.csr',
      );
      writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
      run(
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        'ext.cnf',
        '-out',
        'server.pem',
      );
    } catch (error) {
      console.log(`      skipped: openssl could not make a test CA (${(error as Error).message.split('\n')[0]})`);
      this.skip();
    }
  });
  beforeEach(async () => {
    if (!dir) return;
    server = https.createServer(
      { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) },
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('{"Response":{"RequestId":"over-tls","RegionSet":[]}}'));
      },
    );
    port = await listen(server);
  });
  afterEach(async () => {
    if (server) await stop(server);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const choice of ['node', 'undici'] as const) {
    it(`${choice}: trusts the server with TCE_CA_FILE, refuses it without`, async () => {
      const trusted = clientAt(choice, `https://127.0.0.1:${port}`, { env: { TCE_CA_FILE: join(dir, 'ca.pem') } });
      const untrusted = clientAt(choice, `https://127.0.0.1:${port}`, { retry: { retries: 0 } });
      try {
        assert.equal((await trusted.call('cvm', 'DescribeRegions', {})).RequestId, 'over-tls');
        await assert.rejects(
          untrusted.call('cvm', 'DescribeRegions', {}),
          (e: unknown) => e instanceof TransportError && /certificate|self.signed|issuer/i.test(e.message),
        );
      } finally {
        trusted.close();
        untrusted.close();
      }
    });
  }
});

describe("api/transport 'auto': node:http first, undici's pool after POOL_AFTER requests", () => {
  it('a one-shot number of calls never loads the pool; a long run moves to it and stays on one connection there', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"Response":{"RequestId":"r","RegionSet":[]}}'));
    });
    const seen = watchConnections(server);
    const port = await listen(server);
    const client = createClient({ endpoint: `http://127.0.0.1:${port}`, credentials, env: {}, rateLimit: false });
    try {
      for (let i = 0; i < POOL_AFTER - 1; i++) await client.call('cvm', 'DescribeRegions', {});
      assert.equal(seen.sockets.length, 1, 'node:http, one kept-alive connection');
      // The pool loads in the background from the POOL_AFTER-th request on; calls go on meanwhile.
      for (let i = 0; i < 200 && seen.sockets.length < 2; i++) {
        await client.call('cvm', 'DescribeRegions', {});
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(seen.sockets.length, 2, 'a second connection: the pool took over');
      const from = seen.requestSockets.length;
      for (let i = 0; i < 20; i++) await client.call('cvm', 'DescribeRegions', {});
      const used = new Set(seen.requestSockets.slice(from));
      assert.ok(!used.has(0), 'node:http is left');
      assert.ok(seen.sockets.length <= 3, `the pool keeps its connections alive (${seen.sockets.length} in all)`);
    } finally {
      client.close();
      await stop(server);
    }
  });

  it("requests through a proxy stay on node:http's proxy agent even when the pool is asked for", async () => {
    const fake = await startFakeTce(() => ({ body: { Response: { RequestId: 'direct-or-not' } } }));
    let tunnels = 0;
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (_req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      tunnels++;
      const upstream = net.connect(Number(new URL(fake.url).port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    const proxyPort = await listen(proxy);
    const client = createClient({
      endpoint: `http://tce.test:${new URL(fake.url).port}`,
      credentials,
      env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` },
      http: 'undici',
    });
    try {
      assert.equal((await client.call('cvm', 'DescribeRegions', {})).RequestId, 'direct-or-not');
      assert.equal(tunnels, 1);
    } finally {
      client.close();
      await stop(proxy);
      await fake.close();
    }
  });
});
