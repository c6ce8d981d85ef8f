/**
 * RunInstances (and InquiryPriceRunInstances, which takes the same request) refusals that need the deployment's
 * state: the image's OS and type, the region's VPC, subnet and security groups, addresses in use. The rules the
 * request alone decides (Password with KeyIds, bandwidth with PublicIpAssigned, HostName's shape, ...) are the
 * catalog's (packages/core/src/catalog/rules.ts), so the client refuses them too.
 */
import { hostNameProblem } from '../../../core.ts';
import { regionOf } from '../../../geography.ts';
import { inRegion } from '../../common.ts';
import { refusal, refuse } from '../../refusals.ts';
import type { Call } from '../../types.ts';
import { checkPasswordFor } from './passwords.ts';

export interface RunRequest {
  InstanceCount?: number;
  LoginSettings?: { Password?: string; KeyIds?: string[]; KeepImageLogin?: string };
  HostName?: string;
  SecurityGroupIds?: string[];
  VirtualPrivateCloud?: { VpcId?: string; SubnetId?: string; PrivateIpAddresses?: string[] };
}

const ACTIONS = ['RunInstances', 'InquiryPriceRunInstances'];

function declare(source: string, code: string, says: string, actions = ACTIONS) {
  return Object.fromEntries(actions.map((action) => [action, refusal({ source, service: 'cvm', action, code, says })]));
}

const KEEP_LOGIN_PUBLIC = declare(
  '000:20451',
  'InvalidParameterCombination',
  'KeepImageLogin TRUE only with a custom, shared or imported image',
);
const WINDOWS_KEYS = declare('000:20450', 'InvalidParameterCombination', 'no key pairs for Windows');
const UNKNOWN_KEY = declare('000:20450', 'InvalidKeyPairId.NotFound', 'the key pair exists');
// HostName is RunInstances' only (InquiryPriceRunInstances does not take it).
const WINDOWS_HOSTNAME = declare('000:18150', 'InvalidParameterValue', 'Windows HostName 2 to 15, no dots', [
  'RunInstances',
]);
const UNKNOWN_SG = declare('000:21200', 'InvalidSecurityGroupId.NotFound', 'the security groups exist');
const UNKNOWN_VPC = declare('000:20482', 'InvalidParameterValue', 'the VPC and subnet exist');
const NOT_IN_SUBNET = declare('000:18175', 'VpcAddrNotInSubNet', 'a private IP in the subnet');
const IP_IN_USE = declare('000:18174', 'VpcIpIsUsed', 'a private IP not in use');

/** Whether `ip` is in the region's subnet, 10.N.0.0/16 (the network and broadcast addresses excluded). */
export function inSubnet(region: string, ip: string): boolean {
  const parts = ip.split('.').map(Number);
  const network = regionOf(region).network;
  if (parts[0] !== 10 || parts[1] !== network) return false;
  const host = parts[2]! * 256 + parts[3]!;
  return host > 0 && host < 65535;
}

/** Private addresses taken in the region: instances' and CFS mount targets'. */
export function addressesInUse(call: Call): Set<string> {
  const used = new Set<string>();
  for (const s of inRegion(call.state.cvm.instances, call.region))
    for (const ip of s.item.PrivateIpAddresses) used.add(ip);
  for (const s of inRegion(call.state.cfs.fileSystems, call.region)) if (s.item.IpAddress) used.add(s.item.IpAddress);
  return used;
}

/** Security groups the region has: its default one and any an instance there carries. */
function knownSecurityGroups(call: Call): Set<string> {
  const known = new Set([regionOf(call.region).securityGroupId]);
  for (const s of inRegion(call.state.cvm.instances, call.region))
    for (const sg of s.item.SecurityGroupIds) known.add(sg);
  return known;
}

export function checkRunInstances(
  call: Call,
  p: RunRequest,
  image: { ImageType: string; OsName: string },
  windows: boolean,
): void {
  const action = ACTIONS.includes(call.action) ? call.action : 'RunInstances';
  const login = p.LoginSettings ?? {};
  if (login.KeepImageLogin === 'TRUE' && image.ImageType === 'PUBLIC_IMAGE')
    refuse(
      KEEP_LOGIN_PUBLIC[action]!,
      `KeepImageLogin TRUE needs a custom, shared or imported image; ${image.OsName} is a public image`,
    );
  if (login.Password !== undefined) checkPasswordFor(action, login.Password, windows);
  if (login.KeyIds?.length) {
    if (windows) refuse(WINDOWS_KEYS[action]!, 'key pairs log in to Linux instances only; give a Password for Windows');
    const missing = login.KeyIds.filter((k) => !call.state.cvm.keyPairs[k]);
    if (missing.length) refuse(UNKNOWN_KEY[action]!, `no key pair ${missing.join(', ')}`);
  }
  if (
    p.HostName !== undefined &&
    windows &&
    (p.HostName.length > 15 || p.HostName.includes('.') || hostNameProblem(p.HostName))
  )
    refuse(
      WINDOWS_HOSTNAME.RunInstances!,
      `a Windows HostName takes 2 to 15 letters, digits and dashes, not all digits`,
    );
  if (p.SecurityGroupIds?.length) {
    const known = knownSecurityGroups(call);
    const missing = p.SecurityGroupIds.filter((sg) => !known.has(sg));
    if (missing.length) refuse(UNKNOWN_SG[action]!, `no security group ${missing.join(', ')} in ${call.region}`);
  }
  const vpc = p.VirtualPrivateCloud;
  if (vpc) {
    const region = regionOf(call.region);
    if (vpc.VpcId !== region.vpcId || vpc.SubnetId !== region.subnetId)
      refuse(
        UNKNOWN_VPC[action]!,
        `no VPC ${vpc.VpcId} with subnet ${vpc.SubnetId} in ${call.region}; it has ${region.vpcId} / ${region.subnetId}`,
      );
    const ips = vpc.PrivateIpAddresses ?? [];
    const outside = ips.filter((ip) => !inSubnet(call.region, ip));
    if (outside.length)
      refuse(NOT_IN_SUBNET[action]!, `${outside.join(', ')} not in ${region.subnetId} (10.${region.network}.0.0/16)`);
    const used = addressesInUse(call);
    const taken = ips.filter((ip, i) => used.has(ip) || ips.indexOf(ip) !== i);
    if (taken.length) refuse(IP_IN_USE[action]!, `${taken.join(', ')} already in use in ${region.subnetId}`);
  }
}
