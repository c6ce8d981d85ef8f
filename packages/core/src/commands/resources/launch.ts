/**
 * Launching instances: `cvm run` (RunInstances), and what a launch is chosen from — `cvm types` (what each zone
 * sells, with prices) and `cvm templates` (launch templates). A password is never part of the command: with
 * --ask-password it is asked privately when the plan is confirmed; with --keypair none is set; with neither, TCE
 * generates one and sends it by station message (the docs' default for LoginSettings).
 */
import type { TceClient } from '../../api/client.ts';
import { InputError } from '../../api/errors.ts';
import { checkId } from '../../catalog/ids.ts';
import { readItemPrice } from '../price.ts';
import type { ChangeDraft, CommandSpec, ParsedCommand } from '../spec.ts';
import type { TableView } from '../types.ts';
import { PAGE_FLAGS, pageParams, parseTagFlags } from './common.ts';

export const CHARGE_TYPES = ['POSTPAID_BY_HOUR', 'PREPAID'] as const;
/** Months a prepaid launch may buy (the docs' InvalidPeriod list). */
export const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36];

interface TemplateData {
  Placement?: { Zone?: string };
  InstanceType?: string;
  InstanceName?: string;
  InstanceChargeType?: string;
  ImageId?: string;
  SystemDisk?: { DiskType?: string; DiskSize?: number };
  DataDisks?: { DiskType?: string; DiskSize?: number }[];
  InternetAccessible?: Record<string, unknown>;
  VirtualPrivateCloud?: Record<string, unknown>;
  SecurityGroupIds?: string[];
  LoginSettings?: { KeyIds?: string[] };
  InstanceCount?: number;
  DisasterRecoverGroupIds?: string[];
  TagSpecification?: { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
}

interface TemplateInfo {
  LaunchTemplateId: string;
  LaunchTemplateName?: string;
  LaunchTemplateVersionData?: TemplateData;
  LaunchTemplateVersionDescription?: string;
  DefaultVersionNumber?: number;
  CreatedBy?: string;
  CreationTime?: string;
}

const TEMPLATE_ID = /^lt-[a-z0-9]{8}$/;

async function readTemplate(client: TceClient, region: string, id: string): Promise<TemplateData> {
  if (!TEMPLATE_ID.test(id))
    throw new InputError(`"${id}" is not a launch template ID`, 'InvalidParameterValue', 'they look like lt-abcd1234');
  const response = await client.call<{ LaunchTemplateSet?: TemplateInfo[] }>(
    'cvm',
    'DescribeLaunchTemplatesInfo',
    { LaunchTemplateIds: [id] },
    { region },
  );
  const found = (response.LaunchTemplateSet ?? []).find((t) => t.LaunchTemplateId === id);
  if (!found)
    throw new InputError(`no launch template ${id} in ${region}`, 'InvalidParameterValue.LaunchTemplateNotFound');
  return found.LaunchTemplateVersionData ?? {};
}

function whole(flags: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`--${name} must be a whole number from ${min} to ${max}`, 'InvalidParameterValue.Range');
  return n;
}

function words(list: string[]): string {
  return list.filter(Boolean).join(', ');
}

/** The RunInstances parameters from the flags, over the template's when one is given. */
export async function runParams(
  command: ParsedCommand,
  client: TceClient,
  region: string,
): Promise<{ params: Record<string, unknown>; summary: string; askPassword: boolean }> {
  const f = command.flags as Record<string, string | number | boolean | string[] | undefined>;
  const template = f.template ? await readTemplate(client, region, String(f.template)) : {};
  const zone = (f.zone as string | undefined) ?? template.Placement?.Zone;
  const type = (f.type as string | undefined) ?? template.InstanceType;
  const image = (f.image as string | undefined) ?? template.ImageId;
  const name = (f.name as string | undefined) ?? template.InstanceName;
  const missing = [!zone && '--zone', !type && '--type', !image && '--image', !name && '--name'].filter(Boolean);
  if (missing.length)
    throw new InputError(
      `cvm run needs ${missing.join(', ')}${f.template ? ' (the template does not give them)' : ''}`,
      'MissingParameter',
      'see "cvm types --zone Z" for what a zone sells, "cvm images" for images',
    );
  if (!checkId('image', image!))
    throw new InputError(
      `"${image}" is not a valid image ID`,
      'InvalidImageId.Malformed',
      'they look like img-abcd1234',
    );
  if (name!.length > 60) throw new InputError('--name takes at most 60 characters', 'InvalidInstanceName.TooLong');
  const keypair = f.keypair as string | undefined;
  if (keypair !== undefined && !checkId('keypair', keypair))
    throw new InputError(`"${keypair}" is not a valid key pair ID`, 'InvalidKeyPairId.Malformed', 'skey-abcd1234');
  const askPassword = f['ask-password'] === true;
  if (askPassword && keypair)
    throw new InputError('give --keypair or --ask-password, not both', 'InvalidParameterCombination');
  const count = whole(f, 'count', 1, 100) ?? template.InstanceCount ?? 1;
  const charge = (f['charge-type'] as string | undefined) ?? template.InstanceChargeType ?? 'POSTPAID_BY_HOUR';
  if (!(CHARGE_TYPES as readonly string[]).includes(charge))
    throw new InputError(`--charge-type must be ${CHARGE_TYPES.join(' or ')}`, 'InvalidParameterValue');
  const period = whole(f, 'period', 1, 36);
  if (period !== undefined && charge !== 'PREPAID')
    throw new InputError('--period is for --charge-type PREPAID', 'InvalidParameterCombination');
  if (period !== undefined && !PERIODS.includes(period))
    throw new InputError(`--period must be one of ${PERIODS.join(', ')} (months)`, 'InvalidPeriod');
  const systemDisk = whole(f, 'system-disk-size', 20, 1024);
  const dataSizes = ((f['data-disk-size'] as string[] | undefined) ?? []).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 10 || n > 32000)
      throw new InputError('--data-disk-size must be a whole number of GB from 10 to 32000', 'InvalidParameterValue');
    return n;
  });
  const bandwidth = whole(f, 'bandwidth', 0, 1000);
  const tags = parseTagFlags(f.tag).map(([Key, Value]) => ({ Key, Value }));
  const templateTags = (template.TagSpecification ?? []).filter((t) => t.ResourceType === 'instance');

  const params: Record<string, unknown> = {
    Placement: { Zone: zone },
    InstanceType: type,
    ImageId: image,
    InstanceName: name,
    InstanceCount: count,
    InstanceChargeType: charge,
    ...(charge === 'PREPAID' ? { InstanceChargePrepaid: { Period: period ?? 1 } } : {}),
    // TCE's default system disk is LOCAL_BASIC (000:20290), which can neither grow nor change type: launch on a
    // premium cloud disk unless the template names one.
    SystemDisk: {
      DiskType: 'CLOUD_PREMIUM',
      ...template.SystemDisk,
      ...(systemDisk !== undefined ? { DiskSize: systemDisk } : {}),
    },
    ...(dataSizes.length
      ? { DataDisks: dataSizes.map((DiskSize) => ({ DiskSize })) }
      : template.DataDisks
        ? { DataDisks: template.DataDisks }
        : {}),
    ...(bandwidth !== undefined
      ? { InternetAccessible: { InternetMaxBandwidthOut: bandwidth, PublicIpAssigned: bandwidth > 0 } }
      : template.InternetAccessible
        ? { InternetAccessible: template.InternetAccessible }
        : {}),
    ...(template.VirtualPrivateCloud ? { VirtualPrivateCloud: template.VirtualPrivateCloud } : {}),
    ...(template.SecurityGroupIds ? { SecurityGroupIds: template.SecurityGroupIds } : {}),
    ...(template.DisasterRecoverGroupIds ? { DisasterRecoverGroupIds: template.DisasterRecoverGroupIds } : {}),
    ...(keypair
      ? { LoginSettings: { KeyIds: [keypair] } }
      : !askPassword && template.LoginSettings?.KeyIds?.length
        ? { LoginSettings: { KeyIds: template.LoginSettings.KeyIds } }
        : {}),
    ...(tags.length || templateTags.length
      ? {
          TagSpecification: [{ ResourceType: 'instance', Tags: [...templateTags.flatMap((t) => t.Tags), ...tags] }],
        }
      : {}),
  };
  const keyIds = (params.LoginSettings as { KeyIds?: string[] } | undefined)?.KeyIds;
  const login = keyIds?.length
    ? `key pair ${keyIds.join(', ')}`
    : askPassword
      ? 'a password you give privately'
      : 'a password TCE generates and sends by station message';
  const what = count === 1 ? `instance "${name}"` : `${count} instances "${name}-1".."${name}-${count}"`;
  const billing = charge === 'PREPAID' ? `prepaid for ${period ?? 1} month(s)` : 'pay-as-you-go';
  const summary = `Launch ${what} in ${region}: ${words([zone!, type!, image!, billing])}; log in with ${login}.`;
  return { params, summary, askPassword };
}

async function runDraft(command: ParsedCommand, client: TceClient, region: string): Promise<ChangeDraft> {
  const { params, summary, askPassword } = await runParams(command, client, region);
  return {
    service: 'cvm',
    action: 'RunInstances',
    targetKind: 'instance',
    targetIds: [],
    params,
    verb: 'Launch',
    summary,
    ...(askPassword ? { secret: 'Password' as const } : {}),
  };
}

interface QuotaRow {
  Zone: string;
  InstanceType: string;
  InstanceFamily?: string;
  InstanceChargeType?: string;
  Cpu?: number;
  Memory?: number;
  Status?: string;
  Price?: Parameters<typeof readItemPrice>[0];
}

/** "¥0.40/h" or "¥201.60/month": a list price as people read it. */
function priceCell(row: QuotaRow): string {
  const quote = readItemPrice(row.Price);
  if (!quote) return '';
  return `¥${quote.amount.toFixed(2)}${quote.unit === 'hour' ? '/h' : '/month'}`;
}

async function types(command: ParsedCommand, client: TceClient, region: string): Promise<TableView> {
  const f = command.flags;
  const charge = String(f['charge-type'] ?? 'POSTPAID_BY_HOUR');
  const filters = [{ Name: 'instance-charge-type', Values: [charge] }];
  if (f.zone) filters.push({ Name: 'zone', Values: [String(f.zone)] });
  if (f.family) filters.push({ Name: 'instance-family', Values: [String(f.family)] });
  const response = await client.call<{ InstanceTypeQuotaSet?: QuotaRow[] }>(
    'cvm',
    'DescribeZoneInstanceConfigInfos',
    { Filters: filters },
    { region },
  );
  const rows = (response.InstanceTypeQuotaSet ?? [])
    .filter((r) => (r.InstanceChargeType ?? charge) === charge)
    .sort(
      (a, b) =>
        a.Zone.localeCompare(b.Zone) ||
        (readItemPrice(a.Price)?.amount ?? 0) - (readItemPrice(b.Price)?.amount ?? 0) ||
        a.InstanceType.localeCompare(b.InstanceType),
    );
  return {
    kind: 'raw',
    title: `Instance types ${f.zone ? `in ${f.zone}` : `in ${region}`} (${charge})`,
    columns: [
      { key: 'zone', title: 'Zone' },
      { key: 'type', title: 'Type' },
      { key: 'family', title: 'Family' },
      { key: 'cpu', title: 'CPU' },
      { key: 'memory', title: 'Memory (GB)' },
      { key: 'price', title: 'Price' },
      { key: 'status', title: 'Status' },
    ],
    rows: rows.map((r) => ({
      zone: r.Zone,
      type: r.InstanceType,
      family: r.InstanceFamily ?? '',
      cpu: String(r.Cpu ?? ''),
      memory: String(r.Memory ?? ''),
      price: priceCell(r),
      status: r.Status ?? '',
    })),
    items: rows as unknown as Record<string, unknown>[],
    ids: rows.map((r) => `${r.Zone}/${r.InstanceType}`),
    states: rows.map((r) => r.Status ?? ''),
    total: rows.length,
    requestIds: [(response as { RequestId?: string }).RequestId ?? ''].filter(Boolean),
  };
}

async function templates(command: ParsedCommand, client: TceClient, region: string): Promise<TableView> {
  const response = await client.call<{ LaunchTemplateSet?: TemplateInfo[]; TotalCount?: number; RequestId: string }>(
    'cvm',
    'DescribeLaunchTemplatesInfo',
    pageParams(command.flags),
    { region },
  );
  const items = response.LaunchTemplateSet ?? [];
  return {
    kind: 'raw',
    title: 'Launch templates',
    columns: [
      { key: 'name', title: 'Name' },
      { key: 'id', title: 'ID' },
      { key: 'version', title: 'Default version' },
      { key: 'zone', title: 'Zone' },
      { key: 'type', title: 'Type' },
      { key: 'image', title: 'Image' },
      { key: 'description', title: 'Description' },
    ],
    rows: items.map((t) => ({
      name: t.LaunchTemplateName ?? '',
      id: t.LaunchTemplateId,
      version: String(t.DefaultVersionNumber ?? ''),
      zone: t.LaunchTemplateVersionData?.Placement?.Zone ?? '',
      type: t.LaunchTemplateVersionData?.InstanceType ?? '',
      image: t.LaunchTemplateVersionData?.ImageId ?? '',
      description: t.LaunchTemplateVersionDescription ?? '',
    })),
    items: items as unknown as Record<string, unknown>[],
    ids: items.map((t) => t.LaunchTemplateId),
    total: response.TotalCount,
    requestIds: [response.RequestId],
  };
}

export const launchCommands: CommandSpec[] = [
  {
    path: ['cvm', 'run'],
    summary: 'Launch instances (RunInstances), priced and checked by TCE first, followed to RUNNING',
    args: [],
    flags: {
      zone: { type: 'string', description: 'availability zone, e.g. ap-guangzhou-3 (see "cvm types")' },
      type: { type: 'string', description: 'instance type, e.g. S5.MEDIUM4' },
      image: { type: 'string', description: 'image ID, img-...' },
      name: { type: 'string', description: 'instance name (with --count: name-1, name-2, ...)' },
      count: { type: 'number', description: 'how many, 1-100 (default 1)' },
      keypair: { type: 'string', description: 'key pair ID (skey-...) to log in with (Linux)' },
      'ask-password': {
        type: 'boolean',
        description: 'set a login password, asked privately when you confirm (never in the command)',
      },
      'system-disk-size': { type: 'number', description: 'system disk in GB, 20-1024' },
      'data-disk-size': { type: 'number', repeatable: true, description: 'a data disk in GB; repeat for several' },
      bandwidth: { type: 'number', description: 'public bandwidth in Mbps (0 = no public IP)' },
      tag: { type: 'string', repeatable: true, description: 'key=value; repeat for several' },
      template: { type: 'string', description: 'launch template ID (lt-...): its values, under the flags given' },
      'charge-type': { type: 'string', upper: true, choices: CHARGE_TYPES, description: 'default POSTPAID_BY_HOUR' },
      period: { type: 'number', description: 'months to prepay, with --charge-type PREPAID (default 1)' },
    },
    conflicts: [['keypair', 'ask-password']],
    examples: [
      'cvm run --zone ap-guangzhou-3 --type S5.MEDIUM4 --image img-9qabwvbn --name web-9 --keypair skey-abcd1234',
      'cvm run --template lt-abcd1234 --name batch --count 3',
      'cvm run --zone ap-guangzhou-2 --type S5.LARGE8 --image img-9qabwvbn --name db-3 --charge-type PREPAID --period 12 --ask-password',
    ],
    change: (command, { client, region }) => runDraft(command, client, region),
  },
  {
    path: ['cvm', 'types'],
    reads: ['cvm:DescribeZoneInstanceConfigInfos'],
    summary: 'What each zone sells, with its price (DescribeZoneInstanceConfigInfos)',
    args: [],
    flags: {
      zone: { type: 'string', description: 'one zone, e.g. ap-guangzhou-3' },
      family: { type: 'string', description: 'one family, e.g. S5' },
      'charge-type': { type: 'string', upper: true, choices: CHARGE_TYPES, description: 'default POSTPAID_BY_HOUR' },
    },
    examples: ['cvm types', 'cvm types --zone ap-guangzhou-3', 'cvm types --charge-type PREPAID --family S5'],
    read: (command, { client, region }) => types(command, client, region),
  },
  {
    path: ['cvm', 'templates'],
    reads: ['cvm:DescribeLaunchTemplatesInfo'],
    summary: 'List launch templates (use one with "cvm run --template lt-...")',
    args: [],
    flags: { ...PAGE_FLAGS },
    examples: ['cvm templates'],
    read: (command, { client, region }) => templates(command, client, region),
  },
];
