/**
 * The verdict step: before anyone confirms, ask TCE what it thinks of the plan — is the type sold in that zone,
 * may this instance change to that type, is there quota left, does TCE list the action as denied for a target.
 * A refusal stops the plan with TCE's reason; only reads were sent. What passed is kept on the plan as lines.
 */
import type { TceClient } from '../api/client.ts';
import { ApiError, RefusedError } from '../api/errors.ts';
import { buildPlan } from '../plan/summary.ts';
import type { Plan, VerdictCheck } from '../plan/types.ts';

/** Pay-as-you-go instances one user may hold per zone (000:2396); the docs give no API that reports it. */
export const POSTPAID_PER_ZONE = 30;

interface Denied {
  InstanceId: string;
  DeniedActions?: { Action: string; Code?: string; Message?: string }[];
}

async function deniedActions(client: TceClient, plan: Plan): Promise<VerdictCheck[]> {
  const ids = plan.targets.filter((t) => t.kind === 'instance').map((t) => t.id);
  if (ids.length === 0) return [];
  const actions = new Set(plan.calls.map((c) => c.action));
  const checks: VerdictCheck[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let response: { InstanceDeniedActionSet?: Denied[] };
    try {
      response = await client.call<{ InstanceDeniedActionSet?: Denied[] }>(
        'cvm',
        'DescribeInstancesDeniedActions',
        { InstanceIds: ids.slice(i, i + 100) },
        { region: plan.region },
      );
    } catch (error) {
      // A deployment that does not answer this read still refuses at execution: say so, and go on.
      if (!(error instanceof ApiError)) throw error;
      return [{ check: 'denied action', ok: true, detail: `TCE's denied actions unavailable (${error.code})` }];
    }
    for (const entry of response.InstanceDeniedActionSet ?? []) {
      for (const denied of entry.DeniedActions ?? []) {
        if (!actions.has(denied.Action)) continue;
        checks.push({
          check: 'denied action',
          ok: false,
          detail: `TCE denies ${denied.Action} for ${entry.InstanceId}: ${[denied.Code, denied.Message].filter(Boolean).join(': ')}`,
        });
      }
    }
  }
  if (checks.length === 0)
    checks.push({ check: 'denied action', ok: true, detail: `no target is denied ${[...actions].join(', ')}` });
  return checks;
}

interface QuotaRow {
  InstanceType: string;
  InstanceChargeType?: string;
  Status?: string;
  SoldOutReason?: string;
}

async function typeInZone(client: TceClient, plan: Plan): Promise<VerdictCheck[]> {
  const params = plan.calls[0]!.params as {
    Placement?: { Zone?: string };
    InstanceType?: string;
    InstanceChargeType?: string;
    InstanceCount?: number;
  };
  const zone = params.Placement?.Zone ?? '';
  const type = params.InstanceType ?? '';
  const charge = params.InstanceChargeType ?? 'POSTPAID_BY_HOUR';
  const response = await client.call<{ InstanceTypeQuotaSet?: QuotaRow[] }>(
    'cvm',
    'DescribeZoneInstanceConfigInfos',
    {
      Filters: [
        { Name: 'zone', Values: [zone] },
        { Name: 'instance-charge-type', Values: [charge] },
      ],
    },
    { region: plan.region },
  );
  const rows = response.InstanceTypeQuotaSet ?? [];
  const row = rows.find((r) => r.InstanceType === type);
  const checks: VerdictCheck[] = [];
  if (!row) {
    const sold = [...new Set(rows.filter((r) => r.Status === 'SELL').map((r) => r.InstanceType))];
    checks.push({
      check: 'type in zone',
      ok: false,
      detail: `${type} is not sold in ${zone} (${charge}); sold there: ${sold.join(', ') || 'nothing'}`,
    });
  } else if (row.Status !== 'SELL') {
    checks.push({
      check: 'type in zone',
      ok: false,
      detail: `${type} in ${zone} is ${row.Status}${row.SoldOutReason ? `: ${row.SoldOutReason}` : ''}`,
    });
  } else checks.push({ check: 'type in zone', ok: true, detail: `${type} is sold in ${zone} (${charge})` });
  if (charge === 'POSTPAID_BY_HOUR') {
    const count = params.InstanceCount ?? 1;
    const held = await client.call<{ TotalCount?: number }>(
      'cvm',
      'DescribeInstances',
      {
        Filters: [
          { Name: 'zone', Values: [zone] },
          { Name: 'instance-charge-type', Values: ['POSTPAID_BY_HOUR'] },
        ],
        Limit: 1,
      },
      { region: plan.region },
    );
    const left = Math.max(0, POSTPAID_PER_ZONE - (held.TotalCount ?? 0));
    checks.push({
      check: 'quota',
      ok: count <= left,
      detail: `${left} of ${POSTPAID_PER_ZONE} pay-as-you-go instances left in ${zone}; ${count} asked`,
    });
  }
  return checks;
}

interface ModificationRow {
  Status?: string;
  Message?: string;
  InstanceTypeConfig?: { InstanceType?: string; Zone?: string };
}

async function resizeTarget(client: TceClient, plan: Plan): Promise<VerdictCheck[]> {
  const type = String(plan.calls[0]!.params.InstanceType ?? '');
  const checks: VerdictCheck[] = [];
  for (const target of plan.targets) {
    const response = await client.call<{ InstanceTypeConfigStatusSet?: ModificationRow[] }>(
      'cvm',
      'DescribeInstancesModification',
      { InstanceIds: [target.id] },
      { region: plan.region },
    );
    const rows = response.InstanceTypeConfigStatusSet ?? [];
    const row = rows.find((r) => r.InstanceTypeConfig?.InstanceType === type);
    const allowed = rows.filter((r) => r.Status === 'SELL').map((r) => r.InstanceTypeConfig?.InstanceType);
    const label = target.name ? `${target.name} (${target.id})` : target.id;
    if (!row)
      checks.push({
        check: 'resize target',
        ok: false,
        detail: `TCE offers no ${type} for ${label}; allowed: ${allowed.join(', ') || 'none'}`,
      });
    else if (row.Status !== 'SELL')
      checks.push({
        check: 'resize target',
        ok: false,
        detail: `TCE does not allow ${label} to become ${type}: ${row.Message || row.Status}; allowed: ${allowed.join(', ') || 'none'}`,
      });
    else checks.push({ check: 'resize target', ok: true, detail: `TCE allows ${label} to become ${type}` });
  }
  return checks;
}

const EXTRA: Record<string, (client: TceClient, plan: Plan) => Promise<VerdictCheck[]>> = {
  'cvm:RunInstances': typeInZone,
  'cvm:ResetInstancesType': resizeTarget,
};

/** Every check TCE answers for this plan (empty for plans it has nothing to say about). */
export async function verdictOf(client: TceClient, plan: Plan): Promise<VerdictCheck[]> {
  const first = plan.calls[0];
  if (!first) return [];
  const checks = await deniedActions(client, plan);
  const extra = EXTRA[`${first.service}:${first.action}`];
  if (extra) checks.push(...(await extra(client, plan)));
  return checks;
}

/** The plan with TCE's verdict on it; a refusal throws with every reason, and nothing but reads was sent. */
export async function withVerdict(client: TceClient, plan: Plan): Promise<Plan> {
  const checks = await verdictOf(client, plan);
  const refused = checks.filter((c) => !c.ok);
  if (refused.length) {
    throw new RefusedError(
      `TCE refuses this plan: ${refused.map((c) => c.detail).join('; ')}`,
      'UnsupportedOperation',
      'nothing was changed',
    );
  }
  if (checks.length === 0) return plan;
  const { hash: _hash, ...rest } = plan;
  return buildPlan({ ...rest, verdict: checks });
}
