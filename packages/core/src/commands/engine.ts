/**
 * The command pipeline every surface drives. prepare.ts holds the steps up to the policy's decision (parse,
 * resolve, describe, plan, check states, policy); this file holds what follows: confirm or ask for approval,
 * execute, follow, and audit every step. A dry run and `policy explain` stop after the decision.
 */
import type { TceClient } from '../api/client.ts';
import { InputError, RefusedError, TceopsError } from '../api/errors.ts';
import {
  approveRequest,
  cancelRequest,
  denyRequest,
  executeApproved,
  requestApproval,
  requireApproval,
} from '../approvals/service.ts';
import { isExpired, withApproval, withCancel, withDenial } from '../approvals/machine.ts';
import type { ApprovalRecord, ApprovalState } from '../approvals/types.ts';
import { findAction } from '../catalog/index.ts';
import { secretOutputPaths, secretsIn } from '../catalog/secrets.ts';
import { appendAudit } from '../audit/log.ts';
import type { AuditEntry, AuditKind } from '../audit/types.ts';
import { planDifferences } from '../plan/hash.ts';
import type { Plan } from '../plan/types.ts';
import { withVerifiedActors } from '../identity/engine.ts';
import { typedConfirmation } from '../policy/evaluate.ts';
import { decisionHeadline } from '../policy/explain.ts';
import type { Decision, Policy } from '../policy/types.ts';
import type { Store } from '../store/types.ts';
import { startBackground } from './background.ts';
import { savePending, takePending } from './confirmations.ts';
import { executeCalls, secretParams } from './execute.ts';
import { complete, helpText } from './help.ts';
import { idParamOf, planSummary, replanWith } from './plan.ts';
import { type CallRequest, callTargets, type PipelineDeps, type Prepared, prepare, resolveNames } from './prepare.ts';
import { explainCommand } from './explain.ts';
import { approvalHeadline, approvalSummary, approvalsView } from './present.ts';
import type { ParsedCommand } from './spec.ts';
import { withPrice } from './price.ts';
import { pageParams } from './resources/common.ts';
import { describeMixed, type TargetKind } from './targets.ts';
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

export { approvalSummary };

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
  /** How often to expire overdue approvals and run stranded approved ones (default 30 s; 0 = never in the background). */
  expireEveryMs?: number;
  now?: () => Date;
}

interface Ran {
  results: TargetResult[];
  requestIds: string[];
  responses: Record<string, unknown>[];
}

type DryRun = { dryRun?: boolean; yes?: boolean };

export function createEngine(options: EngineOptions): Engine {
  const { client, store, policy } = options;
  const deps: PipelineDeps = { client, policy, region: options.region };
  const now = options.now ?? (() => new Date());
  const confirmTtlMs = options.confirmTtlMs ?? 10 * 60_000;
  const progressListeners = new Set<(event: ProgressEvent) => void>();
  const approvalListeners = new Set<(approval: ApprovalSummary) => void>();
  /** Executions and waiters still running, with the plan each serves (a server streams one plan's progress). */
  const running = new Map<Promise<unknown>, string | undefined>();
  let closed = false;

  const emitProgress = (event: ProgressEvent) => {
    for (const listener of progressListeners) listener(event);
  };
  const emitApproval = (record: ApprovalRecord) => {
    for (const listener of approvalListeners) listener(approvalSummary(record));
  };

  function track<T>(promise: Promise<T>, planHash?: string): Promise<T> {
    const settled = promise.finally(() => running.delete(settled));
    running.set(settled, planHash);
    settled.catch(() => {});
    return promise;
  }

  async function audit(ctx: CommandContext, kind: AuditKind, event: string, fields: Partial<AuditEntry> = {}) {
    await appendAudit(store, { kind, actor: ctx.actor.id, surface: ctx.surface, event, ...fields }, now());
  }

  /** The plan again, its targets described as they are now (same calls): a new hash if anything moved. */
  async function describe(plan: Plan): Promise<Plan> {
    if (plan.targets.length === 0) return plan.price ? withPrice(client, plan) : plan;
    const fresh = await describeMixed(
      client,
      plan.region,
      plan.targets.map((t) => ({ kind: t.kind, id: t.id })),
    );
    // The price is asked again too: a price that moved makes the plan stale, like a target that moved.
    const replanned = replanWith(plan, fresh);
    return plan.price ? withPrice(client, replanned) : replanned;
  }

  /** Run the calls of a plan, report each target, then follow them to their end state in the background. */
  async function execute(plan: Plan, secret?: string): Promise<Ran> {
    const extra = secret ? secretParams(plan.calls[0]?.action, secret) : {};
    const outcome = await executeCalls(client, plan.calls, idParamOf(plan), extra);
    const end = END_STATES[plan.calls[0]?.action ?? ''];
    const succeeded = outcome.results.filter((r) => r.ok).map((r) => r.id);
    // Targets described in the plan, or (for a creation, which has none) what the answer says was made.
    const kind = (plan.targets.find((t) => !t.unknown)?.kind as TargetKind | undefined) ?? end?.kind;
    const ids = plan.targets.length
      ? plan.targets.filter((t) => succeeded.includes(t.id) && !t.unknown && t.kind === kind).map((t) => t.id)
      : succeeded;
    if (end && ids.length && options.wait !== false && kind) {
      track(
        waitForTargets(
          client,
          plan.region,
          kind,
          ids,
          plan.hash,
          { ...end, intervalMs: options.waitIntervalMs, timeoutMs: options.waitTimeoutMs },
          emitProgress,
        ).catch((error) =>
          emitProgress({
            planHash: plan.hash,
            targetId: ids.join(','),
            state: 'UNKNOWN',
            done: true,
            message: `stopped following: ${(error as Error).message}`,
          }),
        ),
        plan.hash,
      );
    }
    return outcome;
  }

  /** A response goes to the requester whole; anyone else (an approver who triggered the run) sees no secret in it. */
  function responsesFor(ran: Ran, requester: string, ctx: CommandContext): Record<string, unknown>[] {
    if (requester === ctx.actor.id) return ran.responses;
    return ran.responses.map((r) => withoutSecrets(r));
  }

  async function runNow(plan: Plan, ctx: CommandContext, secret?: string): Promise<Outcome> {
    await audit(ctx, 'execution', 'start', {
      planHash: plan.hash,
      command: plan.command,
      risk: plan.risk,
      region: plan.region,
    });
    const ran = await track(execute(plan, secret), plan.hash);
    await audit(ctx, 'result', 'finish', {
      planHash: plan.hash,
      requestIds: ran.requestIds,
      result: ran.results.every((r) => r.ok) ? 'ok' : 'failed',
      data: { targets: ran.results },
    });
    return {
      kind: 'result',
      plan: planSummary(plan),
      results: ran.results,
      requestIds: ran.requestIds,
      ...(isCall(plan) ? { responses: ran.responses } : {}),
    };
  }

  async function decide(plan: Plan, decision: Decision, ctx: CommandContext, opts: DryRun, secret?: 'Password') {
    await audit(ctx, 'decision', decision.kind, {
      planHash: plan.hash,
      command: plan.command,
      risk: plan.risk,
      region: plan.region,
      detail: decision.reason,
    });
    const summary = planSummary(plan);
    if (opts.dryRun)
      return {
        kind: 'dry-run',
        plan: summary,
        decision: decisionHeadline(decision),
        decisionKind: decision.kind,
      } as Outcome;
    switch (decision.kind) {
      case 'deny':
        return { kind: 'denied', reason: decision.denial, plan: summary } as Outcome;
      case 'approve': {
        if (secret) {
          throw new RefusedError(
            'the policy sends this to approval, but a password cannot wait in an approval request',
            'UnsupportedOperation',
            'ask an administrator to allow or confirm password resets in the policy, or reset it from the console of the cloud',
          );
        }
        const answers = secretAnswers(plan);
        if (answers.length) {
          throw new RefusedError(
            `the policy sends this to approval, but its answer carries a secret (${answers.join(', ')}) that only the requester may see, and an approved request runs for the approver`,
            'UnsupportedOperation',
            'ask an administrator to have the policy confirm this action instead of sending it to approval',
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
        return { kind: 'approval', approval: approvalSummary(record) } as Outcome;
      }
      case 'allow':
      case 'confirm': {
        const level = decision.kind === 'confirm' ? decision.level : undefined;
        if (!secret && (level === undefined || opts.yes)) return runNow(plan, ctx);
        const expected =
          level === 'typed' ? (decision.kind === 'confirm' && decision.expected) || typedConfirmation(plan) : undefined;
        const planId = await savePending(store, {
          plan,
          requester: ctx.actor.id,
          level: level ?? 'click',
          expected,
          secret,
          expiresAt: new Date(now().getTime() + confirmTtlMs).toISOString(),
        });
        if (secret) return { kind: 'secret', planId, plan: summary, field: secret } as Outcome;
        return { kind: 'confirm', planId, plan: summary, level: level!, expected } as Outcome;
      }
    }
  }

  async function runRead(prepared: Extract<Prepared, { kind: 'read' }>, ctx: CommandContext, opts: DryRun) {
    const { plan, decision, region, call } = prepared;
    const { command } = prepared.parsed;
    const fields = { command: plan.command, region };
    // A recorded read is one record, written when its answer is back; any other read keeps its request line.
    const recorded = decision.kind === 'allow' && decision.auditRead === true && !opts.dryRun;
    if (!recorded) await audit(ctx, 'request', command.spec.path.join(' '), { command: command.text });
    // A refusal is always recorded, with what was asked for.
    if (decision.kind !== 'allow')
      await audit(ctx, 'decision', decision.kind, {
        ...fields,
        risk: 'read',
        result: 'denied',
        detail: decision.reason,
        data: readData(plan, ctx, readTargets(command, call)),
      });
    if (opts.dryRun)
      return {
        kind: 'dry-run',
        plan: planSummary(plan),
        decision: decisionHeadline(decision),
        decisionKind: decision.kind,
        auditRead: decision.auditRead,
      } as Outcome;
    if (decision.kind === 'deny')
      return { kind: 'denied', reason: decision.denial, plan: planSummary(plan) } as Outcome;
    const read = async (): Promise<Outcome> => {
      if (call) {
        const response = await client.call(call.service, call.action, call.params, { region, version: call.version });
        return {
          kind: 'detail',
          title: `${call.service}:${call.action}`,
          item: response,
          requestIds: [response.RequestId],
        } as Outcome;
      }
      await resolveNames(client, command, region);
      const result = await command.spec.read!(command, { client, region });
      return 'kind' in result && 'columns' in result
        ? ({ kind: 'table', view: result as TableView } as Outcome)
        : result;
    };
    if (!recorded) return read();
    // The answer is returned only once its record is synced: a read the log cannot hold is not shown.
    let outcome: Outcome;
    try {
      outcome = await read();
    } catch (error) {
      await audit(ctx, 'read', command.spec.path.join(' '), {
        ...fields,
        result: 'failed',
        detail: (error as Error).message,
        data: readData(plan, ctx, readTargets(command, call)),
      });
      throw error;
    }
    await audit(ctx, 'read', command.spec.path.join(' '), {
      ...fields,
      result: 'ok',
      requestIds: 'requestIds' in outcome ? outcome.requestIds : (outcome as { view?: TableView }).view?.requestIds,
      data: readData(plan, ctx, readTargets(command, call)),
    });
    return outcome;
  }

  // ── Decisions on a request, the same whether clicked (Slack, VS Code) or typed ("approve apr-…") ──

  /** Run an approved request; `retry` when it is a later attempt (a decision on it after it could not run, reconcile). */
  async function runApproved(record: ApprovalRecord, ctx: CommandContext, retry: boolean): Promise<Outcome> {
    let ran: Ran | undefined;
    const executed = await executeApproved(store, record.id, {
      replan: describe,
      run: async (plan, claimed) => {
        emitApproval(claimed);
        ran = await track(execute(plan), plan.hash);
        return { ok: ran.results.every((r) => r.ok), requestIds: ran.requestIds, targets: ran.results };
      },
      actor: ctx.actor,
      surface: ctx.surface,
      now,
      lastAttempt: retry,
    });
    emitApproval(executed.record);
    if (executed.outcome === 'ran' && ran) {
      return {
        kind: 'result',
        plan: planSummary(executed.record.plan),
        results: ran.results,
        requestIds: ran.requestIds,
        ...(isCall(executed.record.plan) ? { responses: responsesFor(ran, executed.record.requester.id, ctx) } : {}),
      };
    }
    const summary = approvalSummary(executed.record);
    if (executed.outcome === 'unreached')
      summary.reason = `${executed.error}; it is tried once more by the next decision on it or by the bot, and fails if it cannot run then`;
    return { kind: 'approval', approval: summary };
  }

  async function approve(id: string, ctx: CommandContext): Promise<Outcome> {
    await expireAndReconcile(id);
    const current = await requireApproval(store, id);
    // Approved but never run (the cloud was unreachable, or the process stopped): this decision runs it, once.
    if (current.state === 'approved' && !isExpired(current, now())) return runApproved(current, ctx, true);
    const record = await approveRequest(store, id, { actor: ctx.actor, surface: ctx.surface }, now());
    emitApproval(record);
    if (record.state !== 'approved') return { kind: 'approval', approval: approvalSummary(record) };
    return runApproved(record, ctx, false);
  }

  async function deny(id: string, ctx: CommandContext, reason?: string): Promise<Outcome> {
    await expireAndReconcile(id);
    const record = await denyRequest(store, id, { actor: ctx.actor, surface: ctx.surface }, reason, now());
    emitApproval(record);
    return { kind: 'approval', approval: approvalSummary(record) };
  }

  async function cancel(id: string, ctx: CommandContext): Promise<Outcome> {
    await expireAndReconcile(id);
    const record = await cancelRequest(store, id, { actor: ctx.actor, surface: ctx.surface }, now());
    emitApproval(record);
    return { kind: 'approval', approval: approvalSummary(record) };
  }

  /** approve|deny|cancel --dry-run: what the decision would do, from the same state machine; nothing is written. */
  async function decisionDryRun(verb: 'approve' | 'deny' | 'cancel', id: string, ctx: CommandContext) {
    const record = await requireApproval(store, id);
    const at = now();
    let next: ApprovalRecord;
    if (verb === 'approve' && record.state === 'approved' && !isExpired(record, at)) next = record;
    else
      next =
        verb === 'approve'
          ? withApproval(record, ctx.actor, at, ctx.surface)
          : verb === 'deny'
            ? withDenial(record, ctx.actor, at)
            : withCancel(record, ctx.actor, at);
    const would =
      next.state === 'approved'
        ? `would run it now: ${next.plan.summary}`
        : next.state === 'pending'
          ? `would record ${ctx.actor.id}'s approval (${next.approvals.length} of ${next.needed}); nothing would run yet`
          : `would make it ${next.state}; nothing would run`;
    return {
      kind: 'dry-run',
      plan: planSummary(record.plan),
      decision: `${verb} ${id}: ${would}`,
    } as Outcome;
  }

  async function listApprovalsTable(command: ParsedCommand): Promise<Outcome> {
    await expireAndReconcile();
    const state = (command.flags.state as string | undefined) ?? 'pending';
    // A page at a time (--offset, --limit), with one more record read to know whether a next page exists.
    const { Offset, Limit } = pageParams(command.flags);
    const limit = Offset + Limit + 1;
    const records = await store.listApprovals(state === 'all' ? { limit } : { state: state as ApprovalState, limit });
    const view = approvalsView(records.slice(Offset, Offset + Limit));
    if (records.length > Offset + Limit) view.nextOffset = Offset + Limit;
    else view.total = records.length;
    return { kind: 'table', view };
  }

  async function runBuiltin(command: ParsedCommand, ctx: CommandContext, opts: DryRun): Promise<Outcome> {
    const { spec } = command;
    await audit(ctx, 'request', spec.path.join(' '), { command: command.text });
    const id = command.args.id?.[0] ?? '';
    switch (spec.builtin) {
      case 'approvals':
        return listApprovalsTable(command);
      case 'approve':
        return opts.dryRun ? decisionDryRun('approve', id, ctx) : approve(id, ctx);
      case 'deny':
        return opts.dryRun
          ? decisionDryRun('deny', id, ctx)
          : deny(id, ctx, command.flags.reason as string | undefined);
      case 'cancel':
        return opts.dryRun ? decisionDryRun('cancel', id, ctx) : cancel(id, ctx);
      default:
        return { kind: 'text', text: helpText(command.args.rest?.join(' ')) };
    }
  }

  const background = startBackground({
    store,
    client,
    now,
    everyMs: options.expireEveryMs ?? 30_000,
    onSettled: emitApproval,
    runStranded: (record) => runApproved(record, { actor: { id: 'tceops' }, surface: record.surface }, true),
  });

  /** Before a decision or a listing: overdue requests expire, stranded approved ones run (once) or fail. */
  async function expireAndReconcile(except?: string): Promise<void> {
    await background.tick(except);
  }

  async function guarded(work: () => Promise<Outcome>): Promise<Outcome> {
    if (closed) return { kind: 'error', error: new RefusedError('the engine is closed') };
    await background.ready;
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
        const prepared = await prepare(deps, text, ctx);
        const { command, options: global } = prepared.parsed;
        if (global.help) return { kind: 'text', text: helpText(command.spec.path.join(' ')) };
        const dry = { dryRun: opts.dryRun || global.dryRun, yes: opts.yes || global.yes };
        if (dry.dryRun && dry.yes)
          throw new InputError('--dry-run and --yes cannot be used together', 'InvalidParameterCombination');
        if (prepared.kind === 'builtin') return runBuiltin(command, ctx, dry);
        if (prepared.kind === 'read') return runRead(prepared, ctx, dry);
        await audit(ctx, 'request', command.spec.path.join(' '), { command: command.text });
        return decide(prepared.plan, prepared.decision, ctx, dry, prepared.secret);
      }),

    explain: async (text, ctx, subject = ctx) => {
      if (closed) throw new RefusedError('the engine is closed');
      await background.ready;
      const explained = await explainCommand(deps, text, subject);
      const { plan, decision } = explained;
      // Planning read the targets (names, states, tags): the caller's request is recorded, as a dry run's is, with
      // whom it was explained for; the targets too when the policy records reads.
      await audit(ctx, 'request', 'policy explain', {
        command: text,
        planHash: plan?.hash,
        detail: `for ${subject.actor.id} on ${subject.surface}: ${decision.kind}`,
        ...(policy.auditReads && plan?.targets.length ? { data: { targets: plan.targets.map((t) => t.id) } } : {}),
      });
      return explained;
    },

    confirm: (planId, ctx, input = {}) =>
      guarded(async () => {
        const pending = await takePending(store, planId, ctx, input, now());
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
    async idle(planHash) {
      const left = () => [...running].filter(([, hash]) => planHash === undefined || hash === planHash).map(([p]) => p);
      for (let now = left(); now.length; now = left()) await Promise.allSettled(now);
    },
    async close() {
      closed = true;
      await background.stop();
    },
  });
}

/** The secret fields the answers of a plan's calls carry (CreateKeyPair's private key): only the requester's. */
function secretAnswers(plan: Plan): string[] {
  const fields = plan.calls.flatMap((c) => secretOutputPaths(findAction(c.service, c.action, c.version)));
  return [...new Set(fields)];
}

/**
 * What a read asked for: the IDs a `call` names in the catalog's ID parameters, or the grammar's arguments (names
 * as given when refused before they were looked up, IDs once resolved). Never parameter values beyond these.
 */
function readTargets(command: ParsedCommand, call?: CallRequest): string[] {
  if (call) return callTargets(call).map((t) => t.id);
  return command.spec.args.filter((a) => a.id).flatMap((a) => command.args[a.name] ?? []);
}

function readData(plan: Plan, ctx: CommandContext, targets: string[]): Record<string, unknown> {
  return {
    actions: [...new Set(plan.calls.map((c) => `${c.service}:${c.action}`))],
    ...(targets.length ? { targets } : {}),
    ...(ctx.channel ? { channel: ctx.channel } : {}),
  };
}

function isCall(plan: Plan): boolean {
  return plan.verb.startsWith('Call ');
}

/** A copy of an API response with every secret field (PrivateKey, Password, ...) replaced. */
export function withoutSecrets(response: Record<string, unknown>): Record<string, unknown> {
  if (secretsIn(response).length === 0) return response;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        secretsIn(v, k).includes(k) ? '(withheld: only the requester sees it)' : strip(v),
      ]),
    );
  };
  return strip(response) as Record<string, unknown>;
}

export { approvalHeadline };
