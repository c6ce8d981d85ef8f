/**
 * Instance networking and console: public bandwidth (changes at once for pay-as-you-go bandwidth), VPC and
 * private IP changes (stop, change, start: ForceStop defaults to TRUE; LatestOperationState tells when it is
 * done), the VNC console URL, and the types an instance can change to.
 */
import { randomBytes } from 'node:crypto';
import { fail } from '../../failure.ts';
import { regionOf } from '../../geography.ts';
import type { Instance, Stored } from '../../state.ts';
import { applyFilters, type Filter, inRegion } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { flow, instancesFor, operate } from './instances.ts';
import { typesSoldIn } from './price-list.ts';

const MAX_BANDWIDTH = 200;

function resetInstancesInternetMaxBandwidth(call: Call) {
  const p = call.params as {
    InstanceIds: string[];
    InternetAccessible: { InternetMaxBandwidthOut?: number };
    StartTime?: string;
  };
  const bandwidth = p.InternetAccessible.InternetMaxBandwidthOut;
  if (bandwidth === undefined) fail('MissingParameter', 'InternetAccessible.InternetMaxBandwidthOut is required');
  if (bandwidth < 0 || bandwidth > MAX_BANDWIDTH)
    fail('InvalidParameterValue.Range', `InternetMaxBandwidthOut must be 0 to ${MAX_BANDWIDTH} Mbps`);
  if (p.StartTime !== undefined)
    fail(
      'InvalidParameter',
      'StartTime and EndTime are for BANDWIDTH_PREPAID bandwidth; these instances are billed by traffic',
    );
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  for (const stored of found) {
    const instance = stored.item;
    instance.InternetAccessible.InternetMaxBandwidthOut = bandwidth;
    instance.InternetAccessible.PublicIpAssigned = bandwidth > 0 || instance.PublicIpAddresses.length > 0;
    if (bandwidth > 0 && instance.PublicIpAddresses.length === 0) {
      const network = regionOf(stored.region).network;
      const n = call.state.counter++;
      instance.PublicIpAddresses = [
        `${118 + network}.${30 + (Math.floor(n / 62500) % 200)}.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`,
      ];
    }
  }
  return flow(call.state);
}

interface VpcInput {
  VpcId?: string;
  SubnetId?: string;
  PrivateIpAddresses?: string[];
}

/** The new address must be in the region's 10.N.0.0/16 and not used by another instance. */
function checkAddresses(call: Call, stored: Stored<Instance>, vpc: VpcInput): void {
  const region = regionOf(stored.region);
  if (vpc.VpcId && vpc.VpcId !== region.vpcId)
    fail('InvalidParameterValue', `only ${region.vpcId} exists in ${stored.region}; VPC ${vpc.VpcId} does not`);
  if (vpc.SubnetId && vpc.SubnetId !== region.subnetId)
    fail('InvalidParameterValue', `only subnet ${region.subnetId} exists in ${stored.region}`);
  for (const ip of vpc.PrivateIpAddresses ?? []) {
    if (!new RegExp(`^10\\.${region.network}\\.\\d{1,3}\\.\\d{1,3}$`).test(ip))
      fail('VpcAddrNotInSubNet', `${ip} is not in the subnet 10.${region.network}.0.0/16`);
    const user = inRegion(call.state.cvm.instances, stored.region).find(
      (s) => s !== stored && s.item.PrivateIpAddresses.includes(ip),
    );
    if (user) fail('VpcIpIsUsed', `${ip} is used by ${user.item.InstanceId}`);
  }
}

function changeVpc(call: Call, ids: string[], vpc: VpcInput, forceStop: boolean | undefined, operation: string) {
  const found = instancesFor(call, ids, 'ModifyInstancesAttribute');
  for (const stored of found) {
    if (!['RUNNING', 'STOPPED'].includes(stored.item.InstanceState))
      fail(
        'InvalidInstanceState',
        `${stored.item.InstanceId} is ${stored.item.InstanceState}; it must be RUNNING or STOPPED`,
      );
    if (stored.item.InstanceState === 'RUNNING' && forceStop === false)
      fail('UnsupportedOperation.InstanceStateRunning', `${stored.item.InstanceId} is RUNNING and ForceStop is FALSE`);
    checkAddresses(call, stored, vpc);
  }
  if ((vpc.PrivateIpAddresses?.length ?? 0) > 0 && found.length > 1)
    fail('InvalidParameter', 'PrivateIpAddresses can be given for one instance at a time');
  for (const stored of found) {
    if (vpc.PrivateIpAddresses?.length) stored.item.PrivateIpAddresses = [...vpc.PrivateIpAddresses];
    const running = stored.item.InstanceState === 'RUNNING';
    // Stop, change, start: a running instance passes through STOPPING and comes back RUNNING.
    operate(
      call,
      stored,
      operation,
      running ? 'STOPPING' : 'STOPPED',
      running ? 'RUNNING' : 'STOPPED',
      call.world.durations.instanceModify,
    );
  }
}

function modifyInstancesVpcAttribute(call: Call) {
  const p = call.params as { InstanceIds: string[]; VirtualPrivateCloud: VpcInput; ForceStop?: boolean };
  changeVpc(call, p.InstanceIds, p.VirtualPrivateCloud, p.ForceStop, 'ModifyInstancesVpcAttribute');
  return flow(call.state);
}

function updateInstanceVpcConfig(call: Call) {
  const p = call.params as { InstanceId: string; VirtualPrivateCloud: VpcInput; ForceStop?: boolean };
  const current = call.state.cvm.instances[p.InstanceId];
  if (current && p.VirtualPrivateCloud.VpcId && p.VirtualPrivateCloud.VpcId !== current.item.VirtualPrivateCloud.VpcId)
    fail('VpcIdNotMatch', 'UpdateInstanceVpcConfig cannot move an instance to another VPC');
  changeVpc(call, [p.InstanceId], p.VirtualPrivateCloud, p.ForceStop, 'UpdateInstanceVpcConfig');
  return {};
}

function describeInstanceVncUrl(call: Call) {
  const p = call.params as { InstanceId: string };
  const [stored] = instancesFor(call, [p.InstanceId], 'ModifyInstancesAttribute');
  if (stored!.item.InstanceState !== 'RUNNING')
    fail('InvalidInstanceState', `${p.InstanceId} is ${stored!.item.InstanceState}; the console needs RUNNING`);
  // A one-time address, as the API gives one; nothing listens there. Its token is random, not the RequestId, which
  // audit logs keep: a log must not hold a way into a console.
  const token = randomBytes(16).toString('hex');
  return { InstanceVncUrl: `wss://vnc.tce.invalid/${p.InstanceId}?token=${token}` };
}

/**
 * What each instance could change type to: every type its zone sells, SELL within its family (ResetInstancesType
 * keeps the family here) and UNAVAILABLE with the reason otherwise.
 */
function describeInstancesModification(call: Call) {
  const p = call.params as { InstanceIds: string[]; Filters?: Filter[] };
  const found = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  const families = new Set(found.map((s) => s.item.InstanceFamily));
  const zone = found[0]?.item.Placement.Zone ?? '';
  const types = applyFilters(typesSoldIn(zone), p.Filters, {
    'instance-family': (t) => t.InstanceFamily,
    'instance-type': (t) => t.InstanceType,
  });
  return {
    TotalCount: types.length,
    InstanceTypeConfigStatusSet: types.map((t) => ({
      Status: families.has(t.InstanceFamily) && families.size === 1 ? 'SELL' : 'UNAVAILABLE',
      Message:
        families.has(t.InstanceFamily) && families.size === 1
          ? ''
          : `the type can only change within the ${[...families].join('/')} family`,
      InstanceTypeConfig: {
        Zone: zone,
        InstanceType: t.InstanceType,
        InstanceFamily: t.InstanceFamily,
        GPU: 0,
        CPU: t.CPU,
        Memory: t.Memory,
        FPGA: 0,
      },
    })),
  };
}

export const networkHandlers: Handlers = {
  ResetInstancesInternetMaxBandwidth: resetInstancesInternetMaxBandwidth,
  ModifyInstancesVpcAttribute: modifyInstancesVpcAttribute,
  UpdateInstanceVpcConfig: updateInstanceVpcConfig,
  DescribeInstanceVncUrl: describeInstanceVncUrl,
  DescribeInstancesModification: describeInstancesModification,
};
