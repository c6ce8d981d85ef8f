/**
 * CFS permission groups and their rules. A group with no rules lets everyone mount (002:1140); a group bound to
 * a file system cannot be deleted (PgroupInUse). Rules: a single IP, a CIDR or "*"; priority 1 (first) to 100;
 * one rule per client address and group.
 */
import { fail } from '../../failure.ts';
import { page } from '../common.ts';
import type { Call, Handlers } from '../types.ts';
import { addPermissionGroup, addRule, groupsIn, requireGroup, rulesOf, rwOut, V2018 } from './store.ts';

const GROUPS_PER_REGION = 50;
const RULES_PER_GROUP = 100;
const USER_PERMISSIONS = ['all_squash', 'no_all_squash', 'root_squash', 'no_root_squash'];

function checkGroupFields(
  call: Call,
  name: string | undefined,
  description: string | undefined,
  except?: string,
): void {
  if (name !== undefined) {
    if (name.length < 1 || Buffer.byteLength(name) > 64)
      fail('InvalidParameterValue.PgroupNameLimitExceeded', 'Name takes 1 to 64 bytes');
    if (groupsIn(call).some((g) => g.item.Name === name && g.item.PGroupId !== except))
      fail('InvalidParameterValue.DuplicatedPgroupName', `a permission group named "${name}" exists in ${call.region}`);
  }
  if (description !== undefined && Buffer.byteLength(description) > 255)
    fail('InvalidParameterValue.PgroupDescinfoLimitExceeded', 'DescInfo is longer than 255 bytes');
}

function bound(call: Call, pgroupId: string): number {
  return Object.values(call.state.cfs.fileSystems).filter((f) => f.item.PGroupId === pgroupId).length;
}

function groupView(call: Call, id: string) {
  const group = call.state.cfs.pgroups[id]!.item;
  return { ...group, BindCfsNum: bound(call, id) };
}

function createCfsPGroup(call: Call) {
  const p = call.params as { Name: string; DescInfo?: string };
  checkGroupFields(call, p.Name, p.DescInfo);
  if (groupsIn(call).length >= GROUPS_PER_REGION)
    fail(
      'ResourceInsufficient.PgroupNumberLimitExceeded',
      `${call.region} already has ${GROUPS_PER_REGION} permission groups`,
    );
  const id = addPermissionGroup(call.state, call.region, {
    name: p.Name,
    description: p.DescInfo,
    createdAt: call.now,
  });
  return groupView(call, id);
}

function describeGroups(call: Call) {
  const p = call.params as { PGroupId?: string; Name?: string; DescInfo?: string };
  let groups = groupsIn(call).map((g) => groupView(call, g.item.PGroupId));
  if (call.version === V2018) return { PGroupList: groups };
  if (p.PGroupId) groups = groups.filter((g) => g.PGroupId === p.PGroupId);
  if (p.Name) groups = groups.filter((g) => g.Name.includes(p.Name!));
  if (p.DescInfo) groups = groups.filter((g) => g.DescInfo.includes(p.DescInfo!));
  return {
    PGroupList: page(groups, call.params, { limit: Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    TotalCount: groups.length,
  };
}

function updateCfsPGroup(call: Call) {
  const p = call.params as { PGroupId: string; Name?: string; DescInfo?: string };
  if (p.Name === undefined && p.DescInfo === undefined)
    fail('InvalidParameterValue.MissingNameOrDescinfo', 'give Name or DescInfo to change');
  const group = requireGroup(call, p.PGroupId).item;
  checkGroupFields(call, p.Name, p.DescInfo, p.PGroupId);
  if (p.Name !== undefined) group.Name = p.Name;
  if (p.DescInfo !== undefined) group.DescInfo = p.DescInfo;
  return { PGroupId: group.PGroupId, Name: group.Name, DescInfo: group.DescInfo };
}

function deleteCfsPGroup(call: Call) {
  const p = call.params as { PGroupId: string };
  requireGroup(call, p.PGroupId);
  const users = bound(call, p.PGroupId);
  if (users) fail('FailedOperation.PgroupInUse', `${p.PGroupId} is bound to ${users} file systems; rebind them first`);
  delete call.state.cfs.pgroups[p.PGroupId];
  for (const [id, rule] of Object.entries(call.state.cfs.rules)) {
    if (rule.item.PGroupId === p.PGroupId) delete call.state.cfs.rules[id];
  }
  return { PGroupId: p.PGroupId, AppId: 100000000001 };
}

function checkClientIp(value: string): void {
  const ip = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/.exec(value);
  const valid =
    value === '*' || (ip?.slice(1, 5).every((o) => Number(o) <= 255) && (ip[6] === undefined || Number(ip[6]) <= 32));
  if (!valid)
    fail(
      'InvalidParameterValue.InvalidAuthClientIp',
      `AuthClientIp must be an IP, a CIDR such as 10.0.0.0/16, or *; not "${value}"`,
    );
}

interface RuleInput {
  AuthClientIp?: string;
  RWPermission?: string;
  UserPermission?: string;
  Priority?: number;
}

/** Checked and normalised rule fields; the 2018 and 2019 defaults differ (002:2714-2715, 5882-5883). */
function ruleFields(call: Call, input: RuleInput, pgroupId: string, except?: string) {
  if (input.AuthClientIp !== undefined) {
    checkClientIp(input.AuthClientIp);
    if (rulesOf(call, pgroupId).some((r) => r.AuthClientIp === input.AuthClientIp && r.RuleId !== except))
      fail(
        'InvalidParameterValue.DuplicatedRuleAuthClientIp',
        `${pgroupId} already has a rule for ${input.AuthClientIp}`,
      );
  }
  if (input.RWPermission !== undefined && !['RO', 'RW'].includes(input.RWPermission.toUpperCase()))
    fail(
      'InvalidParameterValue.InvalidRwPermission',
      `RWPermission must be ${call.version === V2018 ? 'ro or rw' : 'RO or RW'}`,
    );
  if (input.UserPermission !== undefined && !USER_PERMISSIONS.includes(input.UserPermission))
    fail('InvalidParameterValue.InvalidUserPermission', `UserPermission must be one of ${USER_PERMISSIONS.join(', ')}`);
  if (input.Priority !== undefined && (input.Priority < 1 || input.Priority > 100))
    fail('InvalidParameterValue.InvalidPriority', 'Priority must be 1 (first) to 100');
}

function ruleView(call: Call, ruleId: string) {
  const rule = call.state.cfs.rules[ruleId]!.item;
  return {
    RuleId: rule.RuleId,
    PGroupId: rule.PGroupId,
    AuthClientIp: rule.AuthClientIp,
    RWPermission: rwOut(call.version, rule.RWPermission),
    UserPermission: rule.UserPermission,
    Priority: rule.Priority,
  };
}

function createCfsRule(call: Call) {
  const p = call.params as unknown as RuleInput & { PGroupId: string; AuthClientIp: string; Priority: number };
  requireGroup(call, p.PGroupId);
  ruleFields(call, p, p.PGroupId);
  if (rulesOf(call, p.PGroupId).length >= RULES_PER_GROUP)
    fail('ResourceInsufficient.RuleLimitExceeded', `${p.PGroupId} already has ${RULES_PER_GROUP} rules`);
  const v2018 = call.version === V2018;
  const id = addRule(call.state, p.PGroupId, {
    AuthClientIp: p.AuthClientIp,
    RWPermission: (p.RWPermission ?? (v2018 ? 'rw' : 'RO')).toUpperCase(),
    UserPermission: p.UserPermission ?? (v2018 ? 'no_root_squash' : 'root_squash'),
    Priority: p.Priority,
  });
  return ruleView(call, id);
}

function requireRule(call: Call, pgroupId: string, ruleId: string) {
  requireGroup(call, pgroupId);
  const stored = call.state.cfs.rules[ruleId];
  if (!stored) fail('ResourceNotFound.RuleNotFound', `no rule ${ruleId}`);
  if (stored.item.PGroupId !== pgroupId)
    fail(
      'InvalidParameterValue.RuleNotMatchPgroup',
      `rule ${ruleId} belongs to ${stored.item.PGroupId}, not ${pgroupId}`,
    );
  return stored;
}

function updateCfsRule(call: Call) {
  const p = call.params as unknown as RuleInput & { PGroupId: string; RuleId: string };
  const rule = requireRule(call, p.PGroupId, p.RuleId).item;
  ruleFields(call, p, p.PGroupId, p.RuleId);
  if (p.AuthClientIp !== undefined) rule.AuthClientIp = p.AuthClientIp;
  if (p.RWPermission !== undefined) rule.RWPermission = p.RWPermission.toUpperCase();
  if (p.UserPermission !== undefined) rule.UserPermission = p.UserPermission;
  if (p.Priority !== undefined) rule.Priority = p.Priority;
  return ruleView(call, p.RuleId);
}

function deleteCfsRule(call: Call) {
  const p = call.params as { PGroupId: string; RuleId: string };
  requireRule(call, p.PGroupId, p.RuleId);
  delete call.state.cfs.rules[p.RuleId];
  return { RuleId: p.RuleId, PGroupId: p.PGroupId };
}

function describeRules(call: Call) {
  const p = call.params as { PGroupId: string };
  requireGroup(call, p.PGroupId);
  return {
    RuleList: rulesOf(call, p.PGroupId).map((r) => {
      const { PGroupId: _group, ...view } = ruleView(call, r.RuleId);
      return view;
    }),
  };
}

export const pgroupHandlers = {
  createCfsPGroup,
  describeGroups,
  updateCfsPGroup,
  deleteCfsPGroup,
  createCfsRule,
  updateCfsRule,
  deleteCfsRule,
  describeRules,
} satisfies Handlers;
