/** A scripted stand-in for the core engine: answers run() from a table, records every call. */
import type { CommandContext, EnginePort, Outcome, PlanSummary } from '../../src/engine-port.ts';

export interface EngineCall {
  method: 'run' | 'confirm';
  text?: string;
  planId?: string;
  ctx: CommandContext;
  input?: { typed?: string; password?: string };
}

export function plan(command: string, partial: Partial<PlanSummary> = {}): PlanSummary {
  const ids = command.split(' ').filter((w) => /^[a-z]+-[a-z0-9]+$/.test(w));
  return {
    hash: `hash-${command.length}`,
    command,
    service: 'cvm',
    action: 'StopInstances',
    risk: 'sensitive',
    region: 'ap-guangzhou',
    summary: `Do ${command}.`,
    irreversible: false,
    targets: ids.map((id) => ({ id, name: `name-of-${id}`, state: 'RUNNING', tags: {} })),
    ...partial,
  };
}

export function fakeEngine(
  onRun: (text: string, ctx: CommandContext) => Outcome,
  onConfirm: (planId: string, input?: { typed?: string; password?: string }) => Outcome = (planId) => ({
    kind: 'result',
    plan: plan(planId),
    results: plan(planId).targets.map((t) => ({ id: t.id, ok: true, requestId: `req-${t.id}` })),
    requestIds: [],
  }),
) {
  const calls: EngineCall[] = [];
  const engine: EnginePort = {
    async run(input, ctx) {
      const text = Array.isArray(input) ? input.join(' ') : input;
      calls.push({ method: 'run', text, ctx });
      return onRun(text, ctx);
    },
    async confirm(planId, ctx, input) {
      calls.push({ method: 'confirm', planId, ctx, input });
      return onConfirm(planId, input);
    },
    approve: async () => ({ kind: 'text', text: 'approved' }),
    deny: async () => ({ kind: 'text', text: 'denied' }),
    cancel: async () => ({ kind: 'text', text: 'cancelled' }),
    listApprovals: async () => [],
    onProgress: () => () => {},
    async close() {},
  };
  return { engine, calls };
}
