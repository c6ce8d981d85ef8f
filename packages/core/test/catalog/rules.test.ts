import assert from 'node:assert/strict';
import { catalogOf, findAction, listServices } from '../../src/catalog/index.ts';
import { hostNameProblem, RULES, valueAt } from '../../src/catalog/rules.ts';
import { validateParams } from '../../src/catalog/validate.ts';

const problems = (service: string, action: string, params: Record<string, unknown>, version?: string) =>
  validateParams(findAction(service, action, version), params).map((p) => `${p.code}@${p.param}`);
const RUN = { Placement: { Zone: 'ap-guangzhou-1' }, ImageId: 'img-gvbnzy6f' };

describe('catalog/rules', () => {
  it('each rule names real actions and parameters, and a code the action or its service documents', () => {
    for (const rule of RULES) {
      const versions = rule.versions ?? listServices().find((s) => s.service === rule.service)!.versions;
      for (const version of versions) {
        const catalog = catalogOf(rule.service, version)!;
        for (const name of rule.actions) {
          const action = catalog.actions[name];
          assert.ok(action, `${rule.source}: ${rule.service} ${version} has ${name}`);
          const head = rule.param.split('.')[0]!;
          assert.ok(
            action.input.some((p) => p.name === head),
            `${rule.source}: ${name} takes ${head}`,
          );
          const codes = [...action.errors, ...(catalog.serviceErrors ?? []), ...catalog.commonErrors].map(
            (e) => e.code,
          );
          assert.ok(codes.includes(rule.code), `${rule.source}: ${rule.code} is documented for ${name} (${version})`);
        }
      }
      assert.match(rule.source, /^00[02]:\d+$/);
    }
  });

  it('the client refuses before sending, with the documented code', () => {
    assert.deepEqual(
      problems('cvm', 'RunInstances', {
        ...RUN,
        LoginSettings: { Password: 'Tce0ps-login', KeyIds: ['skey-11112222'] },
      }),
      ['InvalidParameterCombination@LoginSettings'],
    );
    assert.deepEqual(problems('cvm', 'RunInstances', { ...RUN, InstanceChargeType: 'SPOTPAID' }), [
      'InvalidParameterValue@InstanceChargeType',
    ]);
    assert.deepEqual(
      problems('cvm', 'CreateImage', { InstanceId: 'ins-abcd1234', ImageName: 'x', SnapshotIds: ['snap-1'] }),
      ['InvalidParameterCombination@SnapshotIds'],
    );
    assert.deepEqual(problems('cvm', 'DescribeInstances', { Filters: [{ Name: 'image-id', Values: ['img-1'] }] }), [
      'InvalidFilter@Filters',
    ]);
    assert.deepEqual(
      problems('cfs', 'CreateCfsFileSystem', {
        Zone: 'ap-guangzhou-1',
        NetInterface: 'BASIC',
        PGroupId: 'pgroup-abcdefg',
      }),
      ['MissingParameter@FsName'],
    );
  });

  it('keeps what the docs allow', () => {
    assert.deepEqual(
      problems('cvm', 'RunInstances', { ...RUN, LoginSettings: { Password: 'Tce0ps-login' }, HostName: 'web-01.prod' }),
      [],
    );
    assert.deepEqual(
      problems('cvm', 'RunInstances', { ...RUN, InternetAccessible: { InternetMaxBandwidthOut: 5 } }),
      [],
    );
    assert.deepEqual(problems('cvm', 'DescribeInstances', { Filters: [{ Name: 'tag:env', Values: ['prod'] }] }), []);
    assert.deepEqual(
      problems('cvm', 'ResetInstancesPassword', { InstanceIds: ['ins-abcd1234'], Password: 'abcdefgh12' }),
      [],
    );
  });

  it('never repeats a password in a message', () => {
    for (const [action, params] of [
      ['RunInstances', { ...RUN, LoginSettings: { Password: 'short-Pw1' } }],
      ['ResetInstancesPassword', { InstanceIds: ['ins-abcd1234'], Password: '/Secret-Pw-12' }],
      ['ResetInstancesPassword', { InstanceIds: ['ins-abcd1234'], Password: 'Secret-Pw-1234567' }],
    ] as const) {
      const found = validateParams(findAction('cvm', action), params);
      assert.equal(found.length, 1, action);
      const password = (valueAt(params, 'LoginSettings.Password') ?? valueAt(params, 'Password')) as string;
      assert.ok(!found[0]!.message.includes(password), found[0]!.message);
    }
  });

  it('reads well-typed requests only: a type problem is reported alone', () => {
    assert.deepEqual(problems('cvm', 'RunInstances', { ...RUN, HostName: 7, InstanceChargeType: 'SPOTPAID' }), [
      'InvalidParameter@HostName',
    ]);
  });

  it('HostName as RunInstances has it (000:18150)', () => {
    for (const bad of ['-abc', 'abc.', 'ab..cd', 'a-.b', '12345', '1.2.3', 'x', 'under_score', 'h'.repeat(32)])
      assert.ok(hostNameProblem(bad), bad);
    for (const good of ['ab', 'web-01', 'web.prod.internal', 'a1', 'h'.repeat(31)])
      assert.equal(hostNameProblem(good), undefined, good);
  });
});
