/**
 * CFS automatic snapshot policies (2019 only): create, describe, update (IsActive), bind to and unbind from file
 * systems, delete. 30 policies per region and 200 file systems per policy (002:1213-1244). No snapshots are
 * ever taken: the docs have no API to create, list or delete one. Cross-region snapshot copy is not emulated.
 */
import { fail } from '../../failure.ts';
import type { SnapshotPolicy, Stored } from '../../state.ts';
import { applyFilters, type Filter, page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { addSnapshotPolicy, cfsTime, fileSystemsIn, policiesIn, requireFileSystem } from './store.ts';

const POLICIES_PER_REGION = 30;
const FILE_SYSTEMS_PER_POLICY = 200;

function checkSchedule(dayOfWeek: string | undefined, hour: string | undefined, aliveDays: number | undefined): void {
  if (dayOfWeek !== undefined && !/^[0-6](,[0-6])*$/.test(dayOfWeek))
    fail('InvalidParameterValue', 'DayOfWeek is a comma-separated list of 0 (Sunday) to 6, e.g. "1,3,5"');
  if (hour !== undefined && !/^(\d|1\d|2[0-3])(,(\d|1\d|2[0-3]))*$/.test(hour))
    fail('InvalidParameterValue', 'Hour is a comma-separated list of 0 to 23, e.g. "2" or "2,14"');
  if (aliveDays !== undefined && (aliveDays < 1 || aliveDays > 65535))
    fail('InvalidParameterValue', 'AliveDays must be 1 to 65535');
}

function requirePolicy(call: Call, id: string): Stored<SnapshotPolicy> {
  const stored = call.state.cfs.snapshotPolicies[id];
  if (!stored || stored.region !== call.region) fail('ResourceNotFound', `no snapshot policy ${id} in ${call.region}`);
  return stored;
}

/** "cfs-a,cfs-b" as the API takes it: one string. */
function idList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function createAutoSnapshotPolicy(call: Call) {
  const p = call.params as { PolicyName?: string; DayOfWeek: string; Hour: string; AliveDays?: number };
  checkSchedule(p.DayOfWeek, p.Hour, p.AliveDays);
  if (policiesIn(call).length >= POLICIES_PER_REGION)
    fail('LimitExceeded', `${call.region} already has ${POLICIES_PER_REGION} snapshot policies`);
  const id = addSnapshotPolicy(call.state, call.region, {
    name: p.PolicyName ?? '',
    dayOfWeek: p.DayOfWeek,
    hour: p.Hour,
    aliveDays: p.AliveDays ?? 30,
    createdAt: call.now,
  });
  return { AutoSnapshotPolicyId: id };
}

function view(call: Call, policy: SnapshotPolicy) {
  const bound = fileSystemsIn(call).filter((f) => f.item.AutoSnapshotPolicyId === policy.AutoSnapshotPolicyId);
  return {
    ...policy,
    FileSystemNums: bound.length,
    NextActiveTime: policy.IsActive ? cfsTime(call.now + 3600_000) : '',
    Status: policy.IsActive ? 'on' : 'off',
    RegionName: call.region,
    FileSystems: bound.map((f) => ({
      FileSystemId: f.item.FileSystemId,
      FsName: f.item.FsName,
      CreationTime: f.item.CreationTime,
      SizeByte: f.item.SizeByte,
      StorageType: f.item.StorageType,
      TotalSnapshotSize: 0,
      Region: call.region,
      ZoneId: f.item.ZoneId,
    })),
  };
}

function describeAutoSnapshotPolicies(call: Call) {
  const p = call.params as { AutoSnapshotPolicyId?: string; Filters?: Filter[] };
  let policies = policiesIn(call).map((s) => s.item);
  if (p.AutoSnapshotPolicyId) policies = policies.filter((x) => x.AutoSnapshotPolicyId === p.AutoSnapshotPolicyId);
  policies = applyFilters(policies, p.Filters, {
    AutoSnapshotPolicyId: (x) => x.AutoSnapshotPolicyId,
    PolicyName: (x) => x.PolicyName,
  });
  return {
    TotalCount: policies.length,
    AutoSnapshotPolicies: page(policies, call.params, { limit: 20, max: 100 }).map((x) => view(call, x)),
  };
}

function updateAutoSnapshotPolicy(call: Call) {
  const p = call.params as {
    AutoSnapshotPolicyId: string;
    PolicyName?: string;
    DayOfWeek?: string;
    Hour?: string;
    AliveDays?: number;
    IsActive?: number;
  };
  const policy = requirePolicy(call, p.AutoSnapshotPolicyId).item;
  checkSchedule(p.DayOfWeek, p.Hour, p.AliveDays);
  if (p.IsActive !== undefined && p.IsActive !== 0 && p.IsActive !== 1)
    fail('InvalidParameter', 'IsActive must be 1 (on) or 0 (off)');
  if (p.PolicyName !== undefined) policy.PolicyName = p.PolicyName;
  if (p.DayOfWeek !== undefined) policy.DayOfWeek = p.DayOfWeek;
  if (p.Hour !== undefined) policy.Hour = p.Hour;
  if (p.AliveDays !== undefined) policy.AliveDays = p.AliveDays;
  if (p.IsActive !== undefined) policy.IsActive = p.IsActive;
  return { AutoSnapshotPolicyId: policy.AutoSnapshotPolicyId };
}

function bindAutoSnapshotPolicy(call: Call) {
  const p = call.params as { AutoSnapshotPolicyId: string; FileSystemIds: string };
  requirePolicy(call, p.AutoSnapshotPolicyId);
  const targets = idList(p.FileSystemIds).map((id) => requireFileSystem(call, id));
  const already = fileSystemsIn(call).filter((f) => f.item.AutoSnapshotPolicyId === p.AutoSnapshotPolicyId).length;
  if (already + targets.length > FILE_SYSTEMS_PER_POLICY)
    fail('LimitExceeded', `a policy covers at most ${FILE_SYSTEMS_PER_POLICY} file systems`);
  for (const fs of targets) fs.item.AutoSnapshotPolicyId = p.AutoSnapshotPolicyId;
  return { AutoSnapshotPolicyId: p.AutoSnapshotPolicyId };
}

function unbindAutoSnapshotPolicy(call: Call) {
  const p = call.params as { AutoSnapshotPolicyId: string; FileSystemIds: string };
  requirePolicy(call, p.AutoSnapshotPolicyId);
  for (const fs of idList(p.FileSystemIds).map((id) => requireFileSystem(call, id))) {
    if (fs.item.AutoSnapshotPolicyId === p.AutoSnapshotPolicyId) fs.item.AutoSnapshotPolicyId = '';
  }
  return { AutoSnapshotPolicyId: p.AutoSnapshotPolicyId };
}

function deleteAutoSnapshotPolicy(call: Call) {
  const p = call.params as { AutoSnapshotPolicyId: string };
  requirePolicy(call, p.AutoSnapshotPolicyId);
  for (const fs of fileSystemsIn(call)) {
    if (fs.item.AutoSnapshotPolicyId === p.AutoSnapshotPolicyId) fs.item.AutoSnapshotPolicyId = '';
  }
  delete call.state.cfs.snapshotPolicies[p.AutoSnapshotPolicyId];
  return { AutoSnapshotPolicyId: p.AutoSnapshotPolicyId };
}

export const snapshotPolicyHandlers: Handlers = {
  CreateAutoSnapshotPolicy: createAutoSnapshotPolicy,
  DescribeAutoSnapshotPolicies: describeAutoSnapshotPolicies,
  UpdateAutoSnapshotPolicy: updateAutoSnapshotPolicy,
  BindAutoSnapshotPolicy: bindAutoSnapshotPolicy,
  UnbindAutoSnapshotPolicy: unbindAutoSnapshotPolicy,
  DeleteAutoSnapshotPolicy: deleteAutoSnapshotPolicy,
};
