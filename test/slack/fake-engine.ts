/**
 * A scripted engine for the Slack app's tests, written against core's Engine interface: a handful of instances,
 * a stop that needs a click, a delete that needs the ID typed, a password reset, and a terminate that needs one
 * approval by someone else (two for production). It records every execution so tests can tell "ran once".
 */
import { InputError, RefusedError } from '../../packages/slack/src/core.ts';
import type {
  ApprovalSummary,
  CommandContext,
  Engine,
  Outcome,
  PlanSummary,
  ProgressEvent,
  TableView,
  TargetResult,
} from '../../packages/slack/src/core.ts';

interface Instance {
  id: string;
  name: string;
  state: string;
  tags: Record<string, string>;
}

export interface FakeEngine extends Engine {
  executions: { action: string; targets: string[]; password?: string }[];
  approvals: Map<string, ApprovalSummary>;
  instances: Instance[];
  /** Delay every run() by this long (a slow cloud). */
  delayMs: number;
  calls: { method: string; args: unknown[] }[];
  /** Report an approval change as the real engine would (expiry sweeps, another replica's decision). */
  emitApproval(approval: ApprovalSummary): void;
}

export function createFakeEngine(): FakeEngine {
  const instances: Instance[] = [
    { id: 'ins-web00001', name: 'web-1', state: 'RUNNING', tags: {} },
    { id: 'ins-web00002', name: 'web-2', state: 'STOPPED', tags: {} },
    { id: 'ins-db000001', name: 'db-1', state: 'RUNNING', tags: { env: 'production' } },
  ];
  const plans = new Map<
    string,
    { plan: PlanSummary; level: 'click' | 'typed' | 'secret'; requester: string; used: boolean }
  >();
  const approvals = new Map<string, ApprovalSummary>();
  const approvalListeners = new Set<(a: ApprovalSummary) => void>();
  const progressListeners = new Set<(e: ProgressEvent) => void>();
  const executions: FakeEngine['executions'] = [];
  const calls: FakeEngine['calls'] = [];
  let n = 0;

  const find = (ref: string) => {
    const found = instances.find((i) => i.id === ref || i.name === ref);
    if (!found) throw new InputError(`instance ${ref} was not found`, 'InvalidInstanceId.NotFound');
    return found;
  };
  const makePlan = (command: string, action: string, risk: PlanSummary['risk'], targets: Instance[]): PlanSummary => ({
    hash: `hash-${++n}`,
    command,
    service: 'cvm',
    action,
    risk,
    region: 'ap-guangzhou',
    summary: `${action.replace('Instances', '')} ${targets.length} instance${targets.length > 1 ? 's' : ''} in ap-guangzhou: ${targets.map((t) => `${t.name} (${t.state})`).join(', ')}.`,
    irreversible: risk === 'destructive',
    targets: targets.map((t) => ({ id: t.id, name: t.name, state: t.state, type: 'S5.MEDIUM4', tags: t.tags })),
  });
  const emit = (a: ApprovalSummary) => {
    for (const l of approvalListeners) l(structuredClone(a));
  };
  const execute = (plan: PlanSummary, password?: string): TargetResult[] => {
    executions.push({ action: plan.action, targets: plan.targets.map((t) => t.id), ...(password ? { password } : {}) });
    const end: Record<string, string> = {
      StopInstances: 'STOPPED',
      StartInstances: 'RUNNING',
      TerminateInstances: 'TERMINATED',
    };
    return plan.targets.map((t) => {
      const instance = find(t.id);
      for (const l of progressListeners)
        l({ planHash: plan.hash, targetId: t.id, state: 'STOPPING', done: false, message: 'waiting' });
      if (end[plan.action]) instance.state = end[plan.action]!;
      for (const l of progressListeners)
        l({ planHash: plan.hash, targetId: t.id, state: instance.state, done: true, message: '' });
      return { id: t.id, ok: true, requestId: `req-${plan.action}-${t.id}` };
    });
  };
  const table = (offset: number): TableView => {
    const page = instances.slice(offset, offset + 2);
    return {
      kind: 'instance',
      title: 'Instances',
      columns: [{ key: 'name', title: 'Name' }],
      rows: page.map((i) => ({
        state: i.state,
        name: i.name,
        id: i.id,
        type: 'S5.MEDIUM4',
        zone: 'ap-guangzhou-3',
        privateIp: '10.0.0.1',
        publicIp: '',
      })),
      items: page.map((i) => ({ InstanceId: i.id })),
      states: page.map((i) => i.state),
      ids: page.map((i) => i.id),
      total: instances.length,
      ...(offset + 2 < instances.length ? { nextOffset: offset + 2 } : {}),
      requestIds: [`req-list-${offset}`],
    };
  };

  const engine: FakeEngine = {
    executions,
    approvals,
    instances,
    delayMs: 0,
    calls,
    emitApproval: (a) => emit(a),
    async explain() {
      throw new Error('the Slack app never explains');
    },
    async run(input, ctx) {
      calls.push({ method: 'run', args: [input, ctx] });
      if (engine.delayMs) await new Promise((r) => setTimeout(r, engine.delayMs));
      const text = Array.isArray(input) ? input.join(' ') : input;
      const words = text.split(/\s+/);
      try {
        if (text === 'help') return { kind: 'text', text: 'tceops commands:\n  cvm instances\n  cvm stop <ins>' };
        if (text === 'boom') throw new Error('engine exploded');
        if (text === 'regions') {
          const view: TableView = {
            kind: 'region',
            title: 'Regions',
            columns: [{ key: 'id', title: 'Region' }],
            rows: [{ id: 'ap-guangzhou' }, { id: 'ap-shanghai' }],
            items: [],
            ids: ['ap-guangzhou', 'ap-shanghai'],
            requestIds: ['req-regions'],
          };
          return { kind: 'table', view };
        }
        if (words[0] === 'approve' && words[1]) return engine.approve(words[1], ctx);
        if (words[0] === 'deny' && words[1]) return engine.deny(words[1], ctx);
        if (words[0] === 'cvm' && words[1] === 'instances')
          return { kind: 'table', view: table(Number(/--offset (\d+)/.exec(text)?.[1] ?? 0)) };
        if (words[0] === 'cvm' && words[1] === 'show')
          return {
            kind: 'detail',
            title: words[2]!,
            item: { InstanceId: find(words[2]!).id },
            requestIds: ['req-show'],
          };
        const target = words[2] ? find(words[2]) : undefined;
        const planId = `plan-${++n}`;
        if (words[1] === 'start' && target) {
          const plan = makePlan(text, 'StartInstances', 'write', [target]);
          return { kind: 'result', plan, results: execute(plan), requestIds: [] };
        }
        if (words[1] === 'stop' && target) {
          const plan = makePlan(text, 'StopInstances', 'sensitive', [target]);
          plans.set(planId, { plan, level: 'click', requester: ctx.actor.id, used: false });
          return { kind: 'confirm', planId, plan, level: 'click' };
        }
        if (words[1] === 'reinstall' && target) {
          const plan = makePlan(text, 'ResetInstance', 'destructive', [target]);
          plans.set(planId, { plan, level: 'typed', requester: ctx.actor.id, used: false });
          return { kind: 'confirm', planId, plan, level: 'typed', expected: target.id };
        }
        if (words[1] === 'reset-password' && target) {
          const plan = makePlan(text, 'ResetInstancesPassword', 'sensitive', [target]);
          plans.set(planId, { plan, level: 'secret', requester: ctx.actor.id, used: false });
          return { kind: 'secret', planId, plan, field: 'Password' };
        }
        if (words[1] === 'terminate' && target) {
          const plan = makePlan(text, 'TerminateInstances', 'destructive', [target]);
          const approval: ApprovalSummary = {
            id: `apr-${++n}`,
            state: 'pending',
            requester: ctx.actor.id,
            plan,
            approvers: [],
            needed: target.tags.env === 'production' ? 2 : 1,
            eligible: ['UAPPROVER', 'UAPPROVER2', 'S0OPS'],
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
          };
          approvals.set(approval.id, approval);
          return { kind: 'approval', approval: structuredClone(approval) };
        }
        throw new InputError(`unknown command "${text}"`, 'InvalidParameter', 'Try /tce help');
      } catch (error) {
        if (error instanceof InputError) return { kind: 'error', error };
        throw error;
      }
    },
    async confirm(planId, ctx, input) {
      calls.push({ method: 'confirm', args: [planId, ctx, input ? Object.keys(input) : undefined] });
      const entry = plans.get(planId);
      if (!entry || entry.used)
        return { kind: 'error', error: new RefusedError(`plan ${planId} is unknown or already used`, 'PlanUsed') };
      if (entry.requester !== ctx.actor.id)
        return { kind: 'error', error: new RefusedError('only the requester may confirm') };
      if (entry.level === 'typed' && input?.typed !== entry.plan.targets[0]!.id)
        return { kind: 'error', error: new RefusedError('typed ID does not match') };
      if (entry.level === 'secret' && !input?.password)
        return { kind: 'error', error: new InputError('a password is needed') };
      entry.used = true;
      return { kind: 'result', plan: entry.plan, results: execute(entry.plan, input?.password), requestIds: [] };
    },
    async approve(id, ctx) {
      calls.push({ method: 'approve', args: [id, ctx] });
      const a = approvals.get(id);
      if (!a) return { kind: 'error', error: new InputError(`approval ${id} not found`) };
      if (a.requester === ctx.actor.id)
        return {
          kind: 'error',
          error: new RefusedError('You asked for this, so someone else must approve it.', 'SelfApproval'),
        };
      const groups = ctx.actor.groups ?? [];
      if (!a.eligible.includes(ctx.actor.id) && !groups.some((g) => a.eligible.includes(g)))
        return { kind: 'error', error: new RefusedError('You may not approve this request.', 'NotAnApprover') };
      if (a.state !== 'pending')
        return { kind: 'error', error: new RefusedError(`This request is already ${a.state}.`, 'AlreadyDecided') };
      if (a.approvers.includes(ctx.actor.id))
        return { kind: 'error', error: new RefusedError('You already approved this.', 'AlreadyApproved') };
      a.approvers.push(ctx.actor.id);
      if (a.approvers.length < a.needed) {
        emit(a);
        return { kind: 'approval', approval: structuredClone(a) };
      }
      a.state = 'approved';
      emit(a);
      a.state = 'executing';
      emit(a);
      a.results = execute(a.plan);
      a.state = 'succeeded';
      emit(a);
      return { kind: 'result', plan: a.plan, results: a.results, requestIds: [] };
    },
    async deny(id, ctx, reason) {
      calls.push({ method: 'deny', args: [id, ctx, reason] });
      const a = approvals.get(id)!;
      if (a.requester === ctx.actor.id)
        return { kind: 'error', error: new RefusedError('Cancel your own request instead of denying it.') };
      a.state = 'denied';
      a.reason = reason ?? `denied by ${ctx.actor.id}`;
      emit(a);
      return { kind: 'approval', approval: structuredClone(a) };
    },
    async cancel(id, ctx) {
      calls.push({ method: 'cancel', args: [id, ctx] });
      const a = approvals.get(id)!;
      if (a.requester !== ctx.actor.id)
        return { kind: 'error', error: new RefusedError('Only the requester may cancel a request.') };
      a.state = 'cancelled';
      emit(a);
      return { kind: 'approval', approval: structuredClone(a) };
    },
    async listApprovals(filter = {}) {
      return [...approvals.values()]
        .filter(
          (a) => (!filter.state || a.state === filter.state) && (!filter.requester || a.requester === filter.requester),
        )
        .map((a) => structuredClone(a));
    },
    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onApprovalChange(listener) {
      approvalListeners.add(listener);
      return () => approvalListeners.delete(listener);
    },
    help: () => 'help',
    complete: () => [],
    idle: async () => {},
    close: async () => {},
  };
  return engine;
}

export type { Outcome, CommandContext };
