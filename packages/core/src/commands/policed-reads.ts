/**
 * A client for a surface's own reads — the VS Code tree pages, matches name patterns and cancels loads, which a
 * command's outcome does not offer — that still obeys the pipeline. Each call is first run through the pipeline as a
 * dry run of the same `call` (parsed, validated against the catalog, decided by the policy and, when refused,
 * audited); only then is it sent, through the pipeline's own client. An action the catalog does not call a read is
 * refused before anything else: changes go through commands, confirmations and approvals, never through here.
 * Allowed decisions are remembered for a minute per action and region: a read's decision cannot depend on its
 * parameters (reads have no targets), and polling would otherwise write the audit log at every tick.
 */
import type { TceClient } from '../api/client.ts';
import { RefusedError } from '../api/errors.ts';
import { flattenParams } from '../api/flatten.ts';
import { findAction } from '../catalog/index.ts';
import { riskOf } from '../catalog/risk.ts';
import type { CommandContext } from './types.ts';

const REMEMBER_MS = 60_000;

/** Reads that take no region, as the grammar's words (`call` would ask for a region). */
const REGIONLESS: Record<string, string[]> = { 'cvm:DescribeRegions': ['regions'] };

export interface ReadCall {
  service: string;
  action: string;
  region?: string;
  params?: Record<string, unknown>;
  version?: string;
}

/** `call <service> <Action> --region R --Param value…` as words, so a value with spaces stays one value. */
export function callWords({ service, action, region, params = {}, version }: ReadCall): string[] {
  const words = ['call', service, action];
  if (region) words.push('--region', region);
  if (version) words.push('--api-version', version);
  for (const [name, value] of Object.entries(flattenParams(params))) words.push(`--${name}`, value);
  return words;
}

/** What the reads need of a pipeline: a dry run of words (an engine, or a surface's port to one). */
export interface DryRunner {
  run(words: string[], ctx: CommandContext, options: { dryRun: boolean }): Promise<DryRunOutcome>;
}

/** The parts of a dry run's outcome a read's decision reads. */
interface DryRunOutcome {
  kind: string;
  error?: { message: string };
  decisionKind?: string;
  decision?: string;
  reason?: string;
}

export function policedReads(
  pipeline: DryRunner,
  client: TceClient,
  ctx: CommandContext,
  now: () => number = Date.now,
): TceClient {
  const allowedUntil = new Map<string, number>();

  async function decide(call: ReadCall): Promise<void> {
    const action = findAction(call.service, call.action, call.version);
    if (riskOf(call.service, action.name) !== 'read')
      throw new RefusedError(
        `${call.service}:${action.name} is not a read: the explorer only reads`,
        'UnauthorizedOperation',
        'changes go through a command, with the confirmation or approval the policy asks for',
      );
    const key = [call.service, call.version ?? '', action.name, call.region ?? ''].join(' ');
    if ((allowedUntil.get(key) ?? 0) > now()) return;
    const words = (!call.region && REGIONLESS[`${call.service}:${action.name}`]) || callWords(call);
    const outcome = await pipeline.run(words, { ...ctx, region: call.region }, { dryRun: true });
    if (outcome.kind === 'error' && outcome.error)
      throw outcome.error instanceof Error
        ? outcome.error
        : Object.assign(new Error(outcome.error.message), outcome.error);
    if (outcome.kind === 'dry-run' && outcome.decisionKind === 'allow') {
      allowedUntil.set(key, now() + REMEMBER_MS);
      return;
    }
    const reason =
      outcome.kind === 'denied' ? outcome.reason : outcome.kind === 'dry-run' ? outcome.decision : outcome.kind;
    throw new RefusedError(`the policy does not allow this read (${call.service}:${action.name}): ${reason}`);
  }

  return {
    region: client.region,
    async call(service, action, params = {}, options = {}) {
      await decide({ service, action, params, region: options.region, version: options.version });
      return client.call(service, action, params, options);
    },
    // The pipeline owns the client: closing the pipeline closes it.
    close() {},
  };
}
