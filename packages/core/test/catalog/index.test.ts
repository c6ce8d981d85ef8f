import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/api/errors.ts';
import {
  type Action,
  catalogOf,
  findAction,
  findStructure,
  getServiceCatalog,
  listServices,
} from '../../src/catalog/index.ts';
import { CATALOG_FILES } from '../../src/catalog/files.ts';
import { shapeOf } from '../../src/catalog/types-of.ts';

const actions = (service: string, version?: string): Action[] =>
  Object.values(getServiceCatalog(service, version).actions);
const names = (list: Action[]) => list.map((a) => a.name).sort();
const param = (action: Action, name: string) => {
  const found = action.input.find((p) => p.name === name);
  assert.ok(found, `${action.name} has no input ${name}`);
  return found;
};

describe('catalog', () => {
  it('has every service and version of the docs, the newest by default', () => {
    assert.deepEqual(listServices(), [
      { service: 'cvm', versions: ['2017-03-12'], latest: '2017-03-12' },
      { service: 'cfs', versions: ['2018-04-16', '2019-07-19'], latest: '2019-07-19' },
      { service: 'csm', versions: ['2021-09-15'], latest: '2021-09-15' },
    ]);
    assert.equal(getServiceCatalog('cfs').version, '2019-07-19');
    assert.equal(getServiceCatalog('CVM').service, 'cvm');
    assert.equal(catalogOf('cfs', '2018-04-16')?.version, '2018-04-16');
    assert.equal(catalogOf('nope'), undefined);
  });

  it('lists exactly the files of data/ (a regenerated service is not left out, a removed one not asked for)', () => {
    const data = fileURLToPath(new URL('../../src/catalog/data/', import.meta.url));
    assert.deepEqual(readdirSync(data).sort(), CATALOG_FILES.map((name) => `${name}.json`).sort());
  });

  it('reads a service version only when it is used: a CVM action reads CVM alone, a listing reads none', function () {
    this.timeout(60_000);
    // A fresh process: this one has read every catalog by now.
    const script = `
      import { findAction, listServices, loadedCatalogs } from './packages/core/src/catalog/index.ts';
      listServices();
      const before = loadedCatalogs();
      findAction('cvm', 'DescribeInstances');
      findAction('CVM', 'StopInstances');
      console.log(JSON.stringify([before, loadedCatalogs()]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), [[], ['cvm-2017-03-12']]);
  });

  it('counts the actions, structures and error codes the docs list', () => {
    const counts = listServices().flatMap(({ service, versions }) =>
      versions.map((v) => {
        const c = getServiceCatalog(service, v);
        return [
          `${service} ${v}`,
          Object.keys(c.actions).length,
          Object.keys(c.structures).length,
          c.commonErrors.length,
          c.serviceErrors?.length,
        ];
      }),
    );
    assert.deepEqual(counts, [
      ['cvm 2017-03-12', 78, 116, 26, 116],
      ['cfs 2018-04-16', 19, 18, 26, 65],
      ['cfs 2019-07-19', 28, 26, 26, 84],
      ['csm 2021-09-15', 18, 23, 26, 49],
    ]);
  });

  it('names only types it knows: primitives, lists of them, and structures of the same version', () => {
    for (const { service, versions } of listServices()) {
      for (const version of versions) {
        const catalog = getServiceCatalog(service, version);
        const params = [
          ...Object.values(catalog.actions).flatMap((a) => [...a.input, ...a.output].map((p) => [a.name, p] as const)),
          ...Object.values(catalog.structures).flatMap((s) => s.fields.map((p) => [s.name, p] as const)),
        ];
        for (const [owner, p] of params) {
          const shape = shapeOf(p.type.replace(/^Array of /, ''), catalog);
          assert.notEqual(shape.kind, 'any', `${service} ${version} ${owner}.${p.name}: ${p.type}`);
          if (p.enum && p.default !== undefined) assert.ok(p.enum.includes(p.default), `${owner}.${p.name}`);
        }
      }
    }
  });

  it('groups actions under the headings of the API overview', () => {
    const byGroup = (service: string, version?: string) => {
      const groups: Record<string, number> = {};
      for (const a of actions(service, version)) groups[a.group] = (groups[a.group] ?? 0) + 1;
      return groups;
    };
    assert.deepEqual(byGroup('cvm'), {
      专用宿主机相关接口: 3,
      其他接口: 1,
      地域相关接口: 2,
      实例启动模板相关接口: 6,
      实例相关接口: 48,
      密钥相关接口: 7,
      镜像相关接口: 11,
    });
    assert.deepEqual(byGroup('csm'), { 任务相关接口: 7, 实例相关接口: 6, 迁移源相关: 5 });
    assert.deepEqual(byGroup('cfs', '2018-04-16'), { API相关接口: 18, 其他接口: 1 });
    assert.deepEqual(byGroup('cfs', '2019-07-19'), {
      API相关接口: 3,
      其他接口: 4,
      文件系统相关接口: 10,
      服务相关接口: 3,
      权限组相关接口: 8,
    });
  });

  it('has the documented rate limits (domain.md §7)', () => {
    const at = (rate: number, list: Action[]) => names(list.filter((a) => a.rateLimit === rate));
    const cvm = actions('cvm');
    assert.deepEqual(at(40, cvm), ['DescribeInstanceTypeConfigs', 'DescribeZoneInstanceConfigInfos']);
    assert.deepEqual(at(200, cvm), ['DescribeInstancesDeniedActions']);
    assert.deepEqual(at(288, cvm), ['DescribeImportImageOs']);
    assert.deepEqual(at(20, cvm), [
      'CreateDiagnosticReports',
      'CreateLaunchTemplate',
      'DeleteDisasterRecoverGroups',
      'DeleteLaunchTemplate',
      'DeleteLaunchTemplates',
      'DescribeDiagnosticReports',
      'DescribeDisasterRecoverGroupQuota',
      'DescribeInstanceTypeDisasterGroupBlackList',
      'DescribeInstanceUsbInfo',
      'DescribeInstanceVncUrl',
      'DescribeInstances',
      'DescribeInstancesModification',
      'DescribeInstancesStatus',
      'DescribeLaunchTemplatesInfo',
      'DescribeRegions',
      'DescribeZoneHostConfigInfos',
      'DescribeZones',
      'GetRecycleInfo',
      'ImportSnapshot',
      'InquiryResourceResetInstancesType',
      'ModifyDisasterRecoverGroupAttribute',
      'ModifyInstancesDisasterRecoverGroup',
      'ModifyInstancesVpcAttribute',
      'ModifyLaunchTemplate',
      'ModifyLaunchTemplateName',
      'RemoveInstancesDisasterRecoverGroup',
      'TerminateHosts',
    ]);
    assert.equal(at(10, cvm).length, 47);
    assert.deepEqual(at(10, cvm).slice(0, 3), [
      'AssociateInstancesKeyPairs',
      'CreateDisasterRecoverGroup',
      'CreateImage',
    ]);
    assert.ok(actions('csm').every((a) => a.rateLimit === 20));
    for (const version of ['2018-04-16', '2019-07-19']) {
      const cfs = actions('cfs', version);
      assert.deepEqual(at(10, cfs), ['CreateCfsFileSystem'], version);
      assert.equal(at(20, cfs).length, cfs.length - 1, version);
    }
  });

  it('knows which actions are also authorised, not only signed (domain.md §6)', () => {
    assert.deepEqual(names(actions('cvm').filter((a) => a.auth === 'sign+auth')), [
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
    assert.deepEqual(names(actions('cfs', '2018-04-16').filter((a) => a.auth === 'sign')), [
      'QueryAvailableZoneInfo',
      'QueryCfsServiceStatus',
      'QueryMountTargetsWithRegion',
    ]);
    assert.deepEqual(names(actions('cfs', '2019-07-19').filter((a) => a.auth === 'sign')), [
      'DescribeAvailableZoneInfo',
      'DescribeCfsFileSystems',
      'DescribeCfsServiceStatus',
    ]);
  });

  it('reads StopInstances from its page in traditional characters (000:18239)', () => {
    const stop = findAction('cvm', 'StopInstances');
    assert.equal(stop.host, 'cvm.api3.finance.cloud.tencent.com');
    assert.equal(stop.group, '实例相关接口');
    assert.equal(stop.summary, '关闭实例');
    assert.equal(stop.description, '本接口 (StopInstances) 用於關閉一個或多個實例。');
    assert.equal(stop.notes?.length, 4);
    assert.match(stop.notes![0]!, /RUNNING/);
    assert.equal(stop.rateLimit, 10);
    assert.equal(stop.auth, 'sign');
    assert.deepEqual(
      stop.input.map((p) => [p.name, p.type, p.required, p.nullable, p.hidden]),
      [
        ['InstanceIds', 'Array of String', true, false, false],
        ['ForceStop', 'Bool', false, false, false],
        ['StoppedMode', 'String', false, false, false],
        ['StopType', 'String', false, false, false],
      ],
    );
    assert.equal(param(stop, 'InstanceIds').maxItems, 100);
    assert.equal(param(stop, 'ForceStop').default, 'FALSE');
    assert.deepEqual(param(stop, 'StopType').enum, ['SOFT_FIRST', 'HARD', 'SOFT']);
    assert.equal(param(stop, 'StopType').default, 'SOFT');
    // StoppedMode copies StopType's text; other pages say KEEP_CHARGING/STOP_CHARGING, so no list is taken.
    assert.equal(param(stop, 'StoppedMode').enum, undefined);
    assert.deepEqual(
      stop.output.map((p) => [p.name, p.type, p.hidden, p.description]),
      [
        ['TaskId', 'String', true, '任务ID'],
        ['FlowId', 'Int64', true, '任务流转ID'],
      ],
    );
    assert.deepEqual(
      stop.errors.map((e) => e.code),
      [
        'InvalidInstanceId.NotFound',
        'InvalidInstance.NotSupported',
        'InternalServerError',
        'InvalidParameterValue.LimitExceeded',
        'InvalidParameterValue',
        'MissingParameter',
        'InvalidInstanceId.Malformed',
      ],
    );
  });

  it('reads DescribeInstances with its Filter structure, paging limits and hidden parameters', () => {
    const describe = findAction('cvm', 'DescribeInstances');
    const filters = param(describe, 'Filters');
    assert.deepEqual([filters.type, filters.maxItems], ['Array of Filter', 10]);
    assert.match(filters.description, /instance-state/);
    const limit = param(describe, 'Limit');
    assert.deepEqual([limit.type, limit.max, limit.default], ['Int64', 100, '20']);
    assert.equal(param(describe, 'Offset').default, '0');
    assert.deepEqual(
      describe.input.filter((p) => p.hidden).map((p) => p.name),
      ['InnerVpcIds', 'InnerSubnetIds', 'IpAddresses', 'VagueIpAddress', 'VagueInstanceName'],
    );
    assert.equal(param(describe, 'VagueInstanceName').description, '内部参数，模糊实例别名。');
    // The docs type the list of instances as one Instance (000:16701); the catalog keeps what they say.
    const instanceSet = describe.output.find((p) => p.name === 'InstanceSet')!;
    assert.deepEqual([instanceSet.type, instanceSet.hidden], ['Instance', true]);
    assert.deepEqual(
      findStructure('cvm', '2017-03-12', 'Filter')!.fields.map((f) => [f.name, f.type, f.required]),
      [
        ['Name', 'String', true],
        ['Values', 'Array of String', true],
      ],
    );
    const instance = findStructure('cvm', undefined, 'Instance')!;
    assert.deepEqual(instance.fields.find((f) => f.name === 'InstanceState')!.enum, [
      'PENDING',
      'LAUNCH_FAILED',
      'RUNNING',
      'STOPPED',
      'STARTING',
      'STOPPING',
      'REBOOTING',
      'SHUTDOWN',
      'TERMINATING',
    ]);
  });

  it('keeps a structure table that a page break cut in two (DeniedActions, 000:19625)', () => {
    assert.deepEqual(
      findStructure('cvm', '2017-03-12', 'DeniedActions')!.fields.map((f) => f.name),
      ['Action', 'Code', 'Message'],
    );
    // The input table of CreateMigrationJob breaks after DataDisksInfo (000:13295).
    assert.deepEqual(
      findAction('csm', 'CreateMigrationJob')
        .input.map((p) => p.name)
        .slice(7, 10),
      ['DataDisksInfo', 'Description', 'InstanceId'],
    );
  });

  it('ends each action’s error table before the next group heading', () => {
    assert.deepEqual(findAction('csm', 'StopMigrationJob').errors.at(-1), {
      code: 'InvalidParameterValue.InvalidMigrateJobIdMalformed',
      description: '无效迁移任务 ID。指定的迁移任务 ID 格式错误。',
    });
    assert.equal(findAction('cvm', 'ModifyKeyPairAttribute').errors.at(-1)!.description, '密钥对名称重复。');
    assert.deepEqual(findAction('cvm', 'DescribeZones').errors, [], 'the docs list no action-specific codes');
  });

  it('tells the two CFS versions apart, with their different rule defaults (002:2714, 002:5882)', () => {
    const old = findAction('cfs', 'CreateCfsRule', '2018-04-16');
    const current = findAction('cfs', 'CreateCfsRule', '2019-07-19');
    assert.deepEqual([old.version, current.version], ['2018-04-16', '2019-07-19']);
    assert.deepEqual([param(old, 'RWPermission').enum, param(old, 'RWPermission').default], [['ro', 'rw'], 'rw']);
    assert.deepEqual(
      [param(current, 'RWPermission').enum, param(current, 'RWPermission').default],
      [['RO', 'RW'], 'RO'],
    );
    assert.equal(param(old, 'UserPermission').default, 'no_root_squash');
    assert.equal(param(current, 'UserPermission').default, 'root_squash');
    assert.deepEqual([param(current, 'Priority').min, param(current, 'Priority').max], [1, 100]);
    const create2018 = findAction('cfs', 'CreateCfsFileSystem', '2018-04-16');
    const create2019 = findAction('cfs', 'CreateCfsFileSystem');
    assert.deepEqual([param(create2018, 'VpcId').type, param(create2019, 'VpcId').type], ['Uint64', 'String']);
    assert.deepEqual([param(create2018, 'Zone').required, param(create2019, 'Zone').required], [false, true]);
    assert.equal(param(create2018, 'Encrypted').default, undefined, 'its description belongs to Protocol');
    assert.deepEqual(
      [
        param(findAction('cfs', 'UpdateCfsFileSystemSizeLimit', '2018-04-16'), 'FsLimit').min,
        param(findAction('cfs', 'UpdateCfsFileSystemSizeLimit'), 'FsLimit').min,
      ],
      [1, 0],
    );
    assert.equal(findAction('cfs', 'DescribeCfsFileSystems').version, '2019-07-19');
  });

  it('reads a CSM action with its page size, lengths and value lists', () => {
    const jobs = findAction('csm', 'DescribeMigrationJobs');
    assert.deepEqual([param(jobs, 'Limit').min, param(jobs, 'Limit').max], [1, 50]);
    assert.deepEqual([jobs.rateLimit, jobs.auth, jobs.group], [20, 'sign+auth', '任务相关接口']);
    const create = findAction('csm', 'CreateMigrationJob');
    assert.deepEqual([param(create, 'Name').minLength, param(create, 'Name').maxLength], [1, 128]);
    assert.deepEqual(param(create, 'RunMode').enum, ['Delayed', 'Immediate', 'Timed']);
    assert.equal(param(create, 'RunMode').default, 'Delayed');
    assert.equal(param(create, 'Mode').max, undefined, 'the docs contradict themselves on Mode');
  });

  it('has the common and service error codes of each product', () => {
    const common = getServiceCatalog('cvm').commonErrors.map((e) => e.code);
    for (const code of ['AuthFailure.SignatureFailure', 'RequestLimitExceeded', 'NoSuchVersion', 'UnknownParameter'])
      assert.ok(common.includes(code), code);
    assert.match(
      getServiceCatalog('cvm').commonErrors.find((e) => e.code === 'AuthFailure.SignatureExpire')!.description,
      /五分钟/,
    );
    assert.ok(getServiceCatalog('csm').serviceErrors!.some((e) => e.code === 'InvalidParameterValue.TooLong'));
  });

  it('refuses unknown services, versions and actions with suggestions', () => {
    const refused = (fn: () => unknown, code: string, pattern: RegExp) =>
      assert.throws(fn, (e: unknown) => e instanceof InputError && e.code === code && pattern.test(e.message));
    refused(() => getServiceCatalog('cmv'), 'InvalidAction', /unknown service "cmv"[\s\S]*did you mean cvm/);
    refused(() => getServiceCatalog('cfs', '2020-01-01'), 'NoSuchVersion', /versions: 2018-04-16, 2019-07-19/);
    refused(() => findAction('cvm', 'DescribeInstance'), 'InvalidAction', /did you mean DescribeInstances/);
    refused(() => findAction('cfs', 'QueryCfsFileSystem'), 'InvalidAction', /exists in cfs 2018-04-16/);
    assert.equal(findAction('cvm', 'describeinstances').name, 'DescribeInstances');
    assert.equal(findStructure('cvm', '2017-03-12', 'NoSuchThing'), undefined);
  });
});
