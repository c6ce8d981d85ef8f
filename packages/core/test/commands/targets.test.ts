import assert from 'node:assert/strict';
import { createClient } from '../../src/api/client.ts';
import { InputError } from '../../src/api/errors.ts';
import { resolveInstanceNames } from '../../src/commands/targets.ts';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from '../api/fake-tce.ts';

describe('commands/targets', () => {
  let fake: FakeTce;
  afterEach(() => fake.close());

  it('resolves names to IDs, refusing a name two instances share and one nobody has', async () => {
    const instances = [
      {
        InstanceId: 'ins-aaaaaaaa',
        InstanceName: 'web-1',
        InstanceState: 'RUNNING',
        Placement: { Zone: 'ap-guangzhou-3' },
      },
      {
        InstanceId: 'ins-bbbbbbbb',
        InstanceName: 'db',
        InstanceState: 'RUNNING',
        Placement: { Zone: 'ap-guangzhou-3' },
      },
      {
        InstanceId: 'ins-cccccccc',
        InstanceName: 'db',
        InstanceState: 'STOPPED',
        Placement: { Zone: 'ap-guangzhou-4' },
      },
    ];
    fake = await startFakeTce((request) => {
      const filter = (request.params.Filters as { Values: string[] }[] | undefined)?.[0]?.Values[0];
      const set = instances.filter((i) => i.InstanceName === filter);
      return { body: { Response: { TotalCount: set.length, InstanceSet: set, RequestId: 'r' } } };
    });
    const client = createClient({
      endpoint: fake.url,
      region: 'ap-guangzhou',
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      env: {},
    });
    try {
      assert.deepEqual(await resolveInstanceNames(client, 'ap-guangzhou', ['web-1', 'ins-dddddddd']), [
        'ins-aaaaaaaa',
        'ins-dddddddd',
      ]);
      await assert.rejects(
        resolveInstanceNames(client, 'ap-guangzhou', ['db']),
        (e: unknown) =>
          e instanceof InputError &&
          /"db" names 2 instances: ins-bbbbbbbb \(RUNNING, ap-guangzhou-3\), ins-cccccccc \(STOPPED, ap-guangzhou-4\)/.test(
            e.message,
          ),
      );
      await assert.rejects(resolveInstanceNames(client, 'ap-guangzhou', ['nope']), /no instance named "nope"/);
    } finally {
      client.close();
    }
  });
});
