import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { findAction, getServiceCatalog, listServices } from '../../src/catalog/index.ts';

const actions = (service: string, version?: string) => Object.values(getServiceCatalog(service, version).actions);

describe('catalog', () => {
  it('has every service and version of the docs, newest by default', () => {
    assert.deepEqual(listServices(), [
      { service: 'cvm', versions: ['2017-03-12'], latest: '2017-03-12' },
      { service: 'cfs', versions: ['2018-04-16', '2019-07-19'], latest: '2019-07-19' },
      { service: 'csm', versions: ['2021-09-15'], latest: '2021-09-15' },
    ]);
    assert.equal(getServiceCatalog('cfs').version, '2019-07-19');
  });

  it('counts the actions the docs list (domain.md: 78 CVM, 18 CSM; 19 and 28 CFS)', () => {
    assert.equal(actions('cvm').length, 78);
    assert.equal(actions('csm').length, 18);
    assert.equal(actions('cfs', '2018-04-16').length, 19);
    assert.equal(actions('cfs', '2019-07-19').length, 28);
  });

  it('has the documented rate limits', () => {
    const byRate = (service: string, version?: string) => {
      const counts: Record<number, number> = {};
      for (const a of actions(service, version)) counts[a.rateLimit] = (counts[a.rateLimit] ?? 0) + 1;
      return counts;
    };
    assert.deepEqual(byRate('cvm'), { 10: 47, 20: 27, 40: 2, 200: 1, 288: 1 });
    assert.deepEqual(byRate('csm'), { 20: 18 });
    assert.equal(findAction('cfs', 'CreateCfsFileSystem', '2018-04-16').rateLimit, 10);
    assert.equal(findAction('cfs', 'CreateCfsFileSystem').rateLimit, 10);
    assert.equal(findAction('cvm', 'DescribeInstancesDeniedActions').rateLimit, 200);
    assert.equal(findAction('cvm', 'DescribeImportImageOs').rateLimit, 288);
  });

  it('knows which actions are also authorised, not only signed', () => {
    const authorised = actions('cvm')
      .filter((a) => a.auth === 'sign+auth')
      .map((a) => a.name)
      .sort();
    assert.deepEqual(authorised, [
      'CreateDiagnosticReports',
      'CreateLaunchTemplate',
      'DeleteDisasterRecoverGroups',
      'DescribeDiagnosticReports',
      'DescribeImageQuota',
      'DescribeImportImageOs',
      'DescribeInstanceUsbInfo',
      'InquiryResourceResetInstancesType',
      'ModifyInstancesProject',
      'ModifyInstancesVpcAttribute',
      'SwitchParameterRunInstances',
      'TerminateHosts',
    ]);
    assert.ok(actions('csm').every((a) => a.auth === 'sign+auth'));
    assert.deepEqual(
      actions('cfs', '2019-07-19')
        .filter((a) => a.auth === 'sign')
        .map((a) => a.name)
        .sort(),
      ['DescribeAvailableZoneInfo', 'DescribeCfsFileSystems', 'DescribeCfsServiceStatus'],
    );
  });

  it('reads StopInstances from its page in traditional characters', () => {
    const stop = findAction('cvm', 'StopInstances');
    assert.equal(stop.host, 'cvm.api3.finance.cloud.tencent.com');
    assert.equal(stop.auth, 'sign');
    assert.equal(stop.group, '实例相关接口');
    const ids = stop.input.find((p) => p.name === 'InstanceIds')!;
    assert.deepEqual([ids.type, ids.required, ids.maxItems], ['Array of String', true, 100]);
    assert.equal(stop.input.find((p) => p.name === 'StopType')!.default, 'SOFT');
    assert.ok(stop.output.find((p) => p.name === 'TaskId')!.hidden);
    assert.ok(stop.errors.some((e) => e.code === 'InvalidInstanceId.Malformed'));
  });

  it('reads DescribeInstances with its Filter structure and paging limits', () => {
    const describe = findAction('cvm', 'DescribeInstances');
    const filters = describe.input.find((p) => p.name === 'Filters')!;
    assert.deepEqual([filters.type, filters.maxItems], ['Array of Filter', 10]);
    assert.equal(describe.input.find((p) => p.name === 'Limit')!.max, 100);
    assert.deepEqual(
      getServiceCatalog('cvm').structures.Filter!.fields.map((f) => `${f.name}:${f.type}`),
      ['Name:String', 'Values:Array of String'],
    );
  });

  it('keeps a table that a page break cut in two (DeniedActions)', () => {
    assert.deepEqual(
      getServiceCatalog('cvm').structures.DeniedActions!.fields.map((f) => f.name),
      ['Action', 'Code', 'Message'],
    );
  });

  it('tells the two CFS versions apart, with their different rule defaults', () => {
    const old = findAction('cfs', 'CreateCfsRule', '2018-04-16');
    const current = findAction('cfs', 'CreateCfsRule', '2019-07-19');
    assert.match(old.input.find((p) => p.name === 'RWPermission')!.description, /rw/);
    assert.match(current.input.find((p) => p.name === 'RWPermission')!.description, /RO/);
    assert.equal(current.input.find((p) => p.name === 'Priority')!.max, 100);
    assert.equal(findAction('cfs', 'DescribeCfsFileSystems').version, '2019-07-19');
    assert.throws(() => findAction('cfs', 'DescribeCfsFileSystems', '2018-04-16'), /no action/);
  });

  it('reads a CSM action and its [1, 50] page size', () => {
    const jobs = findAction('csm', 'DescribeMigrationJobs');
    const limit = jobs.input.find((p) => p.name === 'Limit')!;
    assert.deepEqual([limit.min, limit.max], [1, 50]);
    assert.equal(jobs.rateLimit, 20);
  });

  it('has the common error codes', () => {
    const codes = getServiceCatalog('cvm').commonErrors.map((e) => e.code);
    for (const code of [
      'AuthFailure.SignatureFailure',
      'AuthFailure.SignatureExpire',
      'RequestLimitExceeded',
      'MissingParameter',
      'UnknownParameter',
    ]) {
      assert.ok(codes.includes(code), code);
    }
  });

  it('refuses unknown services, versions and actions with suggestions', () => {
    assert.throws(
      () => getServiceCatalog('cmv'),
      (e: unknown) => e instanceof InputError && /did you mean cvm/.test(e.message),
    );
    assert.throws(() => getServiceCatalog('cfs', '2020-01-01'), /versions: 2018-04-16, 2019-07-19/);
    assert.throws(() => findAction('cvm', 'DescribeInstance'), /did you mean DescribeInstances/);
    assert.equal(findAction('cvm', 'describeinstances').name, 'DescribeInstances');
  });
});
