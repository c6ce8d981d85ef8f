import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type TceClient } from '../../src/api/client.ts';
import { ApiError, HttpError, InputError, TransportError } from '../../src/api/errors.ts';
import { listAll } from '../../src/api/paginate.ts';
import type { Fetch } from '../../src/api/transport.ts';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from './fake-tce.ts';

const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };
const INS = 'ins-abcd1234';

describe('api/client', () => {
  let fake: FakeTce;
  let client: TceClient;
  beforeEach(async () => {
    fake = await startFakeTce();
    client = createClient({
      endpoint: fake.url,
      region: 'ap-guangzhou',
      credentials,
      env: {},
      retry: { baseDelayMs: 5 },
    });
  });
  afterEach(async () => {
    client.close();
    await fake.close();
  });

  it('sends a signed TC3 POST with the common headers and returns the Response', async () => {
    fake.reply = () => ({ body: { Response: { TotalCount: 0, InstanceSet: [], RequestId: 'req-1' } } });
    const response = await client.call('cvm', 'DescribeInstances', { Limit: 10 });
    assert.equal(response.RequestId, 'req-1');
    const [sent] = fake.received;
    assert.ok(sent!.signatureOk);
    assert.equal(sent!.headers['x-tc-action'], 'DescribeInstances');
    assert.equal(sent!.headers['x-tc-version'], '2017-03-12');
    assert.equal(sent!.headers['x-tc-region'], 'ap-guangzhou');
    assert.deepEqual(sent!.params, { Limit: 10 });
  });

  it('signs GET with TC3 and both v1 methods, GET and POST form', async () => {
    const params = { InstanceIds: [INS, 'ins-wxyz9876'], Limit: 5 };
    await client.call('cvm', 'DescribeInstances', params, { method: 'GET' });
    await client.call('cvm', 'DescribeInstances', params, { signMethod: 'HmacSHA1', method: 'GET' });
    await client.call('cvm', 'DescribeInstances', params, { signMethod: 'HmacSHA256', method: 'POST' });
    assert.equal(fake.received.length, 3);
    for (const sent of fake.received) {
      assert.ok(sent.signatureOk, sent.url);
      assert.equal(sent.params['InstanceIds.1'] ?? (sent.params.InstanceIds as string[])[1], 'ins-wxyz9876');
    }
    assert.equal(fake.received[2]!.params.SignatureMethod, 'HmacSHA256');
    assert.equal(fake.received[1]!.params.Action, 'DescribeInstances');
  });

  it('sends nothing when the request does not match the docs', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['StopInstances', {}, /InstanceIds/],
      ['StopInstances', { InstanceIds: ['ins-1122'] }, /ins-1122/],
      ['StopInstances', { InstanceIds: [INS], Bogus: 1 }, /Bogus/],
      ['DescribeInstances', { Limit: 'ten' }, /Limit/],
      [
        'StopInstances',
        { InstanceIds: Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, '0')}`) },
        /100/,
      ],
    ];
    for (const [action, params, message] of cases) {
      await assert.rejects(
        client.call('cvm', action, params),
        (e: unknown) => e instanceof InputError && message.test(e.message),
      );
    }
    await assert.rejects(client.call('cvm', 'StopInstance', {}), /StopInstances/);
    await assert.rejects(client.call('nope', 'X', {}), InputError);
    assert.equal(fake.received.length, 0);
  });

  it('turns Response.Error into an ApiError with Code, Message and RequestId', async () => {
    fake.reply = () => ({
      body: {
        Response: { Error: { Code: 'InvalidInstanceId.NotFound', Message: 'no such instance' }, RequestId: 'req-err' },
      },
    });
    await assert.rejects(client.call('cvm', 'StopInstances', { InstanceIds: [INS] }), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.code, 'InvalidInstanceId.NotFound');
      assert.equal(e.requestId, 'req-err');
      assert.equal(e.exitCode, 1);
      return true;
    });
    assert.equal(fake.received.length, 1, 'a refusal is not retried');
  });

  it('retries a read after a 503 and a dropped connection, but not a write without a ClientToken', async () => {
    fake.reply = (_, i) =>
      i === 0
        ? { status: 503, raw: 'busy' }
        : i === 1
          ? 'reset'
          : { body: { Response: { RequestId: 'req-3', TotalCount: 0, InstanceSet: [] } } };
    const response = await client.call('cvm', 'DescribeInstances', {});
    assert.equal(response.RequestId, 'req-3');
    assert.equal(fake.received.length, 3);

    fake.received.length = 0;
    fake.reply = () => ({ status: 503, raw: 'busy' });
    await assert.rejects(client.call('cvm', 'StopInstances', { InstanceIds: [INS] }), HttpError);
    assert.equal(fake.received.length, 1, 'a stop that may have run is not repeated');
  });

  it('retries a rate-limited write: it surely did not run', async () => {
    fake.reply = (_, i) =>
      i === 0
        ? { body: { Response: { Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: 'r0' } } }
        : { body: { Response: { RequestId: 'r1' } } };
    const response = await client.call('cvm', 'StopInstances', { InstanceIds: [INS] });
    assert.equal(response.RequestId, 'r1');
    assert.equal(fake.received.length, 2);
  });

  it('adds a ClientToken to actions that take one, keeps it across retries, and then retries them', async () => {
    fake.reply = (_, i) => (i === 0 ? 'reset' : { body: { Response: { RequestId: 'r', InstanceIdSet: [INS] } } });
    await client.call('cvm', 'RunInstances', { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-abcd1234' });
    assert.equal(fake.received.length, 2);
    const tokens = fake.received.map((r) => r.params.ClientToken);
    assert.ok(typeof tokens[0] === 'string' && tokens[0].length > 0);
    assert.equal(tokens[0], tokens[1]);
  });

  it('the deadline covers an answer whose body stalls, and the connection pool still serves the next call', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.headers['x-tc-action'] === 'DescribeRegions') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"Response":{');
          return; // never ends
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"Response":{"RequestId":"after","ZoneSet":[]}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const slow = createClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'ap-guangzhou',
      credentials,
      env: {},
      retry: { retries: 0 },
    });
    try {
      const started = performance.now();
      await assert.rejects(
        slow.call('cvm', 'DescribeRegions', {}, { timeoutMs: 80 }),
        (e: unknown) => e instanceof TransportError && e.timedOut && /80 ms/.test(e.message),
      );
      assert.ok(performance.now() - started < 2000);
      assert.equal((await slow.call('cvm', 'DescribeZones', {})).RequestId, 'after');
    } finally {
      slow.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it("a fetch brought by the embedding gets the deadline and the caller's signal", async () => {
    const seen: AbortSignal[] = [];
    const hanging: Fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        seen.push(init.signal!);
        init.signal!.addEventListener('abort', () => reject(new Error('stopped')));
      });
    const brought = createClient({
      fetch: hanging,
      region: 'ap-guangzhou',
      credentials,
      env: {},
      retry: { retries: 0 },
    });
    await assert.rejects(
      brought.call('cvm', 'DescribeRegions', {}, { timeoutMs: 30 }),
      (e: unknown) => e instanceof TransportError && e.timedOut && !e.aborted,
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(
      brought.call('cvm', 'DescribeRegions', {}, { signal: controller.signal, timeoutMs: 5000 }),
      (e: unknown) => e instanceof TransportError && e.aborted && !e.timedOut,
    );
    assert.equal(seen.length, 2);
  });

  it('times out, cancels, and reports a refused connection as a transport error', async () => {
    fake.reply = () => ({ delayMs: 500, body: { Response: { RequestId: 'late' } } });
    await assert.rejects(
      client.call('cvm', 'DescribeRegions', {}, { timeoutMs: 50 }),
      (e: unknown) => e instanceof TransportError && e.timedOut,
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(
      client.call('cvm', 'StopInstances', { InstanceIds: [INS] }, { signal: controller.signal }),
      (e: unknown) => e instanceof TransportError && e.aborted,
    );
    const dead = createClient({
      endpoint: 'http://127.0.0.1:1',
      credentials,
      env: {},
      retry: { retries: 1, baseDelayMs: 1 },
    });
    await assert.rejects(dead.call('cvm', 'DescribeRegions', {}), /ECONNREFUSED|refused/);
    dead.close();
  });

  it('keeps integers beyond 2^53 exact', async () => {
    fake.reply = () => ({ raw: '{"Response":{"TaskId":"t","FlowId":9223372036854775807,"RequestId":"r"}}' });
    const response = await client.call('cvm', 'StartInstances', { InstanceIds: [INS] });
    assert.equal(response.FlowId, 9223372036854775807n);
  });

  it('says clearly when the endpoint is not a TCE API, and never prints the key', async () => {
    fake.reply = () => ({ status: 404, raw: `<html>not here ${SECRET_KEY}</html>` });
    await assert.rejects(
      client.call('cvm', 'DescribeRegions', {}),
      (e: unknown) => e instanceof HttpError && e.status === 404 && !e.message.includes(SECRET_KEY),
    );
    fake.reply = () => ({ raw: '{"hello":1}' });
    await assert.rejects(client.call('cvm', 'DescribeRegions', {}), /no "Response" object/);
  });

  it('paces bulk calls to the documented limit (DescribeRegions: 20/s)', async () => {
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 30 }, () => client.call('cvm', 'DescribeRegions', {})));
    assert.ok(Date.now() - t0 >= 1000, 'thirty calls at 20/s cannot finish within a second');
  });

  it('pages through a listing', async () => {
    const all = Array.from({ length: 250 }, (_, i) => ({ InstanceId: `ins-${String(i).padStart(8, '0')}` }));
    fake.reply = (sent) => {
      const { Offset, Limit } = sent.params as { Offset: number; Limit: number };
      return {
        body: { Response: { TotalCount: all.length, InstanceSet: all.slice(Offset, Offset + Limit), RequestId: 'r' } },
      };
    };
    const items = await listAll(client, 'cvm', 'DescribeInstances', {}, { itemsKey: 'InstanceSet' });
    assert.equal(items.length, 250);
    assert.deepEqual(
      fake.received.map((r) => r.params.Offset),
      [0, 100, 200],
    );
  });
});
