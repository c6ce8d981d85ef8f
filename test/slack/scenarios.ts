/**
 * The data issue 11 drove the Slack app with: hostile and 60-character names, 20 tags per instance, 100-target
 * plans, 50,000-character TCE errors, 10,000 instances and 200 pending approvals. Shared by the renderer tests
 * and the end-to-end conformance test.
 */
import type {
  ApprovalState,
  ApprovalSummary,
  PlanSummary,
  ProgressEvent,
  TableView,
  TargetResult,
} from '../../packages/slack/src/core.ts';
import { approvalsTable } from '../../packages/core/src/commands/present.ts';

/** Strings that must never reach Slack as written: they ping, link, spoof or break formatting. */
export const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0EVIL>',
  '<!subteam^S0EVIL>',
  '<https://x.example|y>',
  '<https://evil.example|click here to approve>',
  '<#C0EVIL>',
  '\u202e',
] as const;

/** A name carrying the hostile strings, and the characters that break mrkdwn (`*`, `&`, `_`, backticks). */
export function hostileName(i: number): string {
  return `${HOSTILE[i % HOSTILE.length]} *web_${i}* & \`x\` https://bare.example ~${HOSTILE[(i + 3) % HOSTILE.length]}`;
}

/** 60-character names, as a real fleet has. */
export function longName(i: number): string {
  return `prod-ap-guangzhou-web-frontend-autoscaling-group-${String(i).padStart(6, '0')}-node`.slice(0, 60);
}

export function tags(n: number, i = 0): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, t) => [`tag-key-${t}`, `value-${i}-${t}-${'v'.repeat(8)}`]));
}

export function targets(n: number, tagCount: number, name: (i: number) => string = longName): PlanSummary['targets'] {
  return Array.from({ length: n }, (_, i) => ({
    id: `ins-${String(i).padStart(8, '0')}`,
    name: name(i),
    state: 'RUNNING',
    type: 'S5.MEDIUM4',
    tags: tags(tagCount, i),
  }));
}

export function plan(n: number, tagCount: number, name?: (i: number) => string): PlanSummary {
  const list = targets(n, tagCount, name);
  return {
    hash: `hash-${n}-${tagCount}`,
    command: `cvm terminate ${list.map((t) => t.id).join(' ')}`,
    service: 'cvm',
    action: 'TerminateInstances',
    risk: 'destructive',
    region: 'ap-guangzhou',
    summary: `Terminate ${n} instance${n > 1 ? 's' : ''} in ap-guangzhou: ${list.map((t) => `${t.name} (${t.state})`).join(', ')}. This cannot be undone.`,
    irreversible: true,
    targets: list,
  };
}

export function approval(
  id: string,
  p: PlanSummary,
  state: ApprovalState = 'pending',
  requester = 'UALICE',
): ApprovalSummary {
  return {
    id,
    state,
    requester,
    plan: p,
    approvers: [],
    needed: 1,
    eligible: ['UAPPROVER', 'S0OPS', 'sre-oncall'],
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  };
}

/** A TCE error message as long as the one that made `text` 50,089 characters. */
export const LONG_ERROR =
  `The instance is in a state that does not allow this operation. ${'Detail: '.repeat(6250)}`.slice(0, 50_000);

export function failed(p: PlanSummary, message = LONG_ERROR): TargetResult[] {
  return p.targets.map((t) => ({
    id: t.id,
    ok: false,
    code: 'OperationDenied.InstanceOperationInProgress',
    message,
    requestId: `req-${t.id}`,
  }));
}

export function progress(p: PlanSummary, done: boolean): ProgressEvent[] {
  return p.targets.map((t) => ({
    planHash: p.hash,
    targetId: t.id,
    state: done ? 'SHUTDOWN' : 'TERMINATING',
    done,
    message: done ? '' : `waiting for ${t.name} ✅🚀`,
  }));
}

export function instancesView(
  n: number,
  options: { total?: number; offset?: number; name?: (i: number) => string } = {},
): TableView {
  const offset = options.offset ?? 0;
  const name = options.name ?? longName;
  const ids = Array.from({ length: n }, (_, i) => `ins-${String(offset + i).padStart(8, '0')}`);
  const total = options.total ?? n;
  return {
    kind: 'instance',
    title: 'Instances in ap-guangzhou',
    columns: [{ key: 'name', title: 'Name' }],
    rows: ids.map((id, i) => ({
      id,
      name: name(offset + i),
      state: i % 2 ? 'STOPPED' : 'RUNNING',
      type: 'S5.MEDIUM4',
      zone: 'ap-guangzhou-3',
      privateIp: `10.0.${Math.floor(i / 250)}.${i % 250}`,
      publicIp: '',
    })),
    items: [],
    states: ids.map((_, i) => (i % 2 ? 'STOPPED' : 'RUNNING')),
    ids,
    total,
    ...(offset + n < total ? { nextOffset: offset + n } : {}),
    requestIds: ['req-list'],
  };
}

/** `/tce approvals` as core's engine answers it (core's own table): requester IDs and ISO dates in the rows. */
export function approvalsView(list: readonly ApprovalSummary[]): TableView {
  return { ...approvalsTable(list, []), total: list.length };
}
