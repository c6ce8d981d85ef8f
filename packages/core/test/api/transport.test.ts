/**
 * The transport's proxies: a request to a host outside NO_PROXY goes through the CONNECT proxy of HTTP(S)_PROXY;
 * NO_PROXY and loopback go direct. The proxy here maps the made-up host tce.test to the fake TCE on loopback, so
 * only a request that really went through it can succeed.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createClient } from '../../src/api/client.ts';
import { TransportError } from '../../src/api/errors.ts';
import { createTransport } from '../../src/api/transport.ts';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from './fake-tce.ts';

const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };

async function startProxy(to: number) {
  const tunnels: string[] = [];
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const upstream = net.connect(to, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    tunnels,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('api/transport', () => {
  let fake: FakeTce;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeEach(async () => {
    fake = await startFakeTce();
    proxy = await startProxy(Number(new URL(fake.url).port));
    fake.reply = () => ({ body: { Response: { RequestId: 'via-proxy', RegionSet: [] } } });
  });
  afterEach(async () => {
    proxy.close();
    await fake.close();
  });

  const endpoint = () => `http://tce.test:${new URL(fake.url).port}`;

  it('sends a request for a host outside NO_PROXY through the CONNECT proxy, and keeps the tunnel alive', async () => {
    const client = createClient({
      endpoint: endpoint(),
      region: 'ap-guangzhou',
      credentials,
      env: { HTTP_PROXY: proxy.url, NO_PROXY: 'other.example' },
    });
    try {
      assert.equal((await client.call('cvm', 'DescribeRegions')).RequestId, 'via-proxy');
      assert.equal((await client.call('cvm', 'DescribeRegions')).RequestId, 'via-proxy');
      assert.deepEqual(proxy.tunnels, [`tce.test:${new URL(fake.url).port}`], 'one tunnel, kept alive');
      assert.equal(fake.received[0]!.headers['x-tc-action'], 'DescribeRegions');
    } finally {
      client.close();
    }
  });

  it('goes direct for NO_PROXY hosts and for loopback, whatever the proxy variables say', async () => {
    const bypassed = createClient({
      endpoint: endpoint(),
      credentials,
      env: { HTTP_PROXY: proxy.url, NO_PROXY: '.test' },
      retry: { retries: 0 },
    });
    // Direct means resolving tce.test, which does not exist: the proxy is never asked.
    await assert.rejects(bypassed.call('cvm', 'DescribeRegions'), TransportError);
    bypassed.close();
    const loopback = createClient({ endpoint: fake.url, credentials, env: { HTTP_PROXY: proxy.url } });
    assert.equal((await loopback.call('cvm', 'DescribeRegions')).RequestId, 'via-proxy');
    loopback.close();
    assert.deepEqual(proxy.tunnels, []);
  });

  it('a transport without proxy variables goes direct; a bad proxy URL fails the request, not the process', async () => {
    const plain = createTransport({ env: {} });
    const answer = await plain.fetch(`${fake.url}/`, { method: 'POST', headers: {}, body: '{}' });
    assert.equal(answer.status, 200);
    plain.close();
    const broken = createTransport({ env: { HTTP_PROXY: 'not a url' } });
    await assert.rejects(broken.fetch(endpoint(), { method: 'POST', headers: {}, body: '{}' }));
    broken.close();
  });
});
