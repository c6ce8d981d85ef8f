/**
 * The official Tencent Cloud Node SDK as the client, unchanged. Pointed at 127.0.0.1:PORT it signs for service
 * "127" (the endpoint's first label): the emulator then finds the service from the API version. With a host
 * name such as cvm.tce.internal (resolved to loopback by the agent's lookup) the scope names the service.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { DEMO_BIG_DEVICE_ID, DEMO_CREDENTIALS } from '../src/index.ts';
import { type Harness, startHarness } from './helpers.ts';

const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common') as {
  CommonClient: new (
    endpoint: string,
    version: string,
    options: { credential: object; region?: string; profile?: object },
  ) => { request(action: string, params: object): Promise<Record<string, unknown>> };
};

interface SdkError {
  code?: string;
  requestId?: string;
  message: string;
}

describe('emulator with the official Node SDK', () => {
  let h: Harness;
  let port: number;
  before(async () => {
    h = await startHarness();
    port = h.emulator.port;
  });
  after(async () => {
    await h.close();
  });

  const sdk = (version: string, profile: Record<string, unknown> = {}, endpoint = `127.0.0.1:${port}`) =>
    new CommonClient(endpoint, version, {
      credential: { ...DEMO_CREDENTIALS },
      region: 'ap-guangzhou',
      profile: {
        httpProfile: { protocol: 'http://', ...profile },
        ...('signMethod' in profile ? { signMethod: profile.signMethod } : {}),
      },
    });

  it('TC3 POST with an IP endpoint: lists instances', async () => {
    const response = (await sdk('2017-03-12').request('DescribeInstances', { Limit: 5 })) as {
      TotalCount: number;
      InstanceSet: { InstanceId: string }[];
      RequestId: string;
    };
    assert.equal(response.InstanceSet.length, 5);
    assert.ok(response.TotalCount > 5);
    assert.ok(response.RequestId);
  });

  it('TC3 GET with nested parameters (Filters.0.Values.0 in the query string)', async () => {
    const client = sdk('2017-03-12', { reqMethod: 'GET' });
    const response = (await client.request('DescribeInstances', {
      Filters: [{ Name: 'tag:env', Values: ['production'] }],
      Limit: 100,
    })) as { InstanceSet: { Tags: { Key: string; Value: string }[] }[] };
    assert.ok(response.InstanceSet.length > 0);
    for (const instance of response.InstanceSet) {
      assert.ok(instance.Tags.some((t) => t.Key === 'env' && t.Value === 'production'));
    }
  });

  for (const signMethod of ['HmacSHA1', 'HmacSHA256']) {
    it(`v1 ${signMethod}, GET and POST`, async () => {
      for (const reqMethod of ['GET', 'POST']) {
        const response = (await sdk('2021-09-15', { signMethod, reqMethod }).request('DescribeSourceServers', {
          Limit: 10,
        })) as { TotalCount: number };
        assert.equal(response.TotalCount, 3, `${signMethod} ${reqMethod}`);
      }
    });
  }

  it('errors reach the SDK as TencentCloudSDKHttpException with Code and RequestId', async () => {
    await assert.rejects(
      sdk('2017-03-12').request('StartInstances', { InstanceIds: ['ins-zzzzzzzz'] }),
      (e: SdkError) => {
        assert.equal(e.code, 'InvalidInstanceId.NotFound');
        assert.ok(e.requestId);
        return true;
      },
    );
    const wrongKey = new CommonClient(`127.0.0.1:${port}`, '2017-03-12', {
      credential: { secretId: DEMO_CREDENTIALS.secretId, secretKey: 'wrong' },
      region: 'ap-guangzhou',
      profile: { httpProfile: { protocol: 'http://' } },
    });
    await assert.rejects(
      wrongKey.request('DescribeZones', {}),
      (e: SdkError) => e.code === 'AuthFailure.SignatureFailure',
    );
  });

  it('the two CFS versions through one endpoint', async () => {
    const old = (await sdk('2018-04-16').request('QueryCfsFileSystem', {})) as { FileSystems: unknown[] };
    const current = (await sdk('2019-07-19').request('DescribeCfsFileSystems', {})) as {
      FileSystems: unknown[];
      TotalCount: number;
    };
    assert.equal(old.FileSystems.length, current.TotalCount);
  });

  it('a host name endpoint signs for its service; a custom lookup sends it to loopback', async () => {
    const agent = new http.Agent({
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all)
          (callback as (e: null, a: object[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
        else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
      },
    });
    const client = sdk('2017-03-12', { agent }, `cvm.tce.internal:${port}`);
    const response = (await client.request('DescribeZones', {})) as { TotalCount: number };
    assert.equal(response.TotalCount, 3);
    const record = h.emulator.requests().at(-1)!;
    assert.equal(record.service, 'cvm');
    assert.equal(record.action, 'DescribeZones');
    agent.destroy();
  });

  it('Int64 beyond 2^53: the answer carries every digit (the SDK, parsing into doubles, loses them)', async () => {
    const filter = { Filters: [{ Name: 'instance-name', Values: ['db-1'] }] };
    const shanghai = new CommonClient(`127.0.0.1:${port}`, '2017-03-12', {
      credential: { ...DEMO_CREDENTIALS },
      region: 'ap-shanghai',
      profile: { httpProfile: { protocol: 'http://' } },
    });
    const viaSdk = (await shanghai.request('DescribeInstances', filter)) as { InstanceSet: { DeviceId: number }[] };
    assert.notEqual(BigInt(viaSdk.InstanceSet[0]!.DeviceId), DEMO_BIG_DEVICE_ID);
    const exact = await h.client.call<{ InstanceSet: { DeviceId: bigint }[] }>('cvm', 'DescribeInstances', filter, {
      region: 'ap-shanghai',
    });
    assert.equal(exact.InstanceSet[0]!.DeviceId, DEMO_BIG_DEVICE_ID);
  });
});
