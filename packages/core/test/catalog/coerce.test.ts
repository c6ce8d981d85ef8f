import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { coerceFlags } from '../../src/catalog/coerce.ts';
import { findAction, getServiceCatalog } from '../../src/catalog/index.ts';
import { validateParams } from '../../src/catalog/validate.ts';

const coerce = (action: string, flags: Record<string, string | string[]>, service = 'cvm') =>
  coerceFlags(findAction(service, action), flags, getServiceCatalog(service));

/** The flag named in the error, its code and message. */
const refused = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(
    fn,
    (e: unknown) => e instanceof InputError && e.code === 'InvalidParameter' && pattern.test(e.message),
  );

describe('catalog/coerce', () => {
  it('converts flags to the documented types and builds nested parameters', () => {
    assert.deepEqual(
      coerce('DescribeInstances', {
        Limit: '10',
        'Filters.0.Name': 'zone',
        'Filters.0.Values.0': 'ap-guangzhou-3',
        'Filters.0.Values.1': 'ap-guangzhou-4',
        'Filters.1.Name': 'instance-state',
        'Filters.1.Values': ['RUNNING', 'STOPPED'],
      }),
      {
        Limit: 10,
        Filters: [
          { Name: 'zone', Values: ['ap-guangzhou-3', 'ap-guangzhou-4'] },
          { Name: 'instance-state', Values: ['RUNNING', 'STOPPED'] },
        ],
      },
    );
    assert.deepEqual(coerce('StopInstances', { InstanceIds: ['ins-abcd1234', 'ins-efgh5678'], ForceStop: 'TRUE' }), {
      InstanceIds: ['ins-abcd1234', 'ins-efgh5678'],
      ForceStop: true,
    });
    assert.deepEqual(coerce('StopInstances', { InstanceIds: 'ins-abcd1234', ForceStop: 'false' }), {
      InstanceIds: ['ins-abcd1234'],
      ForceStop: false,
    });
    assert.deepEqual(
      coerce('RunInstances', { 'Placement.Zone': 'ap-guangzhou-3', 'Placement.ProjectId': '0', InstanceCount: '2' }),
      {
        Placement: { Zone: 'ap-guangzhou-3', ProjectId: 0 },
        InstanceCount: 2,
      },
    );
    assert.deepEqual(coerce('DescribeImages', { Offset: '18446744073709551615' }), { Offset: 18446744073709551615n });
    assert.deepEqual(
      coerce('StopInstances', { InstanceIds: 'ins-a,ins-b' }),
      { InstanceIds: ['ins-a,ins-b'] },
      'no comma splitting',
    );
  });

  it('takes JSON for lists and structures, keeping big integers exact', () => {
    assert.deepEqual(coerce('DescribeInstances', { Filters: '[{"Name":"zone","Values":["z"]}]' }), {
      Filters: [{ Name: 'zone', Values: ['z'] }],
    });
    assert.deepEqual(
      coerce('DescribeInstances', { Filters: ['{"Name":"zone","Values":["a"]}', '{"Name":"vpc-id","Values":["b"]}'] }),
      {
        Filters: [
          { Name: 'zone', Values: ['a'] },
          { Name: 'vpc-id', Values: ['b'] },
        ],
      },
    );
    assert.deepEqual(coerce('RunInstances', { Placement: '{"Zone":"z","ProjectId":12345678901234567890}' }), {
      Placement: { Zone: 'z', ProjectId: 12345678901234567890n },
    });
  });

  it('accepts positions from 0 or from 1, without gaps', () => {
    assert.deepEqual(coerce('DescribeInstances', { 'Filters.1.Name': 'zone', 'Filters.1.Values.1': 'z' }), {
      Filters: [{ Name: 'zone', Values: ['z'] }],
    });
    assert.deepEqual(coerce('StopInstances', { 'InstanceIds.1': 'ins-b', 'InstanceIds.0': 'ins-a' }), {
      InstanceIds: ['ins-a', 'ins-b'],
    });
    refused(
      () => coerce('DescribeInstances', { 'Filters.0.Name': 'a', 'Filters.2.Name': 'b' }),
      /--Filters\.1 is missing/,
    );
    refused(() => coerce('StopInstances', { 'InstanceIds.2': 'ins-a' }), /start at 0 \(or 1\)/);
    refused(() => coerce('StopInstances', { 'InstanceIds.first': 'ins-a' }), /InstanceIds is a list/);
  });

  it('refuses what cannot be converted, naming the flag and the type expected', () => {
    refused(() => coerce('DescribeInstances', { Limit: 'ten' }), /^--Limit: "ten" is not a whole number \(Int64\)/);
    refused(() => coerce('DescribeInstances', { Limit: '1e3' }), /not a whole number/);
    refused(() => coerce('StopInstances', { ForceStop: 'yes' }), /--ForceStop: "yes" is not true or false \(Bool\)/);
    refused(() => coerce('StopInstances', { ForceStop: '1' }), /not true or false/);
    refused(() => coerce('DescribeInstances', { Limit: ['1', '2'] }), /--Limit: was given 2 times/);
    refused(
      () => coerce('DescribeInstances', { 'Filters.0.Nmae': 'x' }),
      /Filter has no field Nmae; did you mean --Filters\.0\.Name\?/,
    );
    refused(() => coerce('DescribeInstances', { Filters: '[oops' }), /--Filters: "\[oops" is not valid JSON/);
    refused(() => coerce('RunInstances', { Placement: '["z"]' }), /expected a JSON object/);
    refused(() => coerce('RunInstances', { Placement: 'ap-guangzhou-3' }), /Placement is a structure/);
    refused(() => coerce('DescribeInstances', { 'Limit.0': '1' }), /Int64, which has no parts/);
    refused(() => coerce('StopInstances', { InstanceIds: 'ins-a', 'InstanceIds.0': 'ins-b' }), /not both/);
    refused(() => coerce('StopInstances', { 'InstanceIds..0': 'ins-a' }), /empty part/);
  });

  it('lets undocumented flags through as text, for validation to name them', () => {
    const params = coerce('StopInstances', { InstanceIds: 'ins-abcd1234', Force: 'true', 'Extra.0.A': 'x' });
    assert.deepEqual(params, { InstanceIds: ['ins-abcd1234'], Force: 'true', Extra: { '0': { A: 'x' } } });
    assert.deepEqual(
      validateParams(findAction('cvm', 'StopInstances'), params).map((p) => p.code),
      ['UnknownParameter', 'UnknownParameter'],
    );
  });

  it('finds the structures of the action’s own version when no catalog is given', () => {
    const rule = findAction('cfs', 'DescribeCfsFileSystems');
    assert.deepEqual(coerceFlags(rule, { Limit: '5', FileSystemId: 'cfs-abcdef1' }), {
      Limit: 5,
      FileSystemId: 'cfs-abcdef1',
    });
  });
});
