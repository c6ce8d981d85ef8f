import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from '../../../core/test/api/fake-tce.ts';
import { main } from '../../src/main.ts';
import { captureIo } from '../io.ts';

const env = (url: string): NodeJS.ProcessEnv => ({
  TENCENTCLOUD_SECRET_ID: SECRET_ID,
  TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
  TENCENTCLOUD_REGION: 'ap-guangzhou',
  TCE_ENDPOINT: url,
  HOME: mkdtempSync(join(tmpdir(), 'tceops-cli-')),
});

describe('cli call', () => {
  let fake: FakeTce;
  beforeEach(async () => {
    fake = await startFakeTce(() => ({
      body: {
        Response: {
          TotalCount: 1,
          InstanceSet: [{ InstanceId: 'ins-abcd1234', InstanceName: 'web-1' }],
          RequestId: 'req-cli',
        },
      },
    }));
  });
  afterEach(() => fake.close());

  async function run(args: string[]) {
    const io = captureIo();
    const saved = { ...process.env };
    Object.assign(process.env, env(fake.url));
    try {
      const code = await main(args, { io, env: env(fake.url) });
      return { code, ...io };
    } finally {
      process.env = saved;
    }
  }

  it('coerces flags to the documented types and prints the response as JSON', async () => {
    const { code, stdout } = await run([
      'call',
      'cvm',
      'DescribeInstances',
      '--Limit',
      '10',
      '--Filters.0.Name',
      'zone',
      '--Filters.0.Values.0',
      'ap-guangzhou-3',
    ]);
    assert.equal(code, 0);
    assert.deepEqual(fake.received[0]!.params, { Limit: 10, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] });
    assert.equal(JSON.parse(stdout).RequestId, 'req-cli');
    assert.ok(fake.received[0]!.signatureOk);
  });

  it('reads --params from a file and prints a table on request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tceops-params-')), 'p.json');
    writeFileSync(file, JSON.stringify({ InstanceIds: ['ins-abcd1234'] }));
    const { code, stdout } = await run([
      'call',
      'cvm',
      'DescribeInstances',
      '--params',
      `@${file}`,
      '--output',
      'table',
    ]);
    assert.equal(code, 0);
    assert.deepEqual(fake.received[0]!.params, { InstanceIds: ['ins-abcd1234'] });
    assert.match(stdout, /InstanceSet:\nInstanceId\s+InstanceName\nins-abcd1234\s+web-1/);
  });

  it('signs with v1 when asked', async () => {
    const { code } = await run(['call', 'cvm', 'DescribeInstances', '--sign-method', 'HmacSHA256', '--method', 'GET']);
    assert.equal(code, 0);
    assert.equal(fake.received[0]!.method, 'GET');
    assert.equal(fake.received[0]!.params.SignatureMethod, 'HmacSHA256');
    assert.ok(fake.received[0]!.signatureOk);
  });

  it('exits 1 on an API error with its code and RequestId', async () => {
    fake.reply = () => ({
      body: { Response: { Error: { Code: 'InvalidInstanceId.NotFound', Message: 'not found' }, RequestId: 'req-404' } },
    });
    const { code, stderr } = await run(['call', 'cvm', 'StopInstances', '--InstanceIds', 'ins-abcd1234']);
    assert.equal(code, 1);
    assert.match(stderr, /InvalidInstanceId\.NotFound[\s\S]*RequestId: req-404/);
  });

  it('exits 2 and sends nothing on bad input', async () => {
    const cases = [
      ['call', 'cvm', 'DescribeInstances', '--Limit', 'ten'],
      ['call', 'cvm', 'StopInstance', '--InstanceIds', 'ins-abcd1234'],
      ['call', 'cvm', 'StopInstances'],
      ['call', 'cvm', 'StopInstances', '--InstanceIds', 'ins-1122'],
      ['call', 'cvm', 'DescribeInstances', '--Bogus', '1'],
      ['call', 'cvm', 'DescribeInstances', '--params', '{not json'],
      ['call', 'cvm', 'DescribeInstances', '--output', 'yaml'],
      ['call', 'cvm'],
    ];
    for (const args of cases) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /^Error: \S/);
    }
    assert.equal(fake.received.length, 0);
  });
});
