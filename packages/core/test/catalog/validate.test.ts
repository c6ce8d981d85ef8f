import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { type Action, findAction, getServiceCatalog } from '../../src/catalog/index.ts';
import { assertValid, validateParams } from '../../src/catalog/validate.ts';

/** "code@param" for each problem, in order. */
const problems = (service: string, action: string, params: Record<string, unknown>, version?: string) =>
  validateParams(findAction(service, action, version), params).map((p) => `${p.code}@${p.param}`);
const cvm = (action: string, params: Record<string, unknown>) => problems('cvm', action, params);
const id = (n: number) => `ins-${String(n).padStart(8, '0')}`;

describe('catalog/validate', () => {
  it('accepts requests that match the docs, nested structures included', () => {
    assert.deepEqual(
      cvm('DescribeInstances', { Limit: 10, Offset: 0, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] }),
      [],
    );
    assert.deepEqual(cvm('StopInstances', { InstanceIds: ['ins-abcd1234'], StopType: 'SOFT', ForceStop: false }), []);
    assert.deepEqual(
      cvm('RunInstances', {
        Placement: { Zone: 'ap-guangzhou-3', ProjectId: 0 },
        ImageId: 'img-gvbnzy6f',
        InstanceCount: 2,
        LoginSettings: { KeyIds: ['skey-11112222'] },
        DataDisks: [{ DiskSize: 50, DiskType: 'CLOUD_SSD' }],
      }),
      [],
    );
    assert.deepEqual(cvm('DescribeInstances', { Limit: null }), [], 'null is the same as leaving it out');
    assert.deepEqual(
      cvm('DescribeInstances', { VagueInstanceName: 'web' }),
      [],
      'hidden parameters are still accepted',
    );
  });

  it('MissingParameter: a required parameter, or a required field of a structure, is absent', () => {
    assert.deepEqual(cvm('StopInstances', {}), ['MissingParameter@InstanceIds']);
    assert.deepEqual(cvm('DescribeInstances', { Filters: [{ Name: 'zone' }] }), ['MissingParameter@Filters.0.Values']);
    assert.deepEqual(cvm('RunInstances', { Placement: { ProjectId: 1 }, ImageId: 'img-gvbnzy6f' }), [
      'MissingParameter@Placement.Zone',
    ]);
  });

  it('UnknownParameter: not in the docs, with the closest name suggested', () => {
    const [problem] = validateParams(findAction('cvm', 'StopInstances'), { InstanceIds: [id(1)], InstanceId: id(2) });
    assert.deepEqual(problem, {
      code: 'UnknownParameter',
      param: 'InstanceId',
      message: 'InstanceId is not a parameter of StopInstances; did you mean InstanceIds?',
    });
    assert.deepEqual(cvm('DescribeInstances', { Filters: [{ Name: 'zone', Values: ['z'], Vals: ['x'] }] }), [
      'UnknownParameter@Filters.0.Vals',
    ]);
  });

  it('InvalidParameter: the wrong type, numeric strings included (coercion is a separate step)', () => {
    assert.deepEqual(cvm('DescribeInstances', { Limit: '10' }), ['InvalidParameter@Limit']);
    assert.deepEqual(cvm('DescribeInstances', { Limit: 1.5 }), ['InvalidParameter@Limit']);
    assert.deepEqual(cvm('StopInstances', { InstanceIds: id(1) }), ['InvalidParameter@InstanceIds']);
    assert.deepEqual(cvm('StopInstances', { InstanceIds: [id(1)], ForceStop: 'TRUE' }), ['InvalidParameter@ForceStop']);
    assert.deepEqual(cvm('DescribeInstances', { Filters: [{ Name: 'zone', Values: 'x' }] }), [
      'InvalidParameter@Filters.0.Values',
    ]);
    assert.deepEqual(cvm('DescribeInstances', { Filters: [{ Name: 7, Values: ['x'] }] }), [
      'InvalidParameter@Filters.0.Name',
    ]);
    assert.deepEqual(cvm('RunInstances', { Placement: 'ap-guangzhou-3', ImageId: 'img-gvbnzy6f' }), [
      'InvalidParameter@Placement',
    ]);
    const [wrong] = validateParams(findAction('cvm', 'DescribeInstances'), { Limit: '10' });
    assert.equal(wrong!.message, 'Limit must be a whole number (Int64), not the string "10"');
  });

  it('accepts integers beyond 2^53 as bigint, and refuses negative unsigned ones', () => {
    assert.deepEqual(cvm('DescribeInstances', { Offset: 2n ** 60n }), []);
    assert.deepEqual(cvm('DescribeImages', { Offset: -1 }), ['InvalidParameterValue@Offset']);
  });

  it('InvalidParameterValue.LimitExceeded: more items than a request takes', () => {
    const ids = Array.from({ length: 101 }, (_, i) => id(i));
    assert.deepEqual(cvm('StopInstances', { InstanceIds: ids }), ['InvalidParameterValue.LimitExceeded@InstanceIds']);
    assert.deepEqual(cvm('StopInstances', { InstanceIds: ids.slice(0, 100) }), []);
    assert.deepEqual(cvm('ResetInstancesType', { InstanceIds: [id(1), id(2)], InstanceType: 'S1.SMALL1' }), [
      'InvalidParameterValue.LimitExceeded@InstanceIds',
    ]);
    const filters = Array.from({ length: 11 }, () => ({ Name: 'zone', Values: ['z'] }));
    assert.match(
      validateParams(findAction('cvm', 'DescribeInstances'), { Filters: filters })[0]!.message,
      /at most 10/,
    );
  });

  it('InvalidParameterValue: out of range, not in the documented list, too long or too short', () => {
    assert.deepEqual(cvm('DescribeInstances', { Limit: 101 }), ['InvalidParameterValue@Limit']);
    assert.deepEqual(problems('csm', 'DescribeMigrationJobs', { Limit: 0 }), ['InvalidParameterValue@Limit']);
    assert.deepEqual(cvm('RunInstances', { Placement: { Zone: 'z' }, ImageId: 'img-gvbnzy6f', InstanceCount: 101 }), [
      'InvalidParameterValue.Range@InstanceCount',
    ]);
    assert.deepEqual(cvm('StopInstances', { InstanceIds: [id(1)], StopType: 'soft' }), [
      'InvalidParameterValue@StopType',
    ]);
    assert.match(
      validateParams(findAction('cvm', 'StopInstances'), { InstanceIds: [id(1)], StopType: 'soft' })[0]!.message,
      /must be one of SOFT_FIRST, HARD, SOFT, not "soft"; did you mean SOFT\?/,
    );
    assert.deepEqual(
      problems('cfs', 'CreateCfsRule', {
        PGroupId: 'pgroup-abcdefg',
        AuthClientIp: '*',
        Priority: 1,
        RWPermission: 'rw',
      }),
      ['InvalidParameterValue.InvalidRwPermission@RWPermission'],
      '2019-07-19 wants RO/RW, and documents its own code for it (002:5913)',
    );
    assert.deepEqual(
      problems(
        'cfs',
        'CreateCfsRule',
        { PGroupId: 'pgroup-abcdefg', AuthClientIp: '*', Priority: 1, RWPermission: 'rw' },
        '2018-04-16',
      ),
      [],
      '2018-04-16 wants ro/rw',
    );
    assert.deepEqual(cvm('ModifyInstancesAttribute', { InstanceIds: [id(1)], InstanceName: 'x'.repeat(61) }), [
      'InvalidInstanceName.TooLong@InstanceName',
    ]);
    assert.deepEqual(cvm('CreateKeyPair', { KeyName: 'k'.repeat(26), ProjectId: 0 }), [
      'InvalidKeyPairNameTooLong@KeyName', // its own code (000:18586)
    ]);
    assert.deepEqual(problems('csm', 'ModifySourceServer', { SourceServerId: 'ss-1', Name: '' }), [
      'InvalidParameterValue.TooShort@Name',
    ]);
    assert.deepEqual(
      cvm('RunInstances', { Placement: { Zone: 'z' }, ImageId: 'img-gvbnzy6f', InstanceChargePrepaid: { Period: 13 } }),
      ['InvalidPeriod@InstanceChargePrepaid.Period'], // RunInstances' own code (000:18173)
    );
  });

  it('reports malformed IDs with the code the action documents', () => {
    assert.deepEqual(cvm('StopInstances', { InstanceIds: ['ins-1122', id(1)] }), [
      'InvalidInstanceId.Malformed@InstanceIds.0',
    ]);
    assert.deepEqual(cvm('DeleteKeyPairs', { KeyIds: ['skey-1122'] }), ['InvalidKeyPairId.Malformed@KeyIds.0']);
    assert.deepEqual(cvm('DeleteImages', { ImageIds: ['img-BAD'] }), ['InvalidImageId.Malformed@ImageIds.0']);
    assert.deepEqual(cvm('TerminateHosts', { HostIds: ['host-1122'] }), ['InvalidHostId.Malformed@HostIds.0']);
    assert.deepEqual(problems('cfs', 'DeleteCfsFileSystem', { FileSystemId: 'fs-1' }), [
      'InvalidParameterValue.InvalidFileSystemId@FileSystemId',
    ]);
    assert.deepEqual(problems('csm', 'StartMigrationJob', { JobId: 'bad id' }), [
      'InvalidParameterValue.InvalidMigrateJobIdMalformed@JobId',
    ]);
    // Where the action documents no such code, the server decides: CreateImage lists only InvalidInstanceId.NotFound.
    assert.deepEqual(cvm('CreateImage', { InstanceId: 'ins-1122', ImageName: 'x' }), []);
    // CSM's Lighthouse actions take lhins- IDs, even though their error table copies CVM's example.
    assert.deepEqual(
      problems('csm', 'LiveMigrateLhInstance', { InstanceId: 'lhins-abcdefgh' }).filter((p) =>
        p.includes('InstanceId'),
      ),
      [],
    );
  });

  it('finds structures in the action’s own catalog unless told otherwise', () => {
    const action = findAction('cvm', 'DescribeInstances');
    const empty = { ...getServiceCatalog('cvm'), structures: {} };
    assert.deepEqual(
      validateParams(action, { Filters: [{ Nmae: 'zone' }] }, { catalog: empty }),
      [],
      'without the structure the fields are not checked',
    );
    assert.deepEqual(
      validateParams(action, { Filters: [{ Nmae: 'zone' }] }).map((p) => `${p.code}@${p.param}`),
      ['UnknownParameter@Filters.0.Nmae', 'MissingParameter@Filters.0.Name', 'MissingParameter@Filters.0.Values'],
    );
  });

  it('refuses parameters that are not an object', () => {
    const action = findAction('cvm', 'DescribeInstances');
    assert.deepEqual(
      validateParams(action, [] as unknown as Record<string, unknown>).map((p) => p.code),
      ['InvalidParameter'],
    );
  });

  it('assertValid throws one InputError listing every problem, coded as the first, with a hint', () => {
    const stop: Action = findAction('cvm', 'StopInstances');
    assert.doesNotThrow(() => assertValid(stop, { InstanceIds: [id(1)] }));
    assert.throws(
      () => assertValid(stop, { InstanceId: [id(1)], StopType: 'NOW' }),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.code, 'UnknownParameter');
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /cvm StopInstances was not sent \(3 problems\)/);
        assert.match(e.message, /did you mean InstanceIds\?/);
        assert.match(e.message, /StopInstances needs InstanceIds \(Array of String\) \[MissingParameter\]/);
        assert.match(e.message, /StopType must be one of/);
        assert.match(e.message, /run "tceops catalog show cvm StopInstances" to see its parameters/);
        return true;
      },
    );
  });
});
