/**
 * CVM instances: run, describe (filters, paging), status, start, stop, reboot, reinstall, reset password,
 * rename, resize, change type, terminate, denied actions. An operation puts the instance in its intermediate
 * state with LatestOperation/LatestOperationState, and the end state follows after the configured duration.
 *
 * Choices where the docs are silent or contradict themselves (see the README):
 * - a wrong state is refused with InvalidInstanceState; "running, and ForceStop not given" with
 *   UnsupportedOperation.InstanceStateRunning; an instance still in an operation with MutexOperation.TaskRunning;
 * - a batch is refused as a whole when one instance may not take the operation (nothing changes);
 * - TerminateInstances: TERMINATING, then gone (no recycle bin);
 * - ResetInstance shows REBOOTING until done; StoppedMode takes KEEP_CHARGING/STOP_CHARGING.
 */
import { type Durations, isoTime } from '../../clock.ts';
import { ApiFailure, fail } from '../../failure.ts';
import { findInstanceType, regionOf, zoneIn } from '../../geography.ts';
import { type EmulatorState, GONE, type Instance, nextId, type Stored } from '../../state.ts';
import { schedule } from '../../transitions.ts';
import { applyFilters, type Filter, type FilterFields, inRegion, page, requireAll } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { findImageForLaunch } from './images.ts';
import { instanceView } from './instance-view.ts';
import { sellableType } from './price-list.ts';
import { checkPasswordFor } from './validate/passwords.ts';
import { checkRunInstances } from './validate/run-instances.ts';

/** RunInstances without InstanceType (000:18134). */
export const DEFAULT_INSTANCE_TYPE = 'S1.SMALL1';

/** States an instance must be in for each operation (the docs' 只有状态为 … 才可以). */
export const ALLOWED_STATES: Record<string, string[]> = {
  StartInstances: ['STOPPED'],
  StopInstances: ['RUNNING'],
  RebootInstances: ['RUNNING'],
  ResetInstance: ['RUNNING', 'STOPPED'],
  ResetInstancesPassword: ['RUNNING', 'STOPPED'],
  ResetInstancesType: ['RUNNING', 'STOPPED'],
  ResizeInstanceDisks: ['RUNNING', 'STOPPED'],
  AssociateInstancesKeyPairs: ['RUNNING', 'STOPPED'],
  DisassociateInstancesKeyPairs: ['RUNNING', 'STOPPED'],
  ModifyInstancesAttribute: ['PENDING', 'RUNNING', 'STOPPED', 'STARTING', 'STOPPING', 'REBOOTING', 'LAUNCH_FAILED'],
  TerminateInstances: ['RUNNING', 'STOPPED', 'LAUNCH_FAILED', 'SHUTDOWN'],
  CreateImage: ['RUNNING', 'STOPPED'],
  ModifyInstancesVpcAttribute: ['RUNNING', 'STOPPED'],
  UpdateInstanceVpcConfig: ['RUNNING', 'STOPPED'],
};

/** Operations that need the instance stopped, unless ForceStop lets them stop it first. */
const STOPPED_OR_FORCE = new Set([
  'ResetInstancesPassword',
  'ResetInstancesType',
  'ResizeInstanceDisks',
  'AssociateInstancesKeyPairs',
  'DisassociateInstancesKeyPairs',
]);

/** Postpaid instances a user may have per zone (000:2396). */
export const POSTPAID_PER_ZONE = 30;

/** Why an instance may not take an operation now, as the API error; undefined when it may. */
export function refusal(stored: Stored<Instance>, action: string, forceStop = false): ApiFailure | undefined {
  const instance = stored.item;
  const allowed = ALLOWED_STATES[action];
  if (allowed && !allowed.includes(instance.InstanceState)) {
    return new ApiFailure(
      'InvalidInstanceState',
      `${instance.InstanceId} is ${instance.InstanceState}; ${action} needs ${allowed.join(' or ')}`,
    );
  }
  if (stored.transition && action !== 'TerminateInstances' && action !== 'ModifyInstancesAttribute') {
    return new ApiFailure(
      'MutexOperation.TaskRunning',
      `${instance.InstanceId} is still in ${instance.LatestOperation ?? 'an operation'}; retry when LatestOperationState is no longer OPERATING`,
    );
  }
  if (STOPPED_OR_FORCE.has(action) && instance.InstanceState === 'RUNNING' && !forceStop) {
    return new ApiFailure(
      'UnsupportedOperation.InstanceStateRunning',
      `${instance.InstanceId} is RUNNING; stop it first or set ForceStop to let ${action} stop it`,
    );
  }
  return undefined;
}

/** The instances of a batch, all of which must exist and may take the operation; otherwise nothing changes. */
export function instancesFor(call: Call, ids: string[], action: string, forceStop = false): Stored<Instance>[] {
  const found = requireAll(call.state.cvm.instances, ids, call.region, 'InvalidInstanceId.NotFound', 'instance');
  for (const stored of found) {
    const refused = refusal(stored, action, forceStop);
    if (refused) throw refused;
  }
  return found;
}

/** FlowId is an Int64: these go beyond 2^53, so a client that reads them as doubles shows it (TaskId has the digits). */
export function flow(state: EmulatorState): { TaskId: string; FlowId: bigint } {
  state.counter += 1;
  const id = 9007199254740993n + BigInt(state.counter);
  return { TaskId: String(id), FlowId: id };
}

/** Start an operation: the intermediate state now, the end state (or GONE) after `ms`. */
export function operate(
  call: Call,
  stored: Stored<Instance>,
  operation: string,
  during: string,
  end: string,
  ms: number,
): void {
  const instance = stored.item;
  instance.InstanceState = during;
  instance.LatestOperation = operation;
  instance.LatestOperationState = 'OPERATING';
  instance.LatestOperationRequestId = call.requestId;
  schedule(call.world, stored, end, ms);
}

export function isWindows(instance: { OsName: string }): boolean {
  return /windows/i.test(instance.OsName);
}

export interface NewInstance {
  region: string;
  zone: string;
  name: string;
  type: string;
  imageId: string;
  osName: string;
  chargeType?: string;
  periodMonths?: number;
  state?: string;
  tags?: { Key: string; Value: string }[];
  keyIds?: string[];
  publicIp?: boolean;
  bandwidth?: number;
  systemDiskSize?: number;
  systemDiskType?: string;
  /** The private IP asked for (RunInstances' VirtualPrivateCloud.PrivateIpAddresses); one is picked otherwise. */
  privateIp?: string;
  dataDisks?: { DiskType: string; DiskSize: number }[];
  placementGroupId?: string;
  securityGroupIds?: string[];
  projectId?: number;
  createdAt: number;
  deviceId?: number | bigint;
}

/** A private address in the region's 10.N.0.0/16, from the ID counter, so addresses do not repeat. */
function privateIp(network: number, n: number): string {
  return `10.${network}.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`;
}

function publicIp(network: number, n: number): string {
  return `${118 + network}.${24 + (Math.floor(n / 62500) % 200)}.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}

/** A complete instance record, as RunInstances and the seeds create them. */
export function buildInstance(state: EmulatorState, spec: NewInstance): Stored<Instance> {
  const region = regionOf(spec.region);
  const type = findInstanceType(spec.type);
  const id = nextId(state, 'ins-');
  const n = state.counter;
  const windows = /windows/i.test(spec.osName);
  const prepaid = spec.chargeType === 'PREPAID';
  const expires = prepaid ? spec.createdAt + (spec.periodMonths ?? 1) * 30 * 86400_000 : undefined;
  const bandwidth = spec.publicIp === false ? 0 : (spec.bandwidth ?? 0);
  const item: Instance = {
    InstanceId: id,
    InstanceName: spec.name,
    InstanceType: type.InstanceType,
    InstanceFamily: type.InstanceFamily,
    CPU: type.CPU,
    Memory: type.Memory,
    InstanceState: spec.state ?? 'RUNNING',
    Placement: { Zone: spec.zone, ProjectId: spec.projectId ?? 0 },
    InstanceChargeType: spec.chargeType ?? 'POSTPAID_BY_HOUR',
    SystemDisk: {
      DiskType: spec.systemDiskType ?? 'CLOUD_PREMIUM',
      DiskId: `disk-${id.slice(4)}`,
      DiskSize: spec.systemDiskSize ?? (windows ? 60 : 50),
    },
    DataDisks: (spec.dataDisks ?? []).map((d, i) => ({
      DiskType: d.DiskType,
      DiskId: `disk-${id.slice(5)}${i}`,
      DiskSize: d.DiskSize,
      DeleteWithInstance: true,
    })),
    PrivateIpAddresses: [spec.privateIp ?? privateIp(region.network, n)],
    PublicIpAddresses: bandwidth > 0 ? [publicIp(region.network, n)] : [],
    InternetAccessible: {
      InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
      InternetMaxBandwidthOut: bandwidth,
      PublicIpAssigned: bandwidth > 0,
    },
    VirtualPrivateCloud: { VpcId: region.vpcId, SubnetId: region.subnetId, AsVpcGateway: false },
    ImageId: spec.imageId,
    OsName: spec.osName,
    RenewFlag: 'NOTIFY_AND_MANUAL_RENEW',
    CreatedTime: isoTime(spec.createdAt),
    ExpiredTime: expires === undefined ? null : isoTime(expires),
    RestrictState: 'NORMAL',
    LatestOperation: null,
    LatestOperationState: null,
    LatestOperationRequestId: null,
    SecurityGroupIds: spec.securityGroupIds ?? [region.securityGroupId],
    LoginSettings: { KeyIds: windows ? [] : (spec.keyIds ?? []) },
    DisasterRecoverGroupId: spec.placementGroupId ?? '',
    Tags: spec.tags ?? [],
    Uuid: uuidFrom(n),
    StopChargingMode: 'NOT_APPLICABLE',
    DefaultLoginUser: windows ? 'Administrator' : /ubuntu/i.test(spec.osName) ? 'ubuntu' : 'root',
    DefaultLoginPort: windows ? 3389 : 22,
    DeviceId: spec.deviceId ?? 0,
  };
  const stored: Stored<Instance> = { region: spec.region, item };
  state.cvm.instances[id] = stored;
  for (const keyId of item.LoginSettings.KeyIds) state.cvm.keyPairs[keyId]?.item.AssociatedInstanceIds.push(id);
  if (spec.placementGroupId) state.cvm.placementGroups[spec.placementGroupId]?.item.InstanceIds.push(id);
  return stored;
}

function uuidFrom(n: number): string {
  const hex = (n * 2654435761).toString(16).padStart(12, '0').slice(-12);
  return `6f3d${hex.slice(0, 4)}-0a1b-4c2d-8e3f-${hex}`;
}

interface RunParams {
  Placement: { Zone: string; ProjectId?: number; HostIds?: string[] };
  ImageId: string;
  InstanceType?: string;
  InstanceChargeType?: string;
  InstanceChargePrepaid?: { Period: number; RenewFlag?: string };
  InstanceCount?: number;
  InstanceName?: string;
  LoginSettings?: { Password?: string; KeyIds?: string[]; KeepImageLogin?: string };
  VirtualPrivateCloud?: { VpcId?: string; SubnetId?: string; PrivateIpAddresses?: string[] };
  SystemDisk?: { DiskType?: string; DiskSize?: number };
  DataDisks?: { DiskType?: string; DiskSize?: number }[];
  InternetAccessible?: { InternetMaxBandwidthOut?: number; PublicIpAssigned?: boolean };
  SecurityGroupIds?: string[];
  ClientToken?: string;
  UserData?: string;
  HostName?: string;
  DisasterRecoverGroupIds?: string[];
  TagSpecification?: { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
}

/** The checks RunInstances and InquiryPriceRunInstances share; returns what the instances will be. */
export function checkRun(call: Call, p: RunParams) {
  zoneIn(call.region, p.Placement.Zone);
  const type = sellableType(p.Placement.Zone, p.InstanceType ?? DEFAULT_INSTANCE_TYPE);
  const image = findImageForLaunch(call, p.ImageId);
  const windows = isWindows(image);
  checkRunInstances(call, p, image, windows);
  const count = p.InstanceCount ?? 1;
  if (count < 1 || count > 100) fail('InvalidParameterValue.Range', `InstanceCount is ${count}; it must be 1 to 100`);
  if (p.InstanceName !== undefined && p.InstanceName.length > 60)
    fail('InvalidInstanceName.TooLong', `InstanceName has ${p.InstanceName.length} characters; at most 60`);
  if (p.ClientToken !== undefined && p.ClientToken.length > 64)
    fail('InvalidClientToken.TooLong', 'ClientToken is longer than 64 characters');
  // CDHPAID without HostIds and PREPAID without InstanceChargePrepaid are catalog rules (000:18129-18130).
  const chargeType = p.InstanceChargeType ?? 'POSTPAID_BY_HOUR';
  if (p.UserData !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(p.UserData) || p.UserData.length % 4 !== 0)
      fail('InvalidParameterValue', 'UserData must be base64-encoded');
    if (Buffer.from(p.UserData, 'base64').length > 16 * 1024)
      fail('InvalidParameterValue', 'UserData is larger than 16 KB once decoded');
  }
  const systemDiskSize = p.SystemDisk?.DiskSize;
  if (systemDiskSize !== undefined && (systemDiskSize < 20 || systemDiskSize > 1024))
    fail('InvalidParameterValue.Range', `SystemDisk.DiskSize is ${systemDiskSize} GB; it must be 20 to 1024`);
  for (const groupId of p.DisasterRecoverGroupIds ?? []) {
    const group = call.state.cvm.placementGroups[groupId];
    if (!group || group.region !== call.region)
      fail('FailedOperation.DisasterRecoverGroupNotFound', `no placement group ${groupId} in ${call.region}`);
    if (group.item.InstanceIds.length + count > group.item.CvmQuotaTotal)
      fail('ResourceInsufficient', `placement group ${groupId} holds at most ${group.item.CvmQuotaTotal} instances`);
  }
  if (chargeType === 'POSTPAID_BY_HOUR') {
    const inZone = inRegion(call.state.cvm.instances, call.region).filter(
      (s) => s.item.Placement.Zone === p.Placement.Zone && s.item.InstanceChargeType === 'POSTPAID_BY_HOUR',
    ).length;
    if (inZone + count > POSTPAID_PER_ZONE) {
      fail(
        'InstancesQuotaLimitExceeded',
        `${p.Placement.Zone} already has ${inZone} pay-as-you-go instances; the quota is ${POSTPAID_PER_ZONE} per zone`,
      );
    }
  }
  return { type, image, windows, count, chargeType };
}

function runInstances(call: Call) {
  const p = call.params as unknown as RunParams;
  const { state } = call;
  if (p.ClientToken && state.cvm.clientTokens[p.ClientToken]) {
    return { InstanceIdSet: state.cvm.clientTokens[p.ClientToken] };
  }
  const { type, image, count, chargeType } = checkRun(call, p);
  const tags = (p.TagSpecification ?? []).filter((t) => t.ResourceType === 'instance').flatMap((t) => t.Tags);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const baseName = p.InstanceName ?? '未命名';
    const stored = buildInstance(state, {
      region: call.region,
      zone: p.Placement.Zone,
      name: count > 1 ? `${baseName}-${i + 1}` : baseName,
      type: type.InstanceType,
      imageId: image.ImageId,
      osName: image.OsName,
      chargeType,
      periodMonths: p.InstanceChargePrepaid?.Period,
      state: 'PENDING',
      tags,
      keyIds: p.LoginSettings?.KeyIds,
      bandwidth:
        p.InternetAccessible?.PublicIpAssigned === false ? 0 : (p.InternetAccessible?.InternetMaxBandwidthOut ?? 0),
      // Documented defaults: LOCAL_BASIC, 50 GB (000:20290-20292).
      systemDiskSize: p.SystemDisk?.DiskSize ?? 50,
      systemDiskType: p.SystemDisk?.DiskType ?? 'LOCAL_BASIC',
      privateIp: p.VirtualPrivateCloud?.PrivateIpAddresses?.[i],
      dataDisks: (p.DataDisks ?? []).map((d) => ({
        DiskType: d.DiskType ?? 'CLOUD_PREMIUM',
        DiskSize: d.DiskSize ?? 50,
      })),
      placementGroupId: p.DisasterRecoverGroupIds?.[0],
      securityGroupIds: p.SecurityGroupIds,
      projectId: p.Placement.ProjectId,
      createdAt: call.now,
    });
    operate(call, stored, 'RunInstances', 'PENDING', 'RUNNING', call.world.durations.instanceLaunch);
    ids.push(stored.item.InstanceId);
  }
  if (p.ClientToken) state.cvm.clientTokens[p.ClientToken] = ids;
  return { InstanceIdSet: ids };
}

/** DescribeInstances' filter table (000:16686); the catalog refuses other names before this runs. */
const FILTERS: FilterFields<Instance> = {
  zone: (i) => i.Placement.Zone,
  'project-id': (i) => i.Placement.ProjectId,
  'host-id': () => undefined,
  'vpc-id': (i) => i.VirtualPrivateCloud.VpcId,
  'subnet-id': (i) => i.VirtualPrivateCloud.SubnetId,
  'instance-id': (i) => i.InstanceId,
  'security-group-id': (i) => i.SecurityGroupIds,
  'instance-name': (i) => i.InstanceName,
  'instance-charge-type': (i) => i.InstanceChargeType,
  'instance-state': (i) => i.InstanceState,
  'private-ip-address': (i) => i.PrivateIpAddresses,
  'public-ip-address': (i) => i.PublicIpAddresses,
  'ipv6-address': () => undefined,
  'tag-key': (i) => i.Tags.map((t) => t.Key),
  'tag-value': (i) => i.Tags.map((t) => t.Value),
  'instance-family': (i) => i.InstanceFamily,
};

/** The instances a Describe* call selects, before paging. */
function select(call: Call): Instance[] {
  const p = call.params as {
    InstanceIds?: string[];
    Filters?: Filter[];
    IpAddresses?: string[];
    VagueIpAddress?: string;
    VagueInstanceName?: string;
  };
  let items: Instance[];
  if (p.InstanceIds?.length) {
    // Unknown IDs are simply absent from the answer, as the API does.
    items = [...new Set(p.InstanceIds)]
      .map((id) => call.state.cvm.instances[id])
      .filter((s): s is Stored<Instance> => s !== undefined && s.region === call.region)
      .map((s) => s.item);
  } else {
    items = inRegion(call.state.cvm.instances, call.region).map((s) => s.item);
  }
  const architectureOf = (i: Instance) => call.state.cvm.images[i.ImageId]?.item.Architecture ?? 'x86_64';
  items = applyFilters(
    items,
    p.Filters,
    { ...FILTERS, architectures: architectureOf },
    { maxValues: 5, tagsOf: (i) => i.Tags },
  );
  if (p.IpAddresses?.length) {
    const wanted = new Set(p.IpAddresses);
    items = items.filter((i) => [...i.PrivateIpAddresses, ...i.PublicIpAddresses].some((ip) => wanted.has(ip)));
  }
  if (p.VagueIpAddress) {
    const part = p.VagueIpAddress;
    items = items.filter((i) => [...i.PrivateIpAddresses, ...i.PublicIpAddresses].some((ip) => ip.includes(part)));
  }
  if (p.VagueInstanceName) {
    const part = p.VagueInstanceName.toLowerCase();
    items = items.filter((i) => i.InstanceName.toLowerCase().includes(part));
  }
  return items;
}

function describeInstances(call: Call) {
  const items = select(call);
  return { TotalCount: items.length, InstanceSet: page(items, call.params).map((i) => instanceView(call, i)) };
}

function describeInstancesStatus(call: Call) {
  const items = select(call);
  return {
    TotalCount: items.length,
    InstanceStatusSet: page(items, call.params).map((i) => ({
      InstanceId: i.InstanceId,
      InstanceState: i.InstanceState,
    })),
  };
}

function durationOf(durations: Durations, name: keyof Durations, hard = false): number {
  return hard ? Math.round(durations[name] / 2) : durations[name];
}

function startInstances(call: Call) {
  const p = call.params as { InstanceIds: string[] };
  for (const stored of instancesFor(call, p.InstanceIds, 'StartInstances')) {
    operate(call, stored, 'StartInstances', 'STARTING', 'RUNNING', call.world.durations.instanceStart);
  }
  return flow(call.state);
}

function stopInstances(call: Call) {
  const p = call.params as { InstanceIds: string[]; ForceStop?: boolean; StopType?: string; StoppedMode?: string };
  if (p.StoppedMode !== undefined && !['KEEP_CHARGING', 'STOP_CHARGING'].includes(p.StoppedMode))
    fail('InvalidParameterValue', `StoppedMode must be KEEP_CHARGING or STOP_CHARGING, not "${p.StoppedMode}"`);
  const hard = p.ForceStop === true || p.StopType === 'HARD';
  for (const stored of instancesFor(call, p.InstanceIds, 'StopInstances')) {
    operate(
      call,
      stored,
      'StopInstances',
      'STOPPING',
      'STOPPED',
      durationOf(call.world.durations, 'instanceStop', hard),
    );
    // Only pay-as-you-go instances can stop charging while stopped.
    stored.item.StopChargingMode =
      stored.item.InstanceChargeType === 'POSTPAID_BY_HOUR' ? (p.StoppedMode ?? 'KEEP_CHARGING') : 'NOT_APPLICABLE';
  }
  return flow(call.state);
}

function rebootInstances(call: Call) {
  const p = call.params as { InstanceIds: string[]; ForceReboot?: boolean; StopType?: string };
  if (p.ForceReboot !== undefined && p.StopType !== undefined)
    fail(
      'InvalidParameter',
      'ForceReboot and StopType cannot be given together; use StopType=HARD for a forced reboot',
    );
  const hard = p.ForceReboot === true || p.StopType === 'HARD';
  for (const stored of instancesFor(call, p.InstanceIds, 'RebootInstances')) {
    operate(
      call,
      stored,
      'RebootInstances',
      'REBOOTING',
      'RUNNING',
      durationOf(call.world.durations, 'instanceReboot', hard),
    );
  }
  return flow(call.state);
}

function terminateInstances(call: Call) {
  const p = call.params as { InstanceIds: string[] };
  const found = instancesFor(call, p.InstanceIds, 'TerminateInstances');
  for (const stored of found) {
    operate(call, stored, 'TerminateInstances', 'TERMINATING', GONE, call.world.durations.instanceTerminate);
  }
  return flow(call.state);
}

function resetInstance(call: Call) {
  const p = call.params as {
    InstanceId: string;
    ImageId?: string;
    SystemDisk?: { DiskSize?: number };
    LoginSettings?: { Password?: string; KeyIds?: string[] };
  };
  const [stored] = instancesFor(call, [p.InstanceId], 'ResetInstance');
  const instance = stored!.item;
  const image = findImageForLaunch(call, p.ImageId ?? instance.ImageId);
  const windows = isWindows(image);
  if (p.LoginSettings?.Password !== undefined) checkPasswordFor('ResetInstance', p.LoginSettings.Password, windows);
  const size = p.SystemDisk?.DiskSize;
  if (size !== undefined && size < instance.SystemDisk.DiskSize)
    fail(
      'InvalidParameterValue',
      `the system disk can only grow: it is ${instance.SystemDisk.DiskSize} GB, not ${size}`,
    );
  // Switching between Linux and Windows gives the system disk a new ID (000:17827).
  if (windows !== isWindows(instance)) instance.SystemDisk.DiskId = `disk-${nextId(call.state, '').slice(0, 8)}`;
  instance.ImageId = image.ImageId;
  instance.OsName = image.OsName;
  if (size !== undefined) instance.SystemDisk.DiskSize = size;
  if (windows) instance.LoginSettings.KeyIds = [];
  else if (p.LoginSettings?.KeyIds) instance.LoginSettings.KeyIds = p.LoginSettings.KeyIds;
  operate(call, stored!, 'ResetInstance', 'REBOOTING', 'RUNNING', call.world.durations.instanceReset);
  return flow(call.state);
}

/** An operation that leaves a stopped instance stopped, or stops and starts a running one (ForceStop). */
export function modifyWhileStopped(call: Call, stored: Stored<Instance>, operation: string): void {
  const running = stored.item.InstanceState === 'RUNNING';
  operate(
    call,
    stored,
    operation,
    running ? 'REBOOTING' : 'STOPPED',
    running ? 'RUNNING' : 'STOPPED',
    call.world.durations.instanceModify,
  );
}

function resetInstancesPassword(call: Call) {
  const p = call.params as { InstanceIds: string[]; Password: string; ForceStop?: boolean };
  const found = instancesFor(call, p.InstanceIds, 'ResetInstancesPassword', p.ForceStop === true);
  // A batch with Linux and Windows instances follows the Windows rule (000:17963): each is checked for its OS.
  for (const stored of found) checkPasswordFor('ResetInstancesPassword', p.Password, isWindows(stored.item));
  // The password itself is not kept: nothing in the emulator could use it.
  for (const stored of found) modifyWhileStopped(call, stored, 'ResetInstancesPassword');
  return flow(call.state);
}

function resetInstancesType(call: Call) {
  const p = call.params as { InstanceIds: string[]; InstanceType: string; ForceStop?: boolean };
  const [stored] = instancesFor(call, p.InstanceIds, 'ResetInstancesType', p.ForceStop === true);
  const instance = stored!.item;
  const type = sellableType(instance.Placement.Zone, p.InstanceType);
  if (type.InstanceFamily !== instance.InstanceFamily) {
    fail(
      'InvalidParameterValue',
      `${instance.InstanceId} is ${instance.InstanceType}: the type can only change within the ${instance.InstanceFamily} family`,
    );
  }
  if (!instance.SystemDisk.DiskType.startsWith('CLOUD_'))
    fail(
      'InvalidInstance.NotSupported',
      `${instance.InstanceId} has a local system disk; only cloud disks can change type`,
    );
  instance.InstanceType = type.InstanceType;
  instance.CPU = type.CPU;
  instance.Memory = type.Memory;
  modifyWhileStopped(call, stored!, 'ResetInstancesType');
  return {};
}

function resizeInstanceDisks(call: Call) {
  const p = call.params as { InstanceId: string; SystemDisk?: { DiskSize?: number }; ForceStop?: boolean };
  const [stored] = instancesFor(call, [p.InstanceId], 'ResizeInstanceDisks', p.ForceStop === true);
  const instance = stored!.item;
  const size = p.SystemDisk?.DiskSize;
  if (size === undefined)
    fail('MissingParameter', 'SystemDisk.DiskSize is required: only the system disk can be resized');
  if (!instance.SystemDisk.DiskType.startsWith('CLOUD_'))
    fail('InvalidInstance.NotSupported', `${instance.InstanceId} has a local system disk; only cloud disks grow`);
  if (size <= instance.SystemDisk.DiskSize)
    fail(
      'InvalidParameterValue',
      `disks only grow: the system disk is ${instance.SystemDisk.DiskSize} GB, not more than ${size}`,
    );
  if ((size - instance.SystemDisk.DiskSize) % 10 !== 0) fail('InvalidParameterValue', 'disks grow in steps of 10 GB');
  instance.SystemDisk.DiskSize = size;
  modifyWhileStopped(call, stored!, 'ResizeInstanceDisks');
  return flow(call.state);
}

function modifyInstancesAttribute(call: Call) {
  const p = call.params as { InstanceIds: string[]; InstanceName?: string; SecurityGroups?: string[] };
  if (p.InstanceName !== undefined && p.InstanceName.length > 60)
    fail('InvalidInstanceName.TooLong', `InstanceName has ${p.InstanceName.length} characters; at most 60`);
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  for (const stored of found) {
    if (p.InstanceName !== undefined) stored.item.InstanceName = p.InstanceName;
    if (p.SecurityGroups !== undefined) stored.item.SecurityGroupIds = p.SecurityGroups;
    stored.item.LatestOperation = 'ModifyInstancesAttribute';
    stored.item.LatestOperationState = 'SUCCESS';
    stored.item.LatestOperationRequestId = call.requestId;
  }
  return {};
}

/** Every operation an instance may not take in its current state, with the code it would get. */
function describeInstancesDeniedActions(call: Call) {
  const p = call.params as { InstanceIds: string[] };
  const found = requireAll(
    call.state.cvm.instances,
    p.InstanceIds,
    call.region,
    'InvalidInstanceId.NotFound',
    'instance',
  );
  return {
    InstanceDeniedActionSet: found.map((stored) => ({
      InstanceId: stored.item.InstanceId,
      DeniedActions: Object.keys(ALLOWED_STATES)
        .map((action) => ({ action, refused: refusal(stored, action, true) }))
        .filter((r) => r.refused)
        .map((r) => ({ Action: r.action, Code: r.refused!.code, Message: r.refused!.message })),
    })),
  };
}

export const instanceHandlers: Handlers = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  DescribeInstancesStatus: describeInstancesStatus,
  StartInstances: startInstances,
  StopInstances: stopInstances,
  RebootInstances: rebootInstances,
  TerminateInstances: terminateInstances,
  ResetInstance: resetInstance,
  ResetInstancesPassword: resetInstancesPassword,
  ResetInstancesType: resetInstancesType,
  ResizeInstanceDisks: resizeInstanceDisks,
  ModifyInstancesAttribute: modifyInstancesAttribute,
  DescribeInstancesDeniedActions: describeInstancesDeniedActions,
};
