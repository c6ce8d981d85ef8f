/** The protocol: envelopes on HTTP 200, TC3 and v1 signatures with the documented codes, routing by version. */
import assert from 'node:assert/strict';
import { ApiError } from '@tceops/core';
import { DEMO_CREDENTIALS } from '../src/index.ts';
import { errorCode, type Harness, startHarness, tc3Request, v1Request } from './helpers.ts';

describe('emulator server', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('answers with the envelope and a RequestId', async () => {
    const response = await h.raw('cvm', 'DescribeRegions', {}, { region: null });
    assert.match(String(response.RequestId), /^[0-9a-f-]{36}$/);
    assert.equal(response.TotalCount, 3);
    assert.deepEqual(
      (response.RegionSet as { Region: string }[]).map((r) => r.Region),
      ['ap-guangzhou', 'ap-shanghai', 'ap-beijing'],
    );
  });

  it('answers errors on HTTP 200 with Error.Code, Message and RequestId', async () => {
    const response = await fetch(`${h.emulator.url}/`, { method: 'POST', headers: { 'X-TC-Action': 'DescribeZones' } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      Response: { Error: { Code: string; Message: string }; RequestId: string };
    };
    assert.equal(body.Response.Error.Code, 'MissingParameter');
    assert.match(body.Response.Error.Message, /Authorization/);
    assert.ok(body.Response.RequestId);
  });

  it('refuses a wrong key, an unknown SecretId and a stale timestamp with the documented codes', async () => {
    assert.equal(
      errorCode(await h.raw('cvm', 'DescribeZones', {}, { secretKey: 'not-the-key' })),
      'AuthFailure.SignatureFailure',
    );
    assert.equal(
      errorCode(await h.raw('cvm', 'DescribeZones', {}, { secretId: 'AKIDnobody' })),
      'AuthFailure.SecretIdNotFound',
    );
    const stale = Math.floor(Date.now() / 1000) - 301;
    assert.equal(
      errorCode(await h.raw('cvm', 'DescribeZones', {}, { timestamp: stale })),
      'AuthFailure.SignatureExpire',
    );
    const fine = Math.floor(Date.now() / 1000) - 200;
    assert.equal(errorCode(await h.raw('cvm', 'DescribeZones', {}, { timestamp: fine })), undefined);
  });

  it('checks the payload: a body changed after signing fails', async () => {
    const host = new URL(h.emulator.url).host;
    const { signTc3 } = await import('../../core/src/api/sign/tc3.ts');
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = signTc3({
      ...DEMO_CREDENTIALS,
      service: 'cvm',
      timestamp,
      request: {
        method: 'POST',
        query: '',
        headers: { 'content-type': 'application/json', host },
        payload: '{"Limit":1}',
      },
    });
    const response = await fetch(`${h.emulator.url}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: signed.authorization,
        'X-TC-Action': 'DescribeInstances',
        'X-TC-Version': '2017-03-12',
        'X-TC-Region': 'ap-guangzhou',
        'X-TC-Timestamp': String(timestamp),
      },
      body: '{"Limit":100}',
    });
    const body = (await response.json()) as { Response: Record<string, unknown> };
    assert.equal(errorCode(body.Response), 'AuthFailure.SignatureFailure');
  });

  it('accepts TC3 GET with the query string signed', async () => {
    const response = await h.raw('cvm', 'DescribeInstances', { Limit: 2, Offset: 1 }, { method: 'GET' });
    assert.equal(errorCode(response), undefined);
    assert.equal((response.InstanceSet as unknown[]).length, 2);
  });

  it('accepts v1 HmacSHA1 GET and HmacSHA256 form POST, with and without the port in the signed host', async () => {
    const params = { Action: 'DescribeInstances', Version: '2017-03-12', Region: 'ap-guangzhou', Limit: '3' };
    const get = await v1Request(h.emulator.url, params);
    assert.equal(errorCode(get), undefined, JSON.stringify(get));
    assert.equal((get.InstanceSet as unknown[]).length, 3);
    const post = await v1Request(h.emulator.url, params, { method: 'POST', algorithm: 'HmacSHA256' });
    assert.equal(errorCode(post), undefined, JSON.stringify(post));
    const noPort = await v1Request(h.emulator.url, params, { host: '127.0.0.1' });
    assert.equal(errorCode(noPort), undefined, JSON.stringify(noPort));
    const wrong = await v1Request(h.emulator.url, params, { secretKey: 'wrong' });
    assert.equal(errorCode(wrong), 'AuthFailure.SignatureFailure');
  });

  it('refuses a replayed v1 request', async () => {
    const { signV1 } = await import('../../core/src/api/sign/v1.ts');
    const { body } = signV1({
      secretKey: DEMO_CREDENTIALS.secretKey,
      algorithm: 'HmacSHA1',
      method: 'GET',
      host: new URL(h.emulator.url).host,
      params: {
        Action: 'DescribeZones',
        Version: '2017-03-12',
        Region: 'ap-guangzhou',
        SecretId: DEMO_CREDENTIALS.secretId,
        Timestamp: String(Math.floor(Date.now() / 1000)),
        Nonce: '4242',
      },
    });
    const first = (await (await fetch(`${h.emulator.url}/?${body}`)).json()) as { Response: Record<string, unknown> };
    const again = (await (await fetch(`${h.emulator.url}/?${body}`)).json()) as { Response: Record<string, unknown> };
    assert.equal(errorCode(first.Response), undefined);
    assert.equal(errorCode(again.Response), 'AuthFailure.SignatureFailure');
  });

  it('tells the two CFS versions apart by X-TC-Version', async () => {
    const v2018 = await h.raw('cfs', 'QueryCfsPGroup', {}, { version: '2018-04-16' });
    assert.ok(Array.isArray(v2018.PGroupList));
    assert.equal(v2018.TotalCount, undefined, '2018 has no paging');
    const v2019 = await h.raw('cfs', 'DescribeCfsPGroups', {}, { version: '2019-07-19' });
    assert.equal(typeof v2019.TotalCount, 'number');
    assert.equal(errorCode(await h.raw('cfs', 'QueryCfsPGroup', {}, { version: '2019-07-19' })), 'InvalidAction');
    assert.equal(errorCode(await h.raw('cfs', 'DescribeCfsPGroups', {}, { version: '2020-01-01' })), 'NoSuchVersion');
  });

  it('finds the service from the version when the scope names an unknown one (an SDK pointed at an IP)', async () => {
    const response = await tc3Request(h.emulator.url, '127', 'DescribeMigrationJobs', {}, { version: '2021-09-15' });
    assert.equal(errorCode(response), undefined);
    assert.ok(Array.isArray(response.MigrationJobs));
  });

  it('validates parameters from the catalog', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Limit: 'ten' }, 'InvalidParameter'],
      [{ Limit: 101 }, 'InvalidParameterValue'],
      [{ Bogus: 1 }, 'UnknownParameter'],
      [{ InstanceIds: ['ins-1122'] }, 'InvalidInstanceId.Malformed'],
      [
        { InstanceIds: Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, '0')}`) },
        'InvalidParameterValue.LimitExceeded',
      ],
    ];
    for (const [params, code] of cases) {
      assert.equal(
        errorCode(await h.raw('cvm', 'DescribeInstances', params)),
        code,
        JSON.stringify(params).slice(0, 60),
      );
    }
    assert.equal(errorCode(await h.raw('cvm', 'StopInstances', {})), 'MissingParameter');
    assert.equal(errorCode(await h.raw('cvm', 'DescribeInstances', {}, { region: null })), 'MissingParameter');
    assert.equal(errorCode(await h.raw('cvm', 'DescribeInstances', {}, { region: 'mars-1' })), 'UnsupportedRegion');
    assert.equal(errorCode(await h.raw('cvm', 'NoSuchThing', {})), 'InvalidAction');
  });

  it('answers DryRun with DryRunOperation and changes nothing', async () => {
    const list = await h.raw('cvm', 'DescribeInstances', {
      Filters: [{ Name: 'instance-state', Values: ['RUNNING'] }],
    });
    const id = (list.InstanceSet as { InstanceId: string }[])[0]!.InstanceId;
    assert.equal(
      errorCode(await h.raw('cvm', 'TerminateInstances', { InstanceIds: [id], DryRun: true })),
      'DryRunOperation',
    );
    const after = await h.raw('cvm', 'DescribeInstances', { InstanceIds: [id] });
    assert.equal((after.InstanceSet as { InstanceState: string }[])[0]!.InstanceState, 'RUNNING');
  });

  it('works with the core client, errors surfacing as ApiError with the code', async () => {
    const zones = await h.client.call<{ ZoneSet: { Zone: string }[] }>('cvm', 'DescribeZones', {});
    assert.deepEqual(
      zones.ZoneSet.map((z) => z.Zone),
      ['ap-guangzhou-1', 'ap-guangzhou-2', 'ap-guangzhou-3'],
    );
    await assert.rejects(
      h.client.call('cvm', 'StartInstances', { InstanceIds: ['ins-zzzzzzzz'] }),
      (e: unknown) => e instanceof ApiError && e.code === 'InvalidInstanceId.NotFound',
    );
  });

  it('with --auth off, takes unsigned TC3 and v1 requests', async () => {
    const open = await startHarness({ auth: 'off' });
    try {
      const tc3 = await fetch(`${open.emulator.url}/`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-TC-Action': 'DescribeZones',
          'X-TC-Version': '2017-03-12',
          'X-TC-Region': 'ap-shanghai',
        },
        body: '{}',
      });
      const body = (await tc3.json()) as { Response: { TotalCount: number } };
      assert.equal(body.Response.TotalCount, 2);
      const v1 = await fetch(`${open.emulator.url}/?Action=DescribeZones&Version=2017-03-12&Region=ap-beijing`);
      assert.equal(((await v1.json()) as { Response: { TotalCount: number } }).Response.TotalCount, 3);
      assert.equal(open.emulator.requests().at(-1)!.style, 'unsigned');
    } finally {
      await open.close();
    }
  });
});
