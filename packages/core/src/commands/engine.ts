/**
 * The command pipeline every surface drives: parse → resolve → plan → policy → (confirm | approval) → execute
 * → wait, with every step in the audit log. Surfaces only turn input into text and render the Outcome.
 */
import { randomBytes } from 'node:crypto';
import type { TceClient } from '../api/client.ts';
import { InputError, RefusedError, TceopsError } from '../api/errors.ts';
import {
  approveRequest,
  cancelRequest,
  denyRequest,
  executeApproved,
  expireRequests,
  reconcile,
  requestApproval,
  type TargetsVerdict,
} from '../approvals/service.ts';
import type { ApprovalRecord } from '../approvals/types.ts';
import { appendAudit } from '../audit/log.ts';
import type { AuditEntry, AuditKind } from '../audit/types.ts';
import { coerceFlags } from '../catalog/coerce.ts';
import { findAction, getServiceCatalog, riskOf } from '../catalog/index.ts';
import { planDifferences } from '../plan/hash.ts';
import { buildPlan } from '../plan/summary.ts';
import type { Plan } from '../plan/types.ts';
import { evaluatePolicy, typedConfirmation } from '../policy/evaluate.ts';
import { withVerifiedActors } from '../identity/engine.ts';
import { decisionHeadline } from '../policy/explain.ts';
import type { Policy } from '../policy/types.ts';
import type { Store } from '../store/types.ts';
import { executeCalls, secretParams } from './execute.ts';
import { complete, helpText } from './help.ts';
import { parseCommand } from './parse.ts';
import { idParamOf, planSummary, replanWith } from './plan.ts';
import type { ParsedCommand } from './spec.ts';
import { planCommand } from './planner.ts';
import { withPrice } from './price.ts';
import { pageParams } from './resources/common.ts';
import { describeTargets, resolveInstanceNames, type TargetKind } from './targets.ts';
import type {
  ApprovalSummary,
  CommandContext,
  Engine,
  Outcome,
  ProgressEvent,
  TableView,
  TargetResult,
} from './types.ts';
import { END_STATES, waitForTargets } from './waiters.ts';

export interface EngineOptions {
  client: TceClient;
  store: Store;
  policy: Policy;
  /** Region for commands that give none (else the client's). */
  region?: string;
  /** How long a confirmation stays open (default 10 minutes). */
  confirmTtlMs?: number;
  /** Follow targets after execution (default on), polling this often. */
  wait?: boolean;
  waitIntervalMs?: number;
  waitTimeoutMs?: number;
  /** How often to expire overdue approvals (default 30 s; 0 = never in the background). */
  expireEveryMs?: number;
  now?: () => Date;
}

/** A plan waiting for its requester's confirmation: kept in the store, so any replica can take the click. */
interface PendingPlan {
  plan: Plan;
  requester: string;
  level: 'click' | 'typed';
  expected?: string;
  secret?: 'Password';
  expiresAt: string;
}

const PENDING_PREFIX = 'pending-plan:';

function newPlanId(): string {
  return `pln-${randomBytes(6).toString('hex')}`;
}

export function approvalSummary(record: ApprovalRecord): ApprovalSummary {
  return {
    id: record.id,
    state: record.state,
    requester: record.requester.id,
    plan: planSummary(record.plan),
    approvers: record.approvals.map((a) => a.by),
    needed: record.needed,
    eligible: record.eligible,
    expiresAt: record.expiresAt,
    reason: record.reason,
    results: record.result?.targets,
  };
}

function approvalsView(records: ApprovalRecord[]): TableView {
  return {
    kind: 'approval',
    title: 'Approval requests',
    columns: [
      { key: 'id', title: 'ID' },
      { key: 'state', title: 'State' },
      { key: 'requester', title: 'Requested by' },
      { key: 'approvals', title: 'Approvals' },
      { key: 'summary', title: 'Plan' },
      { key: 'expires', title: 'Expires' },
    ],
    rows: records.map((r) => ({
      id: r.id,
      state: r.state,
      requester: r.requester.id,
      approvals: `${r.approvals.length}/${r.needed}`,
      summary: r.plan.summary,
      expires: r.expiresAt,
    })),
    items: records as unknown as Record<string, unknown>[],
    ids: records.map((r) => r.id),
    states: records.map((r) => r.state),
    requestIds: [],
  };
}

export function createEngine(options: EngineOptions): Engine {
  const { client, store, policy } = options;
  const now = options.now ?? (() => new Date());
  const confirmTtlMs = options.confirmTtlMs ?? 10 * 60_000;
  const progressListeners = new Set<(event: ProgressEvent) => void>();
  const approvalListeners = new Set<(approval: ApprovalSummary) => void>();
  const running = new Set<Promise<unknown>>();
  let closed = false;

  const emitProgress = (event: ProgressEvent) => {
    for (const listener of progressListeners) listener(event);
  };
  const emitApproval = (record: ApprovalRecord) => {
    for (const listener of approvalListeners) listener(approvalSummary(record));
  };

  function track<T>(promise: Promise<T>): Promise<T> {
    const settled = promise.finally(() => running.delete(settled));
    running.add(settled);
    settled.catch(() => {});
    return promise;
  }

  function regionOf(command: ParsedCommand): string {
    const region = command.region || options.region || client.region || '';
    if (!region && command.spec.path[0] !== 'regions') {
      throw new InputError(
        "no region: give --region, or set TENCENTCLOUD_REGION or the profile's region",
        'MissingParameter',
        'list regions with "regions"',
      );
    }
    return region;
  }

  async function audit(ctx: CommandContext, kind: AuditKind, event: string, fields: Partial<AuditEntry> = {}) {
    await appendAudit(store, { kind, actor: ctx.actor.id, surface: ctx.surface, event, ...fields }, now());
  }

  async function describe(plan: Plan): Promise<Plan> {
    if (plan.targets.length === 0) return plan.price ? withPrice(client, plan) : plan;
    const kind = plan.targets[0]!.kind as TargetKind;
    const fresh = await describeTargets(
      client,
      plan.region,
      kind,
      plan.targets.map((t) => t.id),
    );
    // The price is asked again too: a price that moved makes the plan stale, like a target that moved.
    const replanned = replanWith(plan, fresh);
    return plan.price ? withPrice(client, replanned) : replanned;
  }

  /** Run the calls of a plan, report each target, then follow them to their end state in the background. */
  async function execute(
    plan: Plan,
    ctx: CommandContext,
    secret?: string,
  ): Promise<{ results: TargetResult[]; requestIds: string[] }> {
    const extra = secret ? secretParams(plan.calls[0]?.action, secret) : {};
    const outcome = await executeCalls(client, plan.calls, idParamOf(plan), extra);
    const end = END_STATES[plan.calls[0]?.action ?? ''];
    const succeeded = outcome.results.filter((r) => r.ok).map((r) => r.id);
    const kind = (plan.targets[0]?.kind as TargetKind | undefined) ?? end?.kind;
    if (end && succeeded.length && options.wait !== false && kind) {
      track(
        waitForTargets(
          client,
          plan.region,
          kind,
          succeeded,
          plan.hash,
          { ...end, intervalMs: options.waitIntervalMs, timeoutMs: options.waitTimeoutMs },
          emitProgress,
        ).catch((error) =>
          emitProgress({
            planHash: plan.hash,
            targetId: succeeded.join(','),
            state: 'UNKNOWN',
            done: true,
            message: `stopped following: ${(error as Error).message}`,
          }),
        ),
      );
    }
    void ctx;
    return outcome;
  }

  async function runNow(plan: Plan, ctx: CommandContext, secret?: string): Promise<Outcome> {
    await audit(ctx, 'execution', 'start', {
      planHash: plan.hash,
      command: plan.command,
      risk: plan.risk,
      region: plan.region,
    });
    const { results, requestIds } = await track(execute(plan, ctx, secret));
    await audit(ctx, 'result', 'finish', {
      planHash: plan.hash,
      requestIds,
      result: results.every((r) => r.ok) ? 'ok' : 'failed',
      data: { targets: results },
    });
    return { kind: 'result', plan: planSummary(plan), results, requestIds };
  }

  /** A plan for `call` with a write: no described targets, the call exactly as given. */
  function planForCall(
    service: string,
    actionName: string,
    params: Record<string, unknown>,
    region: string,
    text: string,
  ): Plan {
    const action = findAction(service, actionName);
    return buildPlan({
      command: text,
      service,
      verb: `Call ${service}:${action.name}`,
      risk: riskOf(service, action.name),
      region,
      targets: [],
      calls: [{ service, version: action.version, action: action.name, region, params }],
    });
  }

  async function decide(
    plan: Plan,
    ctx: CommandContext,
    opts: { dryRun?: boolean; yes?: boolean },
    secret?: 'Password',
  ): Promise<Outcome> {
    const decision = evaluatePolicy(policy, plan, {
      actor: ctx.actor,
      surface: ctx.surface,
      channel: ctx.channel,
    });
    await audit(ctx, 'decision', decision.kind, {
      planHash: plan.hash,
      command: plan.command,
      risk: plan.risk,
      region: plan.region,
      detail: decision.reason,
    });
    const summary = planSummary(plan);
    if (opts.dryRun) return { kind: 'dry-run', plan: summary, decision: decisionHeadline(decision) };
    switch (decision.kind) {
      case 'deny':
        return { kind: 'denied', reason: decision.denial, plan: summary };
      case 'approve': {
        if (secret) {
          throw new RefusedError(
            'the policy sends this to approval, but a password cannot wait in an approval request',
            'UnsupportedOperation',
            'ask an administrator to allow or confirm password resets in the policy, or reset it from the console of the cloud',
          );
        }
        const record = await requestApproval(store, {
          plan,
          decision,
          requester: ctx.actor,
          surface: ctx.surface,
          channel: ctx.channel,
          now: now(),
        });
        emitApproval(record);
        return { kind: 'approval', approval: approvalSummary(record) };
      }
      case 'allow':
      case 'confirm': {
        const level = decision.kind === 'confirm' ? decision.level : undefined;
        if (!secret && (level === undefined || opts.yes)) return runNow(plan, ctx);
        const expected =
          level === 'typed' ? (decision.kind === 'confirm' && decision.expected) || typedConfirmation(plan) : undefined;
        const planId = newPlanId();
        const pending: PendingPlan = {
          plan,
          requester: ctx.actor.id,
          level: level ?? 'click',
          expected,
          secret,
          expiresAt: new Date(now().getTime() + confirmTtlMs).toISOString(),
        };
        await store.setValue(`${PENDING_PREFIX}${planId}`, pending);
        if (secret) return { kind: 'secret', planId, plan: summary, field: secret };
        return { kind: 'confirm', planId, plan: summary, level: level!, expected };
      }
    }
  }

  async function runCall(
    command: ParsedCommand,
    params: Record<string, string | string[]>,
    ctx: CommandContext,
    opts: { dryRun?: boolean; yes?: boolean },
  ): Promise<Outcome> {
    const [service, actionName, ...extra] = command.args.rest ?? [];
    if (!service || !actionName)
      throw new InputError(
        'call needs a service and an action: call <service> <Action> --Param value',
        'MissingParameter',
      );
    if (extra.length) throw new InputError(`unexpected "${extra[0]}": parameters are given as --Name value`);
    const version = command.flags['api-version'] as string | undefined;
    const action = findAction(service, actionName, version);
    const coerced = coerceFlags(action, params, getServiceCatalog(service, action.version));
    const region = regionOf(command);
    if (riskOf(service, action.name) === 'read') {
      const response = await client.call(service, action.name, coerced, { region, version: action.version });
      return { kind: 'detail', title: `${service}:${action.name}`, item: response, requestIds: [response.RequestId] };
    }
    return decide(planForCall(service, action.name, coerced, region, command.text), ctx, opts);
  }

  async function afterApproval(record: ApprovalRecord, ctx: CommandContext): Promise<Outcome> {
    emitApproval(record);
    if (record.state !== 'approved') return { kind: 'approval', approval: approvalSummary(record) };
    let results: { results: TargetResult[]; requestIds: string[] } | undefined;
    const executed = await executeApproved(store, record.id, {
      replan: describe,
      run: async (plan) => {
        emitApproval({ ...record, state: 'executing' });
        results = await track(execute(plan, ctx));
        return { ok: results.results.every((r) => r.ok), requestIds: results.requestIds, targets: results.results };
      },
      actor: ctx.actor,
      surface: ctx.surface,
      now,
    });
    emitApproval(executed.record);
    if (executed.outcome === 'ran' && results) {
      return {
        kind: 'result',
        plan: planSummary(executed.record.plan),
        results: results.results,
        requestIds: results.requestIds,
      };
    }
    return { kind: 'approval', approval: approvalSummary(executed.record) };
  }

  async function inspectTargets(plan: Plan): Promise<TargetsVerdict> {
    const end = END_STATES[plan.calls[0]?.action ?? ''];
    if (!end || plan.targets.length === 0)
      return { outcome: 'unknown', detail: 'this action leaves nothing to inspect' };
    const seen: string[] = [];
    let reached = 0;
    for (const target of plan.targets) {
      try {
        const [now] = await describeTargets(client, plan.region, target.kind as TargetKind, [target.id]);
        seen.push(`${target.id} ${now?.state}`);
        if (now?.state && end.states.includes(now.state)) reached++;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        seen.push(`${target.id} gone`);
        if (end.gone) reached++;
      }
    }
    const outcome = reached === plan.targets.length ? 'succeeded' : 'unknown';
    return { outcome, detail: seen.join(', ') };
  }

  // Requests left executing by a process that died are settled from what the targets show; nothing runs twice.
  const ready = reconcile(store, { inspectTargets, now }).then((settled) => settled.forEach(emitApproval));
  ready.catch(() => {});
  const expireEvery = options.expireEveryMs ?? 30_000;
  const expiry =
    expireEvery > 0
      ? setInterval(() => {
          expireRequests(store, now())
            .then((expired) => expired.forEach(emitApproval))
            .catch(() => {});
        }, expireEvery)
      : undefined;
  expiry?.unref();

  // Decisions on a request, the same whether clicked (Slack, VS Code) or typed ("approve apr-…").
  async function approve(id: string, ctx: CommandContext): Promise<Outcome> {
    return afterApproval(await approveRequest(store, id, { actor: ctx.actor, surface: ctx.surface }, now()), ctx);
  }

  async function deny(id: string, ctx: CommandContext, reason?: string): Promise<Outcome> {
    const record = await denyRequest(store, id, { actor: ctx.actor, surface: ctx.surface }, reason, now());
    emitApproval(record);
    return { kind: 'approval', approval: approvalSummary(record) };
  }

  async function cancel(id: string, ctx: CommandContext): Promise<Outcome> {
    const record = await cancelRequest(store, id, { actor: ctx.actor, surface: ctx.surface }, now());
    emitApproval(record);
    return { kind: 'approval', approval: approvalSummary(record) };
  }

  async function guarded(work: () => Promise<Outcome>): Promise<Outcome> {
    if (closed) return { kind: 'error', error: new RefusedError('the engine is closed') };
    await ready.catch(() => {});
    try {
      return await work();
    } catch (error) {
      if (error instanceof TceopsError) return { kind: 'error', error };
      throw error;
    }
  }

  return withVerifiedActors({
    run: (text, ctx, opts = {}) =>
      guarded(async () => {
        const {
          command,
          options: global,
          params,
        } = parseCommand(text, { region: ctx.region ?? options.region ?? client.region });
        const { spec } = command;
        if (global.help) return { kind: 'text', text: helpText(spec.path.join(' ')) };
        await audit(ctx, 'request', spec.path.join(' '), { command: command.text });
        const dry = { dryRun: opts.dryRun || global.dryRun, yes: opts.yes || global.yes };
        switch (spec.builtin) {
          case 'help':
            return { kind: 'text', text: helpText(command.args.rest?.join(' ')) };
          case 'call':
            return runCall(command, params, ctx, dry);
          case 'approvals': {
            const state = (command.flags.state as string | undefined) ?? 'pending';
            // A page at a time (--offset, --limit), with one more record read to know whether a next page exists.
            const { Offset, Limit } = pageParams(command.flags);
            const limit = Offset + Limit + 1;
            const records = await store.listApprovals(
              state === 'all' ? { limit } : { state: state as ApprovalRecord['state'], limit },
            );
            const view = approvalsView(records.slice(Offset, Offset + Limit));
            if (records.length > Offset + Limit) view.nextOffset = Offset + Limit;
            else view.total = records.length;
            return { kind: 'table', view };
          }
          case 'approve':
            return approve(command.args.id![0]!, ctx);
          case 'deny':
            return deny(command.args.id![0]!, ctx, command.flags.reason as string | undefined);
          case 'cancel':
            return cancel(command.args.id![0]!, ctx);
          default:
            break;
        }
        // Names stand for instance IDs wherever a command takes an instance: resolved once, here.
        for (const arg of spec.args) {
          if (arg.id === 'instance' && arg.byName && command.args[arg.name]?.length) {
            command.args[arg.name] = await resolveInstanceNames(client, regionOf(command), command.args[arg.name]!);
          }
        }
        if (spec.read) {
          const result = await spec.read(command, { client, region: regionOf(command) });
          return 'kind' in result && 'columns' in result
            ? { kind: 'table', view: result as TableView }
            : (result as Outcome);
        }
        const { plan, secret } = await planCommand(client, command, regionOf(command));
        return decide(plan, ctx, dry, secret);
      }),

    confirm: (planId, ctx, input = {}) =>
      guarded(async () => {
        const key = `${PENDING_PREFIX}${planId}`;
        const pending = (await store.getValue(key)) as PendingPlan | undefined;
        if (!pending)
          throw new RefusedError(
            `no open confirmation ${planId}: it ran already, or never existed`,
            'ResourceNotFound',
            'run the command again',
          );
        if (pending.requester !== ctx.actor.id)
          throw new RefusedError(`only ${pending.requester}, who asked, can confirm this`, 'UnauthorizedOperation');
        if (Date.parse(pending.expiresAt) <= now().getTime())
          throw new RefusedError('this confirmation expired; run the command again', 'ConfirmationExpired');
        if (pending.level === 'typed' && !pending.secret && input.typed !== pending.expected) {
          throw new RefusedError(`not confirmed: type exactly "${pending.expected}"`, 'ConfirmationMismatch');
        }
        if (pending.secret && !input.password) throw new InputError('a new password is needed', 'MissingParameter');
        // One confirmation runs once, however many clicks or replicas see it.
        if (!(await store.setValueIfAbsent(`${key}:used`, { by: ctx.actor.id, at: now().toISOString() }))) {
          throw new RefusedError('this confirmation was already used', 'AlreadyConfirmed');
        }
        const fresh = await describe(pending.plan);
        if (fresh.hash !== pending.plan.hash) {
          await audit(ctx, 'decision', 'stale', {
            planHash: pending.plan.hash,
            detail: 'targets changed before confirmation',
          });
          return {
            kind: 'denied',
            reason: `the plan changed since it was shown (${planDifferences(pending.plan, fresh).join('; ') || 'targets changed'}); nothing ran — run the command again to see the new plan`,
            plan: planSummary(fresh),
          };
        }
        return runNow(pending.plan, ctx, input.password);
      }),

    approve: (id, ctx) => guarded(() => approve(id, ctx)),
    deny: (id, ctx, reason) => guarded(() => deny(id, ctx, reason)),
    cancel: (id, ctx) => guarded(() => cancel(id, ctx)),
    async listApprovals(filter = {}) {
      const records = await store.listApprovals({
        state: filter.state,
        requester: filter.requester,
        approver: filter.approver,
      });
      return records.map(approvalSummary);
    },
    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onApprovalChange(listener) {
      approvalListeners.add(listener);
      return () => approvalListeners.delete(listener);
    },
    help: (topic) => helpText(topic),
    complete: (partial) => complete(partial),
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
    async close() {
      closed = true;
      if (expiry) clearInterval(expiry);
      await ready.catch(() => {});
    },
  });
}
