import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { coerceFlags } from '../../src/catalog/coerce.ts';
import { checkId } from '../../src/catalog/ids.ts';
import { findAction, getServiceCatalog } from '../../src/catalog/index.ts';
import { assertValid, validateParams } from '../../src/catalog/validate.ts';

const cvm = getServiceCatalog('cvm');
const codes = (action: string, params: Record<string, unknown>) =>
  validateParams(findAction('cvm', action), params, { catalog: cvm }).map((p) => `${p.code}@${p.param}`);

describe('catalog/validate', () => {
  it('accepts a request that matches the docs', () => {
    assert.deepEqual(
      codes('DescribeInstances', { Limit: 10, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] }),
      [],
    );
    assert.deepEqual(codes('StopInstances', { InstanceIds: ['ins-abcd1234'], StopType: 'SOFT', ForceStop: false }), []);
  });

  it('names each problem with the code TCE would answer', () => {
    assert.deepEqual(codes('StopInstances', {}), ['MissingParameter@InstanceIds']);
    assert.deepEqual(codes('StopInstances', { InstanceIds: ['ins-1122'] }), [
      'InvalidInstanceId.Malformed@InstanceIds.0',
    ]);
    assert.deepEqual(codes('DescribeInstances', { Limit: '10' }), ['InvalidParameter@Limit']);
    assert.deepEqual(codes('DescribeInstances', { Limit: 101 }), ['InvalidParameterValue@Limit']);
    assert.deepEqual(codes('DescribeInstances', { Filters: [{ Name: 'zone', Values: 'x' }] }), [
      'InvalidParameter@Filters.0.Values',
    ]);
    assert.deepEqual(codes('DescribeInstances', { Filters: [{ Name: 'zone', Vals: ['x'] }] }), [
      'UnknownParameter@Filters.0.Vals',
    ]);
    assert.deepEqual(codes('StopInstances', { InstanceIds: ['ins-abcd1234'], Force: true }), [
      'UnknownParameter@Force',
    ]);
    const many = Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, '0')}`);
    assert.deepEqual(codes('StopInstances', { InstanceIds: many }), [
      'InvalidParameterValue.LimitExceeded@InstanceIds',
    ]);
    assert.deepEqual(codes('StopInstances', { InstanceIds: ['ins-abcd1234'], ForceStop: 'TRUE' }), [
      'InvalidParameter@ForceStop',
    ]);
  });

  it('suggests the parameter meant, and throws one error listing all problems', () => {
    assert.throws(
      () => assertValid(findAction('cvm', 'StopInstances'), { InstanceId: ['ins-abcd1234'] }, { catalog: cvm }),
      (e: unknown) =>
        e instanceof InputError &&
        e.code === 'UnknownParameter' &&
        /did you mean InstanceIds/.test(e.message) &&
        /InstanceIds is required/.test(e.message),
    );
  });

  it('accepts integers beyond 2^53 as bigint', () => {
    assert.deepEqual(codes('DescribeInstances', { Offset: 2n ** 60n }), []);
  });
});

describe('catalog/coerce', () => {
  const coerce = (action: string, flags: Record<string, string | string[]>, service = 'cvm') =>
    coerceFlags(findAction(service, action), flags, getServiceCatalog(service));

  it('converts flags to the documented types and builds nested parameters', () => {
    assert.deepEqual(
      coerce('DescribeInstances', {
        Limit: '10',
        'Filters.0.Name': 'zone',
        'Filters.0.Values.0': 'ap-guangzhou-3',
        'Filters.0.Values.1': 'ap-guangzhou-4',
      }),
      {
        Limit: 10,
        Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3', 'ap-guangzhou-4'] }],
      },
    );
    assert.deepEqual(coerce('StopInstances', { InstanceIds: ['ins-abcd1234', 'ins-efgh5678'], ForceStop: 'TRUE' }), {
      InstanceIds: ['ins-abcd1234', 'ins-efgh5678'],
      ForceStop: true,
    });
    assert.deepEqual(coerce('RunInstances', { 'Placement.Zone': 'ap-guangzhou-3', InstanceCount: '2' }), {
      Placement: { Zone: 'ap-guangzhou-3' },
      InstanceCount: 2,
    });
    assert.deepEqual(coerce('DescribeInstances', { Filters: '[{"Name":"zone","Values":["z"]}]' }), {
      Filters: [{ Name: 'zone', Values: ['z'] }],
    });
    assert.deepEqual(coerce('DescribeInstances', { Offset: '18446744073709551615' }), {
      Offset: 18446744073709551615n,
    });
  });

  it('accepts 1-based positions as the docs sometimes use, but no gaps', () => {
    assert.deepEqual(coerce('DescribeInstances', { 'Filters.1.Name': 'zone', 'Filters.1.Values.1': 'z' }), {
      Filters: [{ Name: 'zone', Values: ['z'] }],
    });
    assert.throws(
      () => coerce('DescribeInstances', { 'Filters.0.Name': 'a', 'Filters.2.Name': 'b' }),
      /\.1 is missing/,
    );
  });

  it('refuses what cannot be converted, naming the flag and the type', () => {
    assert.throws(
      () => coerce('DescribeInstances', { Limit: 'ten' }),
      (e: unknown) => e instanceof InputError && /--Limit: "ten" is not a whole number/.test(e.message),
    );
    assert.throws(() => coerce('StopInstances', { ForceStop: 'maybe' }), /not true or false/);
    assert.throws(() => coerce('DescribeInstances', { Limit: ['1', '2'] }), /takes one value/);
    assert.throws(() => coerce('DescribeInstances', { 'Filters.0.Nmae': 'x' }), /Filter has no field Nmae/);
    assert.throws(() => coerce('DescribeInstances', { Filters: '[oops' }), /not valid JSON/);
  });
});

describe('catalog/ids', () => {
  it('follows the documented shapes', () => {
    assert.ok(checkId('instance', 'ins-09dx96dg'));
    assert.ok(!checkId('instance', 'ins-1122'));
    assert.ok(!checkId('instance', 'INS-09DX96DG'));
    assert.ok(checkId('filesystem', 'cfs-abcdef1'));
    assert.ok(checkId('pgroup', 'pgroup-doxpcqh'));
    assert.ok(!checkId('image', 'img-'));
  });
});
