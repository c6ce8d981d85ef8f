/**
 * Answers of the wrong shape reach no command: every listing, detail and plan over malformed answers ends in an
 * outcome (a table, or an error naming the action and the field), never a TypeError.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../../src/api/client.ts';
import { findAction, getServiceCatalog } from '../../src/catalog/index.ts';
import { responseProblem } from '../../src/catalog/response.ts';
import { createEngine } from '../../src/commands/engine.ts';
import { builtinPolicy } from '../../src/policy/load.ts';
import { openStore } from '../../src/store/open.ts';

describe('catalog/response', () => {
  const action = findAction('cvm', 'DescribeInstances');
  const catalog = getServiceCatalog('cvm', action.version);
  const problem = (response: Record<string, unknown>) => responseProblem(action, catalog, response);

  it('names the field that breaks the documented shape', () => {
    assert.equal(problem({ InstanceSet: {} }), 'InstanceSet is not a list');
    assert.equal(problem({ InstanceSet: [null] }), 'InstanceSet[0] is not Instance');
    assert.equal(problem({ InstanceSet: [{ Tags: [null] }] }), 'InstanceSet[0].Tags[0] is not Tag');
    assert.equal(
      problem({ InstanceSet: [{ PrivateIpAddresses: 'x' }] }),
      'InstanceSet[0].PrivateIpAddresses is not a list',
    );
    assert.equal(
      problem({ InstanceSet: [{ PrivateIpAddresses: ['10.0.0.1', { ip: 'x' }] }] }),
      'InstanceSet[0].PrivateIpAddresses[1] is a structure where the docs give a value',
    );
    assert.equal(
      problem({ InstanceSet: [{ PrivateIpAddresses: ['10.0.0.1', null] }] }),
      'InstanceSet[0].PrivateIpAddresses[1] is null',
    );
    assert.equal(
      problem({ InstanceSet: [{ PrivateIpAddresses: [['10.0.0.1']] }] }),
      'InstanceSet[0].PrivateIpAddresses[0] is a list where the docs give a value',
    );
    assert.equal(
      problem({ InstanceSet: [{ InstanceName: ['x'] }] }),
      'InstanceSet[0].InstanceName is a list where the docs give a value',
    );
    // Plain values skip the look-up of their field's check: where the docs give a structure or a list, they are
    // still caught, in any row, nested or not.
    const rows = (last: Record<string, unknown>) => [
      ...Array.from({ length: 20 }, (_, i) => ({ InstanceId: `ins-${i}`, Placement: { Zone: 'z' }, Tags: [] })),
      last,
    ];
    assert.equal(
      problem({ InstanceSet: rows({ Placement: 'ap-guangzhou-3' }) }),
      'InstanceSet[20].Placement is not Placement',
    );
    assert.equal(problem({ InstanceSet: rows({ Tags: 0 }) }), 'InstanceSet[20].Tags is not a list');
    assert.equal(
      problem({ InstanceSet: rows({ Tags: [{ Key: { k: 1 } }] }) }),
      'InstanceSet[20].Tags[0].Key is a structure where the docs give a value',
    );
    assert.equal(
      problem({ InstanceSet: rows({ Placement: { Zone: 'z', HostIds: 'host-1' } }) }),
      'InstanceSet[20].Placement.HostIds is not a list',
    );
  });

  it('accepts what the docs mistype and what servers vary in', () => {
    assert.equal(problem({ InstanceSet: [], TotalCount: '3', Unknown: { x: [1] } }), undefined);
    assert.equal(problem({ InstanceSet: [{ InstanceId: 'ins-1', CPU: '2', Placement: null, Tags: null }] }), undefined);
    const run = findAction('cvm', 'RunInstances');
    assert.equal(responseProblem(run, catalog, { InstanceIdSet: ['ins-1'] }), undefined, 'InstanceIdSet: String');
  });

  it('every command over 45 malformed answers ends in an outcome, never a crash', async function () {
    this.timeout(60_000);
    const shapes = [
      '1',
      '"x"',
      '{}',
      '[null]',
      '[1]',
      '["x"]',
      '[{}]',
      '[{"InstanceId":1}]',
      '[{"InstanceId":"ins-12345678","Tags":"x"}]',
      '[{"InstanceId":"ins-12345678","Tags":[null]}]',
      '[{"InstanceId":"ins-12345678","PrivateIpAddresses":"x","Placement":[]}]',
      '[{"ImageId":null,"InstanceName":{}}]',
      '[{"FileSystemId":{}}]',
      '[[]]',
      'null',
    ];
    const keys = [
      'InstanceSet',
      'ImageSet',
      'KeyPairSet',
      'FileSystems',
      'PGroupList',
      'RuleList',
      'MigrationJobs',
      'RegionSet',
      'ZoneSet',
      'LaunchTemplateSet',
      'InstanceTypeQuotaSet',
    ];
    const commands = [
      'cvm instances',
      'cvm instances --name web*',
      'cvm show ins-12345678',
      'cvm images',
      'cvm keypairs',
      'cfs filesystems',
      'cfs pgroups',
      'cfs rules pgroup-12345678',
      'csm jobs',
      'regions',
      'zones',
      'cvm stop ins-12345678 --dry-run',
      'cvm templates',
      'cvm types',
    ];
    let body = '';
    const client = createClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'ap-guangzhou',
      credentials: { secretId: 'AKIDshape', secretKey: 'shape-secret-key', source: 'test' },
      env: {},
      rateLimit: false,
      retry: { retries: 0 },
      fetch: async () => ({ status: 200, text: async () => body }),
    });
    const store = await openStore(`file:${mkdtempSync(join(tmpdir(), 'tceops-shapes-'))}`);
    const engine = createEngine({ client, store, policy: builtinPolicy(), expireEveryMs: 0, wait: false });
    let runs = 0;
    let refused = 0;
    try {
      for (const command of commands)
        for (const shape of shapes)
          for (const total of ['1', '"a"', 'null']) {
            body = `{"Response":{${keys.map((k) => `"${k}":${shape}`).join(',')},"TotalCount":${total},"RequestId":"r"}}`;
            let outcome: Awaited<ReturnType<typeof engine.run>>;
            try {
              outcome = await engine.run(command, { actor: { id: 'alice' }, surface: 'cli' });
            } catch (error) {
              assert.fail(`${command} over ${shape}: ${(error as Error).stack}`);
            }
            runs++;
            if (outcome.kind === 'error') {
              refused++;
              assert.ok(!/TypeError|undefined|\[object/.test(outcome.error.message), outcome.error.message);
            }
          }
    } finally {
      await engine.close();
      await store.close();
      client.close();
    }
    assert.ok(refused > 100 && runs === commands.length * shapes.length * 3, `${refused} of ${runs}`);
  });
});
