/**
 * The tree's reads obey the policy like every other read: before the explorer sends a read through its own
 * client (kept for paging, name patterns and cancellable loads), the same call goes through the pipeline as a dry
 * run — parsed, validated, decided by the policy and, when refused, audited. A denied read is refused here too, and
 * nothing is sent. Allowed decisions are remembered for a minute per action and region: a read's decision cannot
 * depend on its parameters (reads have no targets), and polling would otherwise write the audit log every tick.
 */
import { flattenParams } from '@tceops/core/api/flatten.ts';
import type { EnginePort } from '../engine-port.ts';

export interface ReadCall {
  service: string;
  action: string;
  region?: string;
  params?: Record<string, unknown>;
  version?: string;
  /** The grammar's words for a read that needs no region (`regions`), where `call` would ask for one. */
  command?: string[];
}

/** Resolves when the policy allows the read; throws with the policy's reason when it does not. */
export type ReadGate = (call: ReadCall) => Promise<void>;

/** `call <service> <Action> --region R --Param value…` as words, so a value with spaces stays one value. */
export function callWords({ service, action, region, params = {}, version }: ReadCall): string[] {
  const words = ['call', service, action];
  if (region) words.push('--region', region);
  if (version) words.push('--api-version', version);
  for (const [name, value] of Object.entries(flattenParams(params))) words.push(`--${name}`, value);
  return words;
}

const REMEMBER_MS = 60_000;

export function pipelineReadGate(
  engine: () => Promise<EnginePort>,
  actor: { id: string; name?: string },
  now: () => number = Date.now,
): ReadGate {
  const allowedUntil = new Map<string, number>();
  return async (call) => {
    const key = [call.service, call.version ?? '', call.action, call.region ?? ''].join(' ');
    if ((allowedUntil.get(key) ?? 0) > now()) return;
    const outcome = await (await engine()).run(
      call.command ?? callWords(call),
      { actor, surface: 'vscode', region: call.region },
      { dryRun: true },
    );
    if (outcome.kind === 'error') throw Object.assign(new Error(outcome.error.message), outcome.error);
    if (outcome.kind === 'dry-run' && outcome.decisionKind === 'allow') {
      allowedUntil.set(key, now() + REMEMBER_MS);
      return;
    }
    const reason =
      outcome.kind === 'denied' ? outcome.reason : outcome.kind === 'dry-run' ? outcome.decision : outcome.kind;
    throw Object.assign(new Error(`the policy does not allow this read (${call.service}:${call.action}): ${reason}`), {
      code: 'UnauthorizedOperation',
    });
  };
}
