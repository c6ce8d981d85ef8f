/**
 * Fidelity: the emulator refuses what the TCE docs say TCE refuses, with the documented code, driven through the
 * official Node SDK. One case per documented rule, named "<seed>:<line> <Action>: <what the docs say>"; the last
 * case checks that every refusal the emulator declares (catalog rules and its own, as /_tce/coverage counts them)
 * has its case here. Each refusal sits next to the request the docs allow, so a rule that refuses everything fails.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { RULES } from '@tceops/core';
import { createCustomImage } from '../src/services/cvm/images.ts';
import { buildInstance } from '../src/services/cvm/instances.ts';
import { emulatorRefusals } from '../src/services/refusals.ts';
import { DEMO_CREDENTIALS } from '../src/index.ts';
import { type Harness, startHarness } from './helpers.ts';

const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common') as {
  CommonClient: new (
    endpoint: string,
    version: string,
    options: { credential: object; region?: string; profile?: object },
  ) => { request(action: string, params: object): Promise<Record<string, unknown>> };
};

const VERSION: Record<string, string> = { cvm: '2017-03-12', cfs: '2019-07-19', csm: '2021-09-15' };
const V2018 = '2018-04-16';
const GZ = { vpc: 'vpc-gz7k2m1q', subnet: 'subnet-gz4d8e2a' };
const CENTOS = 'img-9qabwvbn';
const WINDOWS = 'img-9id7emv7';
const RUN = { Placement: { Zone: 'ap-guangzhou-1' }, ImageId: CENTOS };

/** What the SDK answered: the code of a refusal, or the response. */
interface Outcome {
  code?: string;
  message?: string;
  response?: Record<string, unknown>;
}

let h: Harness;
let agent: http.Agent;

async function sdk(
  service: string,
  action: string,
  params: object,
  options: { version?: string; region?: string } = {},
): Promise<Outcome> {
  const client = new CommonClient(`${service}.tce.internal:${h.emulator.port}`, options.version ?? VERSION[service]!, {
    credential: { ...DEMO_CREDENTIALS },
    region: options.region ?? 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', agent } },
  });
  try {
    return { response: await client.request(action, params) };
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (!e.code) throw error;
    return { code: e.code, message: e.message };
  }
}

async function refused(
  code: string,
  service: string,
  action: string,
  params: object,
  options?: { version?: string },
): Promise<string> {
  const outcome = await sdk(service, action, params, options);
  assert.equal(outcome.code, code, `${action} ${JSON.stringify(params)}: ${outcome.message ?? 'accepted'}`);
  return outcome.message!;
}

async function accepted(service: string, action: string, params: object, options?: { version?: string }) {
  const outcome = await sdk(service, action, params, options);
  assert.equal(outcome.code, undefined, `${action} ${JSON.stringify(params)}: ${outcome.message}`);
  return outcome.response!;
}

/** An instance to act on, in ap-guangzhou: made in the state so each case has its own. */
function instance(os: 'linux' | 'windows', state = 'STOPPED'): string {
  return buildInstance(h.emulator.state, {
    region: 'ap-guangzhou',
    zone: 'ap-guangzhou-1',
    name: `fidelity-${os}`,
    type: 'S5.SMALL2',
    imageId: os === 'linux' ? CENTOS : WINDOWS,
    osName: os === 'linux' ? 'CentOS 7.9 64位' : 'Windows Server 2019 数据中心版 64位中文版',
    state,
    createdAt: Date.now(),
  }).item.InstanceId;
}

const keys = () => Object.keys(h.emulator.state.cvm.keyPairs);
/** A NORMAL custom image in ap-guangzhou (made in the state when a case has deleted the demo's). */
const customImage = () =>
  (
    Object.values(h.emulator.state.cvm.images).find(
      (s) => s.region === 'ap-guangzhou' && s.item.ImageType === 'PRIVATE_IMAGE' && s.item.ImageState === 'NORMAL',
    ) ??
    createCustomImage(h.emulator.state, 'ap-guangzhou', {
      name: 'fidelity-base',
      osName: 'CentOS 7.9 64位',
      platform: 'CentOS',
      size: 20,
      createdAt: Date.now(),
    })
  ).item.ImageId;
const pgroup = () =>
  Object.values(h.emulator.state.cfs.pgroups).find((s) => s.region === 'ap-guangzhou')!.item.PGroupId;

const cases: { name: string; run: () => Promise<void> }[] = [];
const rule = (source: string, action: string, says: string, run: () => Promise<void>) =>
  cases.push({ name: `${source} ${action}: ${says}`, run });

/** The request each LoginSettings action needs besides the settings (validated before any lookup). */
const LOGIN_BASE: Record<string, () => Record<string, unknown>> = {
  RunInstances: () => RUN,
  InquiryPriceRunInstances: () => RUN,
  ResetInstance: () => ({ InstanceId: instance('linux') }),
  InquiryPriceResetInstance: () => ({ InstanceId: instance('linux') }),
};

// ---- RunInstances and the structures it takes (000:20449-20451, 20083, 18129-18152, 18174-18182)
for (const action of Object.keys(LOGIN_BASE)) {
  rule('000:20450', action, 'Password excludes KeyIds', async () => {
    const base = LOGIN_BASE[action]!();
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...base,
      LoginSettings: { Password: 'Tce0ps-login', KeyIds: [keys()[0]] },
    });
    if (action.startsWith('Inquiry'))
      await accepted('cvm', action, { ...base, LoginSettings: { KeyIds: [keys()[0]] } });
  });
  rule('000:20451', action, 'KeepImageLogin TRUE excludes Password and KeyIds', async () => {
    const base = LOGIN_BASE[action]!();
    for (const extra of [{ Password: 'Tce0ps-login' }, { KeyIds: [keys()[0]] }])
      await refused('InvalidParameterCombination', 'cvm', action, {
        ...base,
        LoginSettings: { KeepImageLogin: 'TRUE', ...extra },
      });
  });
  rule('000:20449', action, 'password 10 to 30 characters', async () => {
    const base = LOGIN_BASE[action]!();
    for (const password of ['Tce0ps-lo', `Tce0ps-${'x'.repeat(24)}`]) {
      const message = await refused('InvalidPassword', 'cvm', action, {
        ...base,
        LoginSettings: { Password: password },
      });
      assert.ok(!message.includes(password), 'the message never repeats the password');
    }
  });
}

for (const action of ['RunInstances', 'InquiryPriceRunInstances']) {
  const price = action === 'InquiryPriceRunInstances';
  rule('000:20450', action, 'one key pair at purchase', async () => {
    await refused('InvalidParameterValue', 'cvm', action, { ...RUN, LoginSettings: { KeyIds: keys().slice(0, 2) } });
  });
  rule('000:20083', action, 'bandwidth above 0 needs PublicIpAssigned, 0 forbids it', async () => {
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...RUN,
      InternetAccessible: { InternetMaxBandwidthOut: 5, PublicIpAssigned: false },
    });
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...RUN,
      InternetAccessible: { InternetMaxBandwidthOut: 0, PublicIpAssigned: true },
    });
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...RUN,
      InternetAccessible: { PublicIpAssigned: true },
    });
    if (price)
      await accepted('cvm', action, {
        ...RUN,
        InternetAccessible: { InternetMaxBandwidthOut: 5, PublicIpAssigned: true },
      });
  });
  const vpc = (ips: string[]) => ({ VpcId: GZ.vpc, SubnetId: GZ.subnet, PrivateIpAddresses: ips });
  rule('000:18181', action, 'private IPs are IPv4 addresses', async () => {
    for (const ip of ['10.0.1', '10.0.1.256', 'ten.0.0.1'])
      await refused('InvalidParameter.InvalidIpFormat', 'cvm', action, { ...RUN, VirtualPrivateCloud: vpc([ip]) });
  });
  rule('000:18139', action, 'private IPs: InstanceCount 1 or 2, one IP per instance', async () => {
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...RUN,
      InstanceCount: 3,
      VirtualPrivateCloud: vpc(['10.0.9.1', '10.0.9.2', '10.0.9.3']),
    });
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...RUN,
      InstanceCount: 1,
      VirtualPrivateCloud: vpc(['10.0.9.1', '10.0.9.2']),
    });
    if (price)
      await accepted('cvm', action, { ...RUN, InstanceCount: 2, VirtualPrivateCloud: vpc(['10.0.9.1', '10.0.9.2']) });
  });
  rule('000:18129', action, 'CDHPAID needs Placement.HostIds', async () => {
    await refused('MissingParameter', 'cvm', action, { ...RUN, InstanceChargeType: 'CDHPAID' });
  });
  rule('000:18130', action, 'PREPAID needs InstanceChargePrepaid', async () => {
    await refused('MissingParameter', 'cvm', action, { ...RUN, InstanceChargeType: 'PREPAID' });
  });
  // Refusals that need the state: the image, the subnet, addresses in use.
  rule('000:20451', action, 'KeepImageLogin TRUE only with a custom, shared or imported image', async () => {
    await refused('InvalidParameterCombination', 'cvm', action, { ...RUN, LoginSettings: { KeepImageLogin: 'TRUE' } });
    if (price)
      await accepted('cvm', action, { ...RUN, ImageId: customImage(), LoginSettings: { KeepImageLogin: 'TRUE' } });
  });
  rule('000:20449', action, 'Linux password 10 to 30, three character classes', async () => {
    for (const password of ['abcdefgh12', 'ABCDEFGH12', '/Abcdefg12'])
      await refused('InvalidPassword', 'cvm', action, { ...RUN, LoginSettings: { Password: password } });
    if (price) await accepted('cvm', action, { ...RUN, LoginSettings: { Password: 'abcdefg12-' } });
  });
  rule('000:6268', action, 'Windows password 12 to 30, three character classes', async () => {
    const windows = { ...RUN, ImageId: WINDOWS };
    for (const password of ['Abcdef12-x', 'abcdefghijk12'])
      await refused('InvalidPassword', 'cvm', action, { ...windows, LoginSettings: { Password: password } });
    if (price) await accepted('cvm', action, { ...windows, LoginSettings: { Password: 'Abcdef12-xyz' } });
  });
  rule('000:20450', action, 'no key pairs for Windows', async () => {
    await refused('InvalidParameterCombination', 'cvm', action, {
      ...RUN,
      ImageId: WINDOWS,
      LoginSettings: { KeyIds: [keys()[0]] },
    });
  });
  rule('000:20450', action, 'the key pair exists', async () => {
    await refused('InvalidKeyPairId.NotFound', 'cvm', action, { ...RUN, LoginSettings: { KeyIds: ['skey-zzzzzzzz'] } });
  });
  if (!price)
    rule('000:18150', action, 'Windows HostName 2 to 15, no dots', async () => {
      const windows = { ...RUN, ImageId: WINDOWS, LoginSettings: { Password: 'Abcdef12-xyz' } };
      for (const name of ['web-server-00001', 'web.local'])
        await refused('InvalidParameterValue', 'cvm', action, { ...windows, HostName: name });
    });
  rule('000:21200', action, 'the security groups exist', async () => {
    await refused('InvalidSecurityGroupId.NotFound', 'cvm', action, { ...RUN, SecurityGroupIds: ['sg-zzzzzzzz'] });
    if (price) await accepted('cvm', action, { ...RUN, SecurityGroupIds: ['sg-gz5h3k9w'] });
  });
  rule('000:20482', action, 'the VPC and subnet exist', async () => {
    await refused('InvalidParameterValue', 'cvm', action, {
      ...RUN,
      VirtualPrivateCloud: { VpcId: 'vpc-zzzzzzzz', SubnetId: GZ.subnet },
    });
    await refused('InvalidParameterValue', 'cvm', action, {
      ...RUN,
      VirtualPrivateCloud: { VpcId: GZ.vpc, SubnetId: 'subnet-zzzzzzzz' },
    });
  });
  rule('000:18175', action, 'a private IP in the subnet', async () => {
    for (const ip of ['10.1.0.5', '192.168.0.5', '10.0.0.0'])
      await refused('VpcAddrNotInSubNet', 'cvm', action, { ...RUN, VirtualPrivateCloud: vpc([ip]) });
  });
  rule('000:18174', action, 'a private IP not in use', async () => {
    const used = Object.values(h.emulator.state.cvm.instances).find((s) => s.region === 'ap-guangzhou')!.item
      .PrivateIpAddresses[0]!;
    await refused('VpcIpIsUsed', 'cvm', action, { ...RUN, VirtualPrivateCloud: vpc([used]) });
    await refused('VpcIpIsUsed', 'cvm', action, {
      ...RUN,
      InstanceCount: 2,
      VirtualPrivateCloud: vpc(['10.0.9.9', '10.0.9.9']),
    });
  });
}

rule('000:18150', 'RunInstances', 'HostName shape', async () => {
  for (const name of ['-abc', 'abc-', 'ab..cd', 'ab.-cd', '12345', 'a', `h${'x'.repeat(31)}`, 'host_name'])
    await refused('InvalidParameterValue', 'cvm', 'RunInstances', { ...RUN, HostName: name });
});
rule('000:18152', 'RunInstances', 'one placement group', async () => {
  const groups = Object.keys(h.emulator.state.cvm.placementGroups).slice(0, 2);
  await refused('InvalidParameterValue', 'cvm', 'RunInstances', { ...RUN, DisasterRecoverGroupIds: groups });
});
rule('000:18129', 'RunInstances', 'charge types POSTPAID_BY_HOUR, CDHPAID, PREPAID', async () => {
  await refused('InvalidParameterValue', 'cvm', 'RunInstances', { ...RUN, InstanceChargeType: 'SPOTPAID' });
});

// ---- Launch templates: their own pages (HostName 2 to 60, 000:15813 and 16043)
const TEMPLATE: Record<string, Record<string, unknown>> = {
  CreateLaunchTemplate: { ...RUN, InstanceType: 'S5.SMALL2', LaunchTemplateName: 'fidelity-template' },
  ModifyLaunchTemplate: { ...RUN, InstanceType: 'S5.SMALL2', InstanceCount: 1, LaunchTemplateId: 'lt-zzzzzzzz' },
};
for (const [action, [hostLine, groupLine, ipLine]] of [
  ['CreateLaunchTemplate', ['000:15813', '000:15815', '000:15852']],
  ['ModifyLaunchTemplate', ['000:16043', '000:16045', '000:16081']],
] as const) {
  rule(hostLine, action, 'HostName shape, 2 to 60', async () => {
    for (const name of ['-abc', 'ab..cd', 'a', 'under_score'])
      await refused('InvalidParameterValue', 'cvm', action, { ...TEMPLATE[action], HostName: name });
    // Past 60 is the catalog's length limit, with the code these pages document.
    await refused('InvalidParameter.ValueTooLarge', 'cvm', action, { ...TEMPLATE[action], HostName: 'h'.repeat(61) });
  });
  rule(groupLine, action, 'one placement group', async () => {
    const groups = Object.keys(h.emulator.state.cvm.placementGroups).slice(0, 2);
    await refused('InvalidParameterValueLimit', 'cvm', action, {
      ...TEMPLATE[action],
      DisasterRecoverGroupIds: groups,
    });
  });
  rule(ipLine, action, 'private IPs are IPv4 addresses', async () => {
    await refused('InvalidParameter.InvalidIpFormat', 'cvm', action, {
      ...TEMPLATE[action],
      VirtualPrivateCloud: { VpcId: GZ.vpc, SubnetId: GZ.subnet, PrivateIpAddresses: ['10.0.0'] },
    });
  });
}
for (const [source, action] of [
  ['000:15813', 'CreateLaunchTemplate'],
  ['000:16043', 'ModifyLaunchTemplate'],
] as const) {
  rule(source, action, 'Windows HostName 2 to 15, no dots', async () => {
    const existing = async () =>
      (
        await accepted('cvm', 'CreateLaunchTemplate', {
          ...TEMPLATE.CreateLaunchTemplate,
          LaunchTemplateName: 'lt-win',
        })
      ).LaunchTemplateId;
    const id = action === 'ModifyLaunchTemplate' ? { LaunchTemplateId: await existing() } : {};
    const windows = { ...TEMPLATE[action], ...id, ImageId: WINDOWS };
    for (const name of ['web-server-00001', 'web.local', '12345'])
      await refused('InvalidParameterValue', 'cvm', action, { ...windows, HostName: name });
  });
}
rule('000:15813', 'CreateLaunchTemplate', 'a long Linux HostName is allowed on this page', async () => {
  await accepted('cvm', 'CreateLaunchTemplate', {
    ...TEMPLATE.CreateLaunchTemplate,
    HostName: `web-${'x'.repeat(40)}`,
  });
});

// ---- ResetInstancesPassword: its own page, 000:17963
rule('000:17963', 'ResetInstancesPassword', 'password 8 to 16 characters, not starting with /', async () => {
  const id = instance('linux');
  for (const password of ['Abcdefgh-1234567xyz', '/Abcdef-1234', 'Ab-1234']) {
    const message = await refused('InvalidPassword', 'cvm', 'ResetInstancesPassword', {
      InstanceIds: [id],
      Password: password,
    });
    assert.ok(!message.includes(password), 'the message never repeats the password');
  }
});
rule('000:17963', 'ResetInstancesPassword', 'Linux password 8 to 16, two character classes', async () => {
  await refused('InvalidPassword', 'cvm', 'ResetInstancesPassword', {
    InstanceIds: [instance('linux')],
    Password: 'abcdefghijk',
  });
  // Two classes are enough on this page, and 16 characters are allowed.
  await accepted('cvm', 'ResetInstancesPassword', { InstanceIds: [instance('linux')], Password: 'abcdefgh12' });
  await accepted('cvm', 'ResetInstancesPassword', { InstanceIds: [instance('linux')], Password: 'abcdefgh12345678' });
});
rule('000:17963', 'ResetInstancesPassword', 'Windows password 12 to 16, three character classes', async () => {
  for (const password of ['Abcdefg-123', 'abcdefgh12345'])
    await refused('InvalidPassword', 'cvm', 'ResetInstancesPassword', {
      InstanceIds: [instance('windows')],
      Password: password,
    });
  await refused('InvalidPassword', 'cvm', 'ResetInstancesPassword', {
    InstanceIds: [instance('windows')],
    Password: '/Abcdefgh-12',
  });
  // A batch with Linux and Windows instances follows the Windows rule.
  await refused('InvalidPassword', 'cvm', 'ResetInstancesPassword', {
    InstanceIds: [instance('linux'), instance('windows')],
    Password: 'abcdefgh12',
  });
  await accepted('cvm', 'ResetInstancesPassword', { InstanceIds: [instance('windows')], Password: 'Abcdefgh-123' });
});

// ---- ResetInstance: LoginSettings' page for Linux, the guide for Windows
rule('000:20449', 'ResetInstance', 'Linux password 10 to 30, three character classes', async () => {
  await refused('InvalidPassword', 'cvm', 'ResetInstance', {
    InstanceId: instance('linux'),
    LoginSettings: { Password: 'abcdefgh12' },
  });
  await accepted('cvm', 'ResetInstance', { InstanceId: instance('linux'), LoginSettings: { Password: 'abcdefg12-' } });
});
rule('000:6268', 'ResetInstance', 'Windows password 12 to 30, three character classes', async () => {
  await refused('InvalidPassword', 'cvm', 'ResetInstance', {
    InstanceId: instance('linux'),
    ImageId: WINDOWS,
    LoginSettings: { Password: 'Abcdef12-x' },
  });
});

// ---- Images
rule('000:18887', 'CreateImage', 'SnapshotIds excludes InstanceId', async () => {
  await refused('InvalidParameterCombination', 'cvm', 'CreateImage', {
    InstanceId: instance('linux'),
    ImageName: 'both',
    SnapshotIds: ['snap-12345678'],
  });
});
rule('000:18921', 'DeleteImages', 'not while an instance launches from it', async () => {
  const image = customImage();
  const run = await accepted('cvm', 'RunInstances', {
    ...RUN,
    ImageId: image,
    InstanceChargeType: 'PREPAID',
    InstanceChargePrepaid: { Period: 1 },
  });
  const launching = (run.InstanceIdSet as string[])[0]!;
  await refused('InvalidImageId.IncorrectState', 'cvm', 'DeleteImages', { ImageIds: [image] });
  h.emulator.state.cvm.instances[launching]!.item.InstanceState = 'RUNNING';
  h.emulator.state.cvm.instances[launching]!.transition = undefined;
  await accepted('cvm', 'DeleteImages', { ImageIds: [image] });
});
rule('000:19105', 'DescribeImages', 'ImageIds excludes Filters', async () => {
  await refused('InvalidParameter.InvalidParameterCoexistImageIdsFilters', 'cvm', 'DescribeImages', {
    ImageIds: [CENTOS],
    Filters: [{ Name: 'image-type', Values: ['PUBLIC_IMAGE'] }],
  });
});
rule('000:19105', 'DescribeImages', 'filters image-id and image-type only', async () => {
  for (const name of ['image-name', 'platform', 'image-state'])
    await refused('InvalidFilter', 'cvm', 'DescribeImages', { Filters: [{ Name: name, Values: ['x'] }] });
  const r = await accepted('cvm', 'DescribeImages', { Filters: [{ Name: 'image-type', Values: ['PUBLIC_IMAGE'] }] });
  assert.ok((r.TotalCount as number) > 0);
});
rule('000:19105', 'DescribeImages', 'at most 5 values per filter', async () => {
  await refused('InvalidParameterValue.InvalidParameterValueLimit', 'cvm', 'DescribeImages', {
    Filters: [{ Name: 'image-id', Values: ['img-1', 'img-2', 'img-3', 'img-4', 'img-5', 'img-6'] }],
  });
});

// ---- DescribeInstances (000:16686) and DescribeZoneInstanceConfigInfos (000:16872)
rule('000:16686', 'DescribeInstances', 'InstanceIds excludes Filters', async () => {
  await refused('InvalidParameter', 'cvm', 'DescribeInstances', {
    InstanceIds: [instance('linux')],
    Filters: [{ Name: 'zone', Values: ['ap-guangzhou-1'] }],
  });
});
rule('000:16686', 'DescribeInstances', 'the documented filters only', async () => {
  for (const name of ['image-id', 'instance-type', 'os-name'])
    await refused('InvalidFilter', 'cvm', 'DescribeInstances', { Filters: [{ Name: name, Values: ['x'] }] });
  const r = await accepted('cvm', 'DescribeInstances', { Filters: [{ Name: 'architectures', Values: ['x86_64'] }] });
  assert.ok((r.TotalCount as number) > 0, 'architectures is documented and selects x86_64 instances');
  await accepted('cvm', 'DescribeInstances', { Filters: [{ Name: 'tag:env', Values: ['production'] }] });
});
rule('000:16686', 'DescribeInstances', 'at most 5 values per filter', async () => {
  await refused('InvalidFilterValue.LimitExceeded', 'cvm', 'DescribeInstances', {
    Filters: [{ Name: 'zone', Values: ['a', 'b', 'c', 'd', 'e', 'f'] }],
  });
});
rule(
  '000:16872',
  'DescribeZoneInstanceConfigInfos',
  'filters zone, instance-family, instance-type, instance-charge-type',
  async () => {
    await refused('InvalidParameterValue', 'cvm', 'DescribeZoneInstanceConfigInfos', {
      Filters: [{ Name: 'cpu', Values: ['2'] }],
    });
    const rows = async (chargeType: string) =>
      (
        await accepted('cvm', 'DescribeZoneInstanceConfigInfos', {
          Filters: [{ Name: 'instance-charge-type', Values: [chargeType] }],
        })
      ).InstanceTypeQuotaSet as { InstanceChargeType: string; Price: Record<string, unknown> }[];
    const prepaid = await rows('PREPAID');
    assert.ok(prepaid.length > 0 && prepaid.every((r) => r.InstanceChargeType === 'PREPAID'));
    assert.ok(prepaid.every((r) => r.Price.DiscountPrice !== undefined && r.Price.ChargeUnit === undefined));
    const hourly = await rows('POSTPAID_BY_HOUR');
    assert.ok(hourly.every((r) => r.InstanceChargeType === 'POSTPAID_BY_HOUR' && r.Price.ChargeUnit === 'HOUR'));
    assert.deepEqual(await rows('CDHPAID'), []);
  },
);

// ---- Key pairs
rule('000:18566', 'CreateKeyPair', 'ProjectId only 0', async () => {
  await refused('InvalidProjectId.NotFound', 'cvm', 'CreateKeyPair', { KeyName: 'project_five', ProjectId: 5 });
  await accepted('cvm', 'CreateKeyPair', { KeyName: 'project_zero', ProjectId: 0 });
});
rule('000:18565', 'CreateKeyPair', 'KeyName letters, digits and underscores', async () => {
  for (const name of ['with-dash', 'with space', 'dot.ted'])
    await refused('InvalidKeyPairNameIncludeIllegalChar', 'cvm', 'CreateKeyPair', { KeyName: name, ProjectId: 0 });
});
rule('000:18664', 'DescribeKeyPairs', 'KeyIds excludes Filters', async () => {
  await refused('InvalidParameter', 'cvm', 'DescribeKeyPairs', {
    KeyIds: [keys()[0]],
    Filters: [{ Name: 'key-name', Values: ['x'] }],
  });
});
rule('000:18685', 'DescribeKeyPairs', 'Offset 0 or more', async () => {
  await refused('InvalidParameterValueOffset', 'cvm', 'DescribeKeyPairs', { Offset: -1 });
  await accepted('cvm', 'DescribeKeyPairs', { Offset: 0 });
});

// ---- CFS CreateCfsFileSystem (002:5048-5130 for 2019, 002:2566-2630 for 2018)
const fsBase = (extra: Record<string, unknown> = {}) => ({
  Zone: 'ap-guangzhou-1',
  NetInterface: 'VPC',
  PGroupId: pgroup(),
  VpcId: GZ.vpc,
  SubnetId: GZ.subnet,
  FsName: 'fidelity',
  ...extra,
});
rule('002:5063', 'CreateCfsFileSystem', 'FsName or CreationToken', async () => {
  const { FsName: _name, ...nameless } = fsBase();
  await refused('MissingParameter', 'cfs', 'CreateCfsFileSystem', nameless);
  await accepted('cfs', 'CreateCfsFileSystem', { ...nameless, CreationToken: 'fidelity-token' });
});
rule('002:5054', 'CreateCfsFileSystem', 'a VPC file system needs VpcId or UnVpcId', async () => {
  const { VpcId: _vpc, ...vpcless } = fsBase();
  await refused('InvalidParameterValue.MissingVpcidOrUnvpcid', 'cfs', 'CreateCfsFileSystem', vpcless);
});
rule('002:5058', 'CreateCfsFileSystem', 'a VPC file system needs SubnetId or UnSubnetId', async () => {
  const { SubnetId: _subnet, ...subnetless } = fsBase();
  await refused('InvalidParameterValue.MissingSubnetidOrUnsubnetid', 'cfs', 'CreateCfsFileSystem', subnetless);
});
rule('002:5124', 'CreateCfsFileSystem', 'MountIP is an IPv4 address', async () => {
  await refused(
    'InvalidParameterValue.InvalidMountTargetIp',
    'cfs',
    'CreateCfsFileSystem',
    fsBase({ MountIP: '10.0.1' }),
  );
});

rule('002:5529', 'UpdateCfsFileSystemName', 'FsName or CreationToken', async () => {
  const id = Object.values(h.emulator.state.cfs.fileSystems).find((f) => f.region === 'ap-guangzhou')!.item
    .FileSystemId;
  await refused('InvalidParameterValue.MissingFsParameter', 'cfs', 'UpdateCfsFileSystemName', { FileSystemId: id });
  await accepted('cfs', 'UpdateCfsFileSystemName', { FileSystemId: id, FsName: 'renamed' });
});
rule('002:6152', 'UpdateCfsPGroup', 'Name or DescInfo', async () => {
  await refused('InvalidParameterValue.MissingNameOrDescinfo', 'cfs', 'UpdateCfsPGroup', { PGroupId: pgroup() });
});
for (const [source, action] of [
  ['002:5829', 'CreateCfsPGroup'],
  ['002:6152', 'UpdateCfsPGroup'],
] as const) {
  rule(source, action, 'Name in Chinese, letters, digits, _ and -', async () => {
    const base = action === 'UpdateCfsPGroup' ? { PGroupId: pgroup() } : {};
    for (const name of ['with space', 'dot.ted', 'semi;colon'])
      await refused('InvalidParameterValue.InvalidPgroupName', 'cfs', action, { ...base, Name: name });
    await accepted('cfs', action, { ...base, Name: `组_${action}-1` });
  });
}

const CFS_VERSIONS: [string, Record<string, string>, (extra?: Record<string, unknown>) => Record<string, unknown>][] = [
  [
    '2019-07-19',
    { zone: '002:5100', mismatch: '002:5116', vpc: '002:5130', subnet: '002:5127', vip: '002:5115', ip: '002:5124' },
    fsBase,
  ],
  [
    V2018,
    { zone: '002:2622', mismatch: '002:2630', vpc: '002:2619', subnet: '002:2617', vip: '002:2618', ip: '002:2611' },
    (extra = {}) => {
      const { VpcId: _v, SubnetId: _s, ...rest } = fsBase(extra);
      return { UnVpcId: GZ.vpc, UnSubnetId: GZ.subnet, ...rest };
    },
  ],
];
for (const [version, at, base] of CFS_VERSIONS) {
  const create = (code: string, params: Record<string, unknown>) =>
    refused(code, 'cfs', 'CreateCfsFileSystem', params, { version });
  rule(at.zone!, 'CreateCfsFileSystem', `the zone exists (${version})`, async () => {
    await create('InvalidParameterValue.InvalidZoneOrZoneId', base({ Zone: 'ap-guangzhou-9' }));
  });
  rule(at.mismatch!, 'CreateCfsFileSystem', `the zone is the region's (${version})`, async () => {
    await create('InvalidParameterValue.ZoneIdRegionNotMatch', base({ Zone: 'ap-shanghai-1' }));
  });
  rule(at.vpc!, 'CreateCfsFileSystem', `the VPC exists (${version})`, async () => {
    const params = base();
    await create('InvalidParameterValue.InvalidVpcId', {
      ...params,
      [version === V2018 ? 'UnVpcId' : 'VpcId']: 'vpc-zzzzzzzz',
    });
  });
  rule(at.subnet!, 'CreateCfsFileSystem', `the subnet exists (${version})`, async () => {
    const params = base();
    await create('InvalidParameterValue.InvalidSubnetId', {
      ...params,
      [version === V2018 ? 'UnSubnetId' : 'SubnetId']: 'subnet-zzzzzzzz',
    });
  });
  rule(at.vip!, 'CreateCfsFileSystem', `the mount IP is free (${version})`, async () => {
    const used = Object.values(h.emulator.state.cfs.fileSystems).find((s) => s.region === 'ap-guangzhou')!.item
      .IpAddress;
    await create('InvalidParameterValue.InvalidVip', base({ MountIP: used }));
    const instanceIp = Object.values(h.emulator.state.cvm.instances).find((s) => s.region === 'ap-guangzhou')!.item
      .PrivateIpAddresses[0];
    await create('InvalidParameterValue.InvalidVip', base({ MountIP: instanceIp }));
  });
  rule(at.ip!, 'CreateCfsFileSystem', `the mount IP is in the subnet (${version})`, async () => {
    await create('InvalidParameterValue.InvalidMountTargetIp', base({ MountIP: '10.1.0.9' }));
    await accepted(
      'cfs',
      'CreateCfsFileSystem',
      base({ MountIP: version === V2018 ? '10.0.201.18' : '10.0.201.19', FsName: `ok-${version}` }),
      {
        version,
      },
    );
  });
}

// ---- Documented codes in place of plain InvalidParameterValue, defaults and output fields (no refusal of their own)
const more: { name: string; run: () => Promise<void> }[] = [
  {
    name: '002:5912-5914 CreateCfsRule: InvalidPriority, InvalidRwPermission, InvalidUserPermission',
    run: async () => {
      const base = { PGroupId: pgroup(), AuthClientIp: '10.0.3.4', Priority: 1 };
      await refused('InvalidParameterValue.InvalidPriority', 'cfs', 'CreateCfsRule', { ...base, Priority: 0 });
      await refused('InvalidParameterValue.InvalidPriority', 'cfs', 'CreateCfsRule', { ...base, Priority: 101 });
      await refused('InvalidParameterValue.InvalidRwPermission', 'cfs', 'CreateCfsRule', {
        ...base,
        RWPermission: 'rw',
      });
      await refused('InvalidParameterValue.InvalidUserPermission', 'cfs', 'CreateCfsRule', {
        ...base,
        UserPermission: 'squash_all',
      });
      await accepted('cfs', 'CreateCfsRule', { ...base, RWPermission: 'RW', UserPermission: 'root_squash' });
    },
  },
  {
    name: '000:18173 RunInstances: InvalidPeriod for a prepaid period not offered',
    run: async () => {
      const prepaid = { ...RUN, InstanceChargeType: 'PREPAID' };
      for (const Period of [13, 48])
        await refused('InvalidPeriod', 'cvm', 'InquiryPriceRunInstances', {
          ...prepaid,
          InstanceChargePrepaid: { Period },
        });
      await refused('InvalidPeriod', 'cvm', 'RunInstances', { ...prepaid, InstanceChargePrepaid: { Period: 13 } });
      await accepted('cvm', 'InquiryPriceRunInstances', { ...prepaid, InstanceChargePrepaid: { Period: 36 } });
    },
  },
  {
    name: '000:18586 CreateKeyPair: InvalidKeyPairNameTooLong past 25 characters',
    run: async () => {
      await refused('InvalidKeyPairNameTooLong', 'cvm', 'CreateKeyPair', { KeyName: 'k'.repeat(26), ProjectId: 0 });
      await accepted('cvm', 'CreateKeyPair', { KeyName: 'k'.repeat(25), ProjectId: 0 });
    },
  },
  {
    name: '000:18684 DescribeKeyPairs: InvalidParameterValueLimit past 100',
    run: async () => {
      await refused('InvalidParameterValueLimit', 'cvm', 'DescribeKeyPairs', { Limit: 101 });
      await accepted('cvm', 'DescribeKeyPairs', { Limit: 100 });
    },
  },
  {
    name: '000:13599 StartMigrationJob: InvalidMigrateJobIdMalformed',
    run: async () => {
      await refused('InvalidParameterValue.InvalidMigrateJobIdMalformed', 'csm', 'StartMigrationJob', {
        JobId: 'job id!',
      });
    },
  },
  {
    name: '000:18182 RunInstances: InvalidZone.MismatchRegion for a zone that does not exist',
    run: async () => {
      await refused('InvalidZone.MismatchRegion', 'cvm', 'RunInstances', {
        ...RUN,
        Placement: { Zone: 'ap-guangzhou-9' },
      });
      await refused('InvalidZone.MismatchRegion', 'cvm', 'RunInstances', {
        ...RUN,
        Placement: { Zone: 'ap-shanghai-1' },
      });
    },
  },
  {
    name: '000:19087 DescribeImages: public images are not looked up by ID',
    run: async () => {
      const r = await accepted('cvm', 'DescribeImages', { ImageIds: [CENTOS, customImage()] });
      assert.deepEqual(
        (r.ImageSet as { ImageId: string }[]).map((i) => i.ImageId),
        [customImage()],
      );
    },
  },
  {
    name: '000:18134, 000:20290 RunInstances: default type S1.SMALL1, system disk LOCAL_BASIC 50 GB',
    run: async () => {
      const run = await accepted('cvm', 'RunInstances', {
        ...RUN,
        InstanceChargeType: 'PREPAID',
        InstanceChargePrepaid: { Period: 1 },
      });
      const [id] = run.InstanceIdSet as string[];
      const r = await accepted('cvm', 'DescribeInstances', { InstanceIds: [id] });
      const made = (
        r.InstanceSet as { InstanceType: string; SystemDisk: { DiskType: string; DiskSize: number } }[]
      )[0]!;
      assert.equal(made.InstanceType, 'S1.SMALL1');
      assert.deepEqual([made.SystemDisk.DiskType, made.SystemDisk.DiskSize], ['LOCAL_BASIC', 50]);
    },
  },
  {
    name: "000:18139 RunInstances: the private IPs asked for are the instances' addresses",
    run: async () => {
      const run = await accepted('cvm', 'RunInstances', {
        ...RUN,
        InstanceCount: 2,
        InstanceChargeType: 'PREPAID',
        InstanceChargePrepaid: { Period: 1 },
        VirtualPrivateCloud: { VpcId: GZ.vpc, SubnetId: GZ.subnet, PrivateIpAddresses: ['10.0.77.1', '10.0.77.2'] },
      });
      const r = await accepted('cvm', 'DescribeInstances', { InstanceIds: run.InstanceIdSet as string[] });
      const ips = (r.InstanceSet as { PrivateIpAddresses: string[] }[]).flatMap((i) => i.PrivateIpAddresses).sort();
      assert.deepEqual(ips, ['10.0.77.1', '10.0.77.2']);
    },
  },
  {
    name: '000:20761 DescribeInstances: every documented Instance field',
    run: async () => {
      const { getServiceCatalog } = await import('@tceops/core');
      const fields = getServiceCatalog('cvm', '2017-03-12').structures.Instance!.fields.map((f) => f.name);
      const [one] = (await accepted('cvm', 'DescribeInstances', { Limit: 1 })).InstanceSet as Record<string, unknown>[];
      assert.deepEqual(
        fields.filter((f) => !(f in one!)),
        [],
      );
    },
  },
  {
    name: '002:6296 DescribeCfsFileSystems: every documented FileSystemInfo field',
    run: async () => {
      const { getServiceCatalog } = await import('@tceops/core');
      const fields = getServiceCatalog('cfs', '2019-07-19').structures.FileSystemInfo!.fields.map((f) => f.name);
      const [one] = (await accepted('cfs', 'DescribeCfsFileSystems', {})).FileSystems as Record<string, unknown>[];
      assert.deepEqual(
        fields.filter((f) => !(f in one!)),
        [],
      );
    },
  },
  {
    name: '000:14190 DescribeMigrationJobs: every documented MigrationJob field',
    run: async () => {
      const { getServiceCatalog } = await import('@tceops/core');
      const fields = getServiceCatalog('csm', '2021-09-15').structures.MigrationJob!.fields.map((f) => f.name);
      const jobs = (await accepted('csm', 'DescribeMigrationJobs', {})).MigrationJobs as Record<string, unknown>[];
      assert.deepEqual(
        fields.filter((f) => !(f in jobs[0]!)),
        [],
      );
      const done = jobs.find((j) => j.Status === 'SUCCESS');
      assert.ok(done, 'the demo has a finished job');
      assert.equal((done.MigrateResult as { Result: string }).Result, 'succ');
    },
  },
  {
    name: '000:20006 DescribeZoneInstanceConfigInfos: InstancePps in units of 10,000 PPS',
    run: async () => {
      const rows = (
        await accepted('cvm', 'DescribeZoneInstanceConfigInfos', {
          Filters: [{ Name: 'instance-type', Values: ['S5.LARGE8'] }],
        })
      ).InstanceTypeQuotaSet as { Cpu: number; InstancePps: number }[];
      assert.ok(rows.length > 0);
      for (const row of rows) assert.ok(row.InstancePps > 0 && row.InstancePps < 1000, `${row.InstancePps} 万PPS`);
    },
  },
];
cases.push(...more);

describe('fidelity: the emulator refuses what the TCE docs say TCE refuses (official SDK)', function () {
  this.timeout(30_000);
  before(async () => {
    h = await startHarness({ timeScale: 0.01, durations: { instanceLaunch: 600_000 } });
    agent = new http.Agent({
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all)
          (callback as (e: null, a: object[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
        else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
      },
    });
  });
  after(async () => {
    agent.destroy();
    await h.close();
  });

  for (const c of cases) it(c.name, c.run);

  it('every documented refusal the emulator declares has its case here', () => {
    const names = new Set(cases.map((c) => c.name));
    const declared = [
      ...RULES.flatMap((r) => r.actions.map((action) => `${r.source} ${action}: ${r.says}`)),
      ...emulatorRefusals().map((r) => `${r.source} ${r.action}: ${r.says}`),
    ];
    assert.deepEqual(
      declared.filter((name) => !names.has(name)),
      [],
    );
    assert.ok(declared.length >= 60, `${declared.length} refusals`);
  });

  it("tceops' own client refuses the same requests before sending anything", async () => {
    const before = h.emulator.requests().length;
    await assert.rejects(
      h.client.call('cvm', 'RunInstances', {
        ...RUN,
        LoginSettings: { Password: 'Tce0ps-login', KeyIds: [keys()[0]] },
      }),
      (e: { code?: string; message: string }) =>
        e.code === 'InvalidParameterCombination' && !e.message.includes('Tce0ps-login'),
    );
    await assert.rejects(
      h.client.call('cfs', 'CreateCfsFileSystem', fsBase({ FsName: undefined }), { version: '2019-07-19' }),
      (e: { code?: string }) => e.code === 'MissingParameter',
    );
    assert.equal(h.emulator.requests().length, before, 'nothing reached the emulator');
  });

  it('/_tce/coverage reports how many documented refusals each action implements', async () => {
    const coverage = (await (await fetch(`${h.emulator.url}/_tce/coverage`)).json()) as {
      summary: { refusals: number };
      actions: { service: string; version: string; action: string; refusals: number }[];
    };
    const of = (service: string, action: string, version = VERSION[service]) =>
      coverage.actions.find((a) => a.service === service && a.action === action && a.version === version)!.refusals;
    const declaredFor = (action: string) =>
      RULES.filter((r) => r.service === 'cvm' && r.actions.includes(action)).length +
      emulatorRefusals().filter((r) => r.service === 'cvm' && r.action === action).length;
    assert.equal(of('cvm', 'RunInstances'), declaredFor('RunInstances'));
    assert.ok(of('cvm', 'RunInstances') >= 20);
    assert.equal(of('cvm', 'StopInstances'), 0);
    // Each CFS version counts its own: the catalog's MountIP rule and the six state rules of 2018.
    assert.equal(of('cfs', 'CreateCfsFileSystem', V2018), 7);
    assert.equal(of('cfs', 'CreateCfsFileSystem', '2019-07-19'), 10);
    assert.equal(
      coverage.summary.refusals,
      coverage.actions.reduce((sum, a) => sum + a.refusals, 0),
    );
  });
});
