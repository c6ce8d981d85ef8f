/**
 * Placement groups (分散置放群组, DisasterRecoverGroup): HOST, SW or RACK spread; deletable only when empty
 * (000:16233); an instance moves between groups one at a time (batch 1).
 */
import { isoTime } from '../../clock.ts';
import { fail } from '../../failure.ts';
import { type EmulatorState, nextId, type PlacementGroup, type Stored } from '../../state.ts';
import { page, requireAll, requireOne } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { flow, instancesFor } from './instances.ts';

/** Instances per group by type, and groups per region. */
const CAPACITY = { HOST: 50, SW: 20, RACK: 20 } as const;
const GROUP_QUOTA = 10;

function checkName(name: string): void {
  if (name.length < 1 || name.length > 60) fail('InvalidParameterValue.OutOfRange', 'Name takes 1 to 60 characters');
}

export function addPlacementGroup(
  state: EmulatorState,
  region: string,
  spec: { name: string; type: PlacementGroup['Type']; createdAt: number },
): Stored<PlacementGroup> {
  const id = nextId(state, 'ps-');
  const stored: Stored<PlacementGroup> = {
    region,
    item: {
      DisasterRecoverGroupId: id,
      Name: spec.name,
      Type: spec.type,
      CvmQuotaTotal: CAPACITY[spec.type],
      InstanceIds: [],
      CreateTime: isoTime(spec.createdAt),
    },
  };
  state.cvm.placementGroups[id] = stored;
  return stored;
}

function view(group: PlacementGroup) {
  return { ...group, CurrentNum: group.InstanceIds.length };
}

function groupsOf(call: Call): Stored<PlacementGroup>[] {
  return Object.values(call.state.cvm.placementGroups).filter((s) => s.region === call.region);
}

function createDisasterRecoverGroup(call: Call) {
  const p = call.params as { Name: string; Type: PlacementGroup['Type'] };
  checkName(p.Name);
  if (groupsOf(call).length >= GROUP_QUOTA)
    fail('LimitExceeded', `${call.region} already has ${GROUP_QUOTA} placement groups`);
  const stored = addPlacementGroup(call.state, call.region, { name: p.Name, type: p.Type, createdAt: call.now });
  return { ...view(stored.item), InstanceIds: undefined };
}

function describeDisasterRecoverGroups(call: Call) {
  const p = call.params as { DisasterRecoverGroupIds?: string[]; Name?: string };
  let groups = groupsOf(call).map((s) => s.item);
  if (p.DisasterRecoverGroupIds?.length)
    groups = groups.filter((g) => p.DisasterRecoverGroupIds!.includes(g.DisasterRecoverGroupId));
  if (p.Name) groups = groups.filter((g) => g.Name.includes(p.Name!));
  return { DisasterRecoverGroupSet: page(groups, call.params).map(view), TotalCount: groups.length };
}

function deleteGroups(call: Call) {
  const p = call.params as { DisasterRecoverGroupIds: string[] };
  const found = requireAll(
    call.state.cvm.placementGroups,
    p.DisasterRecoverGroupIds,
    call.region,
    'FailedOperation.DisasterRecoverGroupNotFound',
    'placement group',
  );
  for (const stored of found) {
    if (stored.item.InstanceIds.length)
      fail('ResourceInUse', `${stored.item.DisasterRecoverGroupId} still holds ${stored.item.InstanceIds.join(', ')}`);
  }
  for (const stored of found) delete call.state.cvm.placementGroups[stored.item.DisasterRecoverGroupId];
  return {};
}

function renameGroup(call: Call) {
  const p = call.params as { DisasterRecoverGroupId: string; Name: string };
  checkName(p.Name);
  const stored = requireOne(
    call.state.cvm.placementGroups,
    p.DisasterRecoverGroupId,
    call.region,
    'FailedOperation.DisasterRecoverGroupNotFound',
    'placement group',
  );
  stored.item.Name = p.Name;
  return {};
}

function modifyInstancesDisasterRecoverGroup(call: Call) {
  const p = call.params as { InstanceIds: string[]; DisasterRecoverGroupId: string; Force?: boolean };
  const [instance] = instancesFor(call, p.InstanceIds, 'ModifyInstancesAttribute');
  const target = requireOne(
    call.state.cvm.placementGroups,
    p.DisasterRecoverGroupId,
    call.region,
    'FailedOperation.DisasterRecoverGroupNotFound',
    'placement group',
  );
  const id = instance!.item.InstanceId;
  if (!target.item.InstanceIds.includes(id)) {
    if (target.item.InstanceIds.length >= target.item.CvmQuotaTotal)
      fail(
        'ResourceInsufficient',
        `${target.item.DisasterRecoverGroupId} is full (${target.item.CvmQuotaTotal} instances)`,
      );
    for (const group of groupsOf(call)) group.item.InstanceIds = group.item.InstanceIds.filter((i) => i !== id);
    target.item.InstanceIds.push(id);
  }
  instance!.item.DisasterRecoverGroupId = target.item.DisasterRecoverGroupId;
  return flow(call.state);
}

function removeInstancesDisasterRecoverGroup(call: Call) {
  const p = call.params as { InstanceDisasterMapList?: { InstanceId: string; DisasterIds?: string[] }[] };
  for (const entry of p.InstanceDisasterMapList ?? []) {
    for (const groupId of entry.DisasterIds ?? []) {
      const group = requireOne(
        call.state.cvm.placementGroups,
        groupId,
        call.region,
        'FailedOperation.DisasterRecoverGroupNotFound',
        'placement group',
      );
      group.item.InstanceIds = group.item.InstanceIds.filter((i) => i !== entry.InstanceId);
      const instance = call.state.cvm.instances[entry.InstanceId];
      if (instance?.item.DisasterRecoverGroupId === groupId) instance.item.DisasterRecoverGroupId = '';
    }
  }
  return {};
}

function describeDisasterRecoverGroupQuota(call: Call) {
  const groups = groupsOf(call);
  return {
    GroupQuota: GROUP_QUOTA,
    CurrentNum: groups.length,
    CvmInHostGroupQuota: CAPACITY.HOST,
    CvmInSwGroupQuota: CAPACITY.SW,
    CvmInRackGroupQuota: CAPACITY.RACK,
    CvmInGroupQuota: CAPACITY.HOST,
  };
}

export const placementHandlers: Handlers = {
  CreateDisasterRecoverGroup: createDisasterRecoverGroup,
  DescribeDisasterRecoverGroups: describeDisasterRecoverGroups,
  DeleteDisasterRecoverGroup: deleteGroups,
  DeleteDisasterRecoverGroups: deleteGroups,
  ModifyDisasterRecoverGroup: renameGroup,
  ModifyDisasterRecoverGroupAttribute: renameGroup,
  ModifyInstancesDisasterRecoverGroup: modifyInstancesDisasterRecoverGroup,
  RemoveInstancesDisasterRecoverGroup: removeInstancesDisasterRecoverGroup,
  DescribeDisasterRecoverGroupQuota: describeDisasterRecoverGroupQuota,
};
