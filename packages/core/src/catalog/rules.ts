/**
 * Rules the docs state in prose that the generated catalog cannot carry as a limit on one parameter: parameters
 * that exclude or need each other, value sets and patterns stated on an action's own page, the filter names an
 * action takes. Hand-written, each with the seed line it comes from; validateParams applies them, so the client
 * refuses before sending and the emulator refuses with the same code: one source of truth.
 *
 * Where pages disagree (passwords, private IPs, host names), each action follows its own page; rules that depend on
 * the deployment's state (the image's OS, the subnet, addresses in use) are the emulator's (packages/emulator
 * services/.../validate). Messages never repeat a password.
 */

export interface Rule {
  /** Seed file and line, e.g. "000:20450" (000 = CVM+CSM, 002 = CFS). */
  source: string;
  service: string;
  /** The versions it holds in; all of the service's when absent. */
  versions?: string[];
  /** Actions it applies to (a rule on a shared structure names each action whose page takes it). */
  actions: string[];
  /** The parameter it is about, for the problem's place ("LoginSettings.KeyIds"). */
  param: string;
  code: string;
  /** What the docs require, in a few words (names the fidelity test). */
  says: string;
  /** What is wrong with the request, or undefined when it keeps the rule. */
  check(params: Record<string, unknown>): string | undefined;
}

type Params = Record<string, unknown>;

/** The value at a dotted path ("LoginSettings.KeyIds"); undefined when any part is missing. */
export function valueAt(params: unknown, path: string): unknown {
  if (!path.includes('.')) {
    // Most rules name a top-level parameter: read it without splitting the path on every request.
    return params !== null && typeof params === 'object' && !Array.isArray(params)
      ? (params as Record<string, unknown>)[path]
      : undefined;
  }
  let value: unknown = params;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Given: present, not null, and not an empty list. */
function given(params: Params, path: string): boolean {
  const value = valueAt(params, path);
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function exclusive(a: string, b: string) {
  return (p: Params) => (given(p, a) && given(p, b) ? `${a} and ${b} cannot be given together` : undefined);
}

function atLeastOne(names: string[], when?: (p: Params) => boolean) {
  return (p: Params) =>
    (!when || when(p)) && !names.some((n) => given(p, n)) ? `give ${names.join(' or ')}` : undefined;
}

function maxItems(path: string, max: number) {
  return (p: Params) => {
    const value = valueAt(p, path);
    return Array.isArray(value) && value.length > max
      ? `${path} takes at most ${max} item${max > 1 ? 's' : ''}, not ${value.length}`
      : undefined;
  };
}

function oneOfValues(path: string, values: (string | number)[]) {
  return (p: Params) => {
    const value = valueAt(p, path);
    if (value === undefined || value === null) return undefined;
    return values.some((v) => String(v) === String(value))
      ? undefined
      : `${path} must be ${values.join(' or ')}, not ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`;
  };
}

/** Every string at `path` (one, or each of a list) must pass `test`; `what` says what it must be. */
function each(path: string, test: (s: string) => boolean, what: string, secret = false) {
  return (p: Params) => {
    const value = valueAt(p, path);
    const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    const bad = values.find((v) => typeof v === 'string' && !test(v));
    if (bad === undefined) return undefined;
    return secret ? `${path} ${what}` : `${path} "${String(bad)}" ${what}`;
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/**
 * HostName as a page has it for every OS: RunInstances (000:18150) 2 to 31, never all digits; the launch template
 * pages (000:15813, 16043) 2 to 60, all digits refused for Windows only. Windows' [2, 15] without dots needs the
 * image, so it is the emulator's.
 */
export function hostNameProblem(name: string, max = 31, allDigits = false): string | undefined {
  if (name.length < 2 || name.length > max) return `takes 2 to ${max} characters (Windows 2 to 15)`;
  if (!/^[A-Za-z0-9.-]+$/.test(name)) return 'takes letters, digits, dots and dashes only';
  if (/^[.-]|[.-]$/.test(name)) return 'may not start or end with a dot or a dash';
  if (/[.-]{2}/.test(name)) return 'may not have two dots or dashes in a row (nor ".-")';
  if (!allDigits && /^[\d.]+$/.test(name)) return 'may not be all digits';
  return undefined;
}

/** DescribeInstances' filter table (000:16686), tag:<key> included. */
export const INSTANCE_FILTERS = [
  'zone',
  'project-id',
  'host-id',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'security-group-id',
  'instance-name',
  'instance-charge-type',
  'instance-state',
  'private-ip-address',
  'public-ip-address',
  'ipv6-address',
  'tag-key',
  'tag-value',
  'architectures',
  'instance-family',
];

function filterNames(names: string[], tags = false) {
  return (p: Params) => {
    const filters = valueAt(p, 'Filters');
    if (!Array.isArray(filters)) return undefined;
    const bad = filters
      .map((f) => (f && typeof f === 'object' ? (f as { Name?: unknown }).Name : undefined))
      .find((n) => typeof n === 'string' && !names.includes(n) && !(tags && n.startsWith('tag:')));
    return bad === undefined
      ? undefined
      : `unknown filter "${String(bad)}"; filters: ${[...names, ...(tags ? ['tag:<key>'] : [])].join(', ')}`;
  };
}

function filterValues(max: number) {
  return (p: Params) => {
    const filters = valueAt(p, 'Filters');
    if (!Array.isArray(filters)) return undefined;
    const over = filters.find((f) => Array.isArray((f as { Values?: unknown })?.Values) && f.Values.length > max);
    return over ? `filter ${over.Name} has ${over.Values.length} values; at most ${max}` : undefined;
  };
}

function lengthBetween(path: string, min: number, max: number, secret = false) {
  return (p: Params) => {
    const value = valueAt(p, path);
    if (typeof value !== 'string' || (value.length >= min && value.length <= max)) return undefined;
    return `${path} takes ${min} to ${max} characters${secret ? '' : `, not ${value.length}`}`;
  };
}

function numberOf(p: Params, path: string): number | undefined {
  const value = valueAt(p, path);
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;
}

const RUN = ['RunInstances', 'InquiryPriceRunInstances'];
const LOGIN = ['RunInstances', 'InquiryPriceRunInstances', 'ResetInstance', 'InquiryPriceResetInstance'];
const VPC = 'VirtualPrivateCloud.PrivateIpAddresses';

export const RULES: Rule[] = [
  // ---- CVM RunInstances and the structures it takes
  {
    source: '000:20450',
    service: 'cvm',
    actions: LOGIN,
    param: 'LoginSettings',
    code: 'InvalidParameterCombination',
    says: 'Password excludes KeyIds',
    check: exclusive('LoginSettings.Password', 'LoginSettings.KeyIds'),
  },
  {
    source: '000:20450',
    service: 'cvm',
    actions: RUN,
    param: 'LoginSettings.KeyIds',
    code: 'InvalidParameterValue',
    says: 'one key pair at purchase',
    check: maxItems('LoginSettings.KeyIds', 1),
  },
  {
    source: '000:20451',
    service: 'cvm',
    actions: LOGIN,
    param: 'LoginSettings.KeepImageLogin',
    code: 'InvalidParameterCombination',
    says: 'KeepImageLogin TRUE excludes Password and KeyIds',
    check: (p) =>
      valueAt(p, 'LoginSettings.KeepImageLogin') === 'TRUE' &&
      (given(p, 'LoginSettings.Password') || given(p, 'LoginSettings.KeyIds'))
        ? 'KeepImageLogin TRUE keeps the image login: give no Password or KeyIds with it'
        : undefined,
  },
  {
    source: '000:20449',
    service: 'cvm',
    actions: LOGIN,
    param: 'LoginSettings.Password',
    code: 'InvalidPassword',
    says: 'password 10 to 30 characters',
    check: lengthBetween('LoginSettings.Password', 10, 30, true),
  },
  {
    source: '000:20083',
    service: 'cvm',
    actions: RUN,
    param: 'InternetAccessible.PublicIpAssigned',
    code: 'InvalidParameterCombination',
    says: 'bandwidth above 0 needs PublicIpAssigned, 0 forbids it',
    check: (p) => {
      const bandwidth = numberOf(p, 'InternetAccessible.InternetMaxBandwidthOut') ?? 0;
      const assigned = valueAt(p, 'InternetAccessible.PublicIpAssigned');
      if (bandwidth > 0 && assigned === false)
        return `InternetMaxBandwidthOut ${bandwidth} needs PublicIpAssigned true (or bandwidth 0)`;
      if (bandwidth === 0 && assigned === true) return 'PublicIpAssigned true needs InternetMaxBandwidthOut above 0';
      return undefined;
    },
  },
  {
    source: '000:18181',
    service: 'cvm',
    actions: RUN,
    param: VPC,
    code: 'InvalidParameter.InvalidIpFormat',
    says: 'private IPs are IPv4 addresses',
    check: each(VPC, isIpv4, 'is not an IPv4 address'),
  },
  {
    source: '000:18139',
    service: 'cvm',
    actions: RUN,
    param: VPC,
    code: 'InvalidParameterCombination',
    says: 'private IPs: InstanceCount 1 or 2, one IP per instance',
    check: (p) => {
      const ips = valueAt(p, VPC);
      if (!Array.isArray(ips) || ips.length === 0) return undefined;
      const count = numberOf(p, 'InstanceCount') ?? 1;
      if (count > 2) return `with PrivateIpAddresses, InstanceCount is 1 or 2, not ${count}`;
      if (ips.length !== count) return `${ips.length} private IPs for ${count} instance${count > 1 ? 's' : ''}`;
      return undefined;
    },
  },
  {
    source: '000:18150',
    service: 'cvm',
    actions: ['RunInstances'],
    param: 'HostName',
    code: 'InvalidParameterValue',
    says: 'HostName shape',
    check: (p) => {
      const name = valueAt(p, 'HostName');
      const problem = typeof name === 'string' ? hostNameProblem(name) : undefined;
      return problem && `HostName "${String(name)}" ${problem}`;
    },
  },
  ...(
    [
      ['000:15813', 'CreateLaunchTemplate'],
      ['000:16043', 'ModifyLaunchTemplate'],
    ] as const
  ).map(
    ([source, action]): Rule => ({
      source,
      service: 'cvm',
      actions: [action],
      param: 'HostName',
      code: 'InvalidParameterValue',
      says: 'HostName shape, 2 to 60',
      check: (p) => {
        const name = valueAt(p, 'HostName');
        const problem = typeof name === 'string' ? hostNameProblem(name, 60, true) : undefined;
        return problem && `HostName "${String(name)}" ${problem}`;
      },
    }),
  ),
  ...(
    [
      ['000:15815', 'CreateLaunchTemplate'],
      ['000:16045', 'ModifyLaunchTemplate'],
    ] as const
  ).map(
    ([source, action]): Rule => ({
      source,
      service: 'cvm',
      actions: [action],
      param: 'DisasterRecoverGroupIds',
      code: 'InvalidParameterValueLimit',
      says: 'one placement group',
      check: maxItems('DisasterRecoverGroupIds', 1),
    }),
  ),
  ...(
    [
      ['000:15852', 'CreateLaunchTemplate'],
      ['000:16081', 'ModifyLaunchTemplate'],
    ] as const
  ).map(
    ([source, action]): Rule => ({
      source,
      service: 'cvm',
      actions: [action],
      param: VPC,
      code: 'InvalidParameter.InvalidIpFormat',
      says: 'private IPs are IPv4 addresses',
      check: each(VPC, isIpv4, 'is not an IPv4 address'),
    }),
  ),
  {
    source: '000:18152',
    service: 'cvm',
    actions: ['RunInstances'],
    param: 'DisasterRecoverGroupIds',
    code: 'InvalidParameterValue',
    says: 'one placement group',
    check: maxItems('DisasterRecoverGroupIds', 1),
  },
  {
    source: '000:18129',
    service: 'cvm',
    actions: ['RunInstances'],
    param: 'InstanceChargeType',
    code: 'InvalidParameterValue',
    // PREPAID is not in the list, but InstanceChargePrepaid (000:18130) and InstanceType (000:18134) name it.
    says: 'charge types POSTPAID_BY_HOUR, CDHPAID, PREPAID',
    check: oneOfValues('InstanceChargeType', ['POSTPAID_BY_HOUR', 'CDHPAID', 'PREPAID']),
  },
  {
    source: '000:18129',
    service: 'cvm',
    actions: RUN,
    param: 'Placement.HostIds',
    code: 'MissingParameter',
    says: 'CDHPAID needs Placement.HostIds',
    check: (p) =>
      valueAt(p, 'InstanceChargeType') === 'CDHPAID' && !given(p, 'Placement.HostIds')
        ? 'InstanceChargeType CDHPAID needs Placement.HostIds'
        : undefined,
  },
  {
    source: '000:18130',
    service: 'cvm',
    actions: RUN,
    param: 'InstanceChargePrepaid',
    code: 'MissingParameter',
    says: 'PREPAID needs InstanceChargePrepaid',
    check: (p) =>
      valueAt(p, 'InstanceChargeType') === 'PREPAID' && !given(p, 'InstanceChargePrepaid')
        ? 'InstanceChargeType PREPAID needs InstanceChargePrepaid (Period)'
        : undefined,
  },
  // ---- CVM passwords, images, instances, key pairs
  {
    source: '000:17963',
    service: 'cvm',
    actions: ['ResetInstancesPassword'],
    param: 'Password',
    code: 'InvalidPassword',
    says: 'password 8 to 16 characters, not starting with /',
    check: (p) => {
      const password = valueAt(p, 'Password');
      if (typeof password !== 'string') return undefined;
      if (password.length < 8 || password.length > 16) return 'Password takes 8 to 16 characters (Windows 12 to 16)';
      return password.startsWith('/') ? "Password may not start with '/'" : undefined;
    },
  },
  {
    source: '000:18887',
    service: 'cvm',
    actions: ['CreateImage'],
    param: 'SnapshotIds',
    code: 'InvalidParameterCombination',
    says: 'SnapshotIds excludes InstanceId',
    check: exclusive('InstanceId', 'SnapshotIds'),
  },
  {
    source: '000:19105',
    service: 'cvm',
    actions: ['DescribeImages'],
    param: 'Filters',
    code: 'InvalidParameter.InvalidParameterCoexistImageIdsFilters',
    says: 'ImageIds excludes Filters',
    check: exclusive('ImageIds', 'Filters'),
  },
  {
    source: '000:19105',
    service: 'cvm',
    actions: ['DescribeImages'],
    param: 'Filters',
    code: 'InvalidFilter',
    says: 'filters image-id and image-type only',
    check: filterNames(['image-id', 'image-type']),
  },
  {
    source: '000:19105',
    service: 'cvm',
    actions: ['DescribeImages'],
    param: 'Filters',
    code: 'InvalidParameterValue.InvalidParameterValueLimit',
    says: 'at most 5 values per filter',
    check: filterValues(5),
  },
  {
    source: '000:16686',
    service: 'cvm',
    actions: ['DescribeInstances'],
    param: 'Filters',
    code: 'InvalidParameter',
    says: 'InstanceIds excludes Filters',
    check: exclusive('InstanceIds', 'Filters'),
  },
  {
    source: '000:16686',
    service: 'cvm',
    actions: ['DescribeInstances'],
    param: 'Filters',
    code: 'InvalidFilter',
    says: 'the documented filters only',
    check: filterNames(INSTANCE_FILTERS, true),
  },
  {
    source: '000:16686',
    service: 'cvm',
    actions: ['DescribeInstances'],
    param: 'Filters',
    code: 'InvalidFilterValue.LimitExceeded',
    says: 'at most 5 values per filter',
    check: filterValues(5),
  },
  {
    source: '000:16872',
    service: 'cvm',
    actions: ['DescribeZoneInstanceConfigInfos'],
    param: 'Filters',
    code: 'InvalidParameterValue',
    says: 'filters zone, instance-family, instance-type, instance-charge-type',
    check: filterNames(['zone', 'instance-family', 'instance-type', 'instance-charge-type']),
  },
  {
    source: '000:18566',
    service: 'cvm',
    actions: ['CreateKeyPair'],
    param: 'ProjectId',
    code: 'InvalidProjectId.NotFound',
    says: 'ProjectId only 0',
    check: oneOfValues('ProjectId', [0]),
  },
  {
    source: '000:18565',
    service: 'cvm',
    actions: ['CreateKeyPair'],
    param: 'KeyName',
    code: 'InvalidKeyPairNameIncludeIllegalChar',
    says: 'KeyName letters, digits and underscores',
    check: each('KeyName', (s) => /^[A-Za-z0-9_]*$/.test(s), 'takes letters, digits and underscores only'),
  },
  {
    source: '000:18664',
    service: 'cvm',
    actions: ['DescribeKeyPairs'],
    param: 'Filters',
    code: 'InvalidParameter',
    says: 'KeyIds excludes Filters',
    check: exclusive('KeyIds', 'Filters'),
  },
  {
    source: '000:18685',
    service: 'cvm',
    actions: ['DescribeKeyPairs'],
    param: 'Offset',
    code: 'InvalidParameterValueOffset',
    says: 'Offset 0 or more',
    check: (p) => ((numberOf(p, 'Offset') ?? 0) < 0 ? 'Offset must be 0 or more' : undefined),
  },
  // ---- CFS
  {
    source: '002:5063',
    service: 'cfs',
    versions: ['2019-07-19'],
    actions: ['CreateCfsFileSystem'],
    param: 'FsName',
    code: 'MissingParameter',
    says: 'FsName or CreationToken',
    check: atLeastOne(['FsName', 'CreationToken']),
  },
  {
    source: '002:5529',
    service: 'cfs',
    versions: ['2019-07-19'],
    actions: ['UpdateCfsFileSystemName'],
    param: 'FsName',
    code: 'InvalidParameterValue.MissingFsParameter',
    says: 'FsName or CreationToken',
    check: atLeastOne(['FsName', 'CreationToken']),
  },
  {
    source: '002:6152',
    service: 'cfs',
    versions: ['2019-07-19'],
    actions: ['UpdateCfsPGroup'],
    param: 'Name',
    code: 'InvalidParameterValue.MissingNameOrDescinfo',
    says: 'Name or DescInfo',
    check: atLeastOne(['Name', 'DescInfo']),
  },
  ...(
    [
      ['002:5829', 'CreateCfsPGroup'],
      ['002:6152', 'UpdateCfsPGroup'],
    ] as const
  ).map(
    ([source, action]): Rule => ({
      source,
      service: 'cfs',
      versions: ['2019-07-19'],
      actions: [action],
      param: 'Name',
      code: 'InvalidParameterValue.InvalidPgroupName',
      says: 'Name in Chinese, letters, digits, _ and -',
      check: each(
        'Name',
        (s) => /^[\u4e00-\u9fa5A-Za-z0-9_-]*$/.test(s),
        'takes Chinese, letters, digits, _ and - only',
      ),
    }),
  ),
  {
    source: '002:5054',
    service: 'cfs',
    versions: ['2019-07-19'],
    actions: ['CreateCfsFileSystem'],
    param: 'VpcId',
    code: 'InvalidParameterValue.MissingVpcidOrUnvpcid',
    says: 'a VPC file system needs VpcId or UnVpcId',
    check: atLeastOne(['VpcId', 'UnVpcId'], (p) => valueAt(p, 'NetInterface') === 'VPC'),
  },
  {
    source: '002:5058',
    service: 'cfs',
    versions: ['2019-07-19'],
    actions: ['CreateCfsFileSystem'],
    param: 'SubnetId',
    code: 'InvalidParameterValue.MissingSubnetidOrUnsubnetid',
    says: 'a VPC file system needs SubnetId or UnSubnetId',
    check: atLeastOne(['SubnetId', 'UnSubnetId'], (p) => valueAt(p, 'NetInterface') === 'VPC'),
  },
  {
    source: '002:5124',
    service: 'cfs',
    actions: ['CreateCfsFileSystem'],
    param: 'MountIP',
    code: 'InvalidParameterValue.InvalidMountTargetIp',
    says: 'MountIP is an IPv4 address',
    check: each('MountIP', isIpv4, 'is not an IPv4 address'),
  },
];

/** The rules of one action. */
export function rulesFor(service: string, version: string, action: string): Rule[] {
  return RULES.filter(
    (r) => r.service === service && r.actions.includes(action) && (!r.versions || r.versions.includes(version)),
  );
}
