/**
 * A client for a surface's own reads — the VS Code tree pages, matches name patterns and cancels loads, which a
 * command's outcome does not offer — that still obeys the pipeline. Each call is first run through the pipeline as a
 * dry run of the same `call` (parsed, validated against the catalog, decided by the policy and, when refused,
 * audited); only then is it sent, through the pipeline's own client. An action the catalog does not call a read is
 * refused before anything else: changes go through commands, confirmations and approvals, never through here.
 * Allowed decisions are remembered for a minute per action and region: a read's decision cannot depend on its
 * parameters (reads have no targets), and polling would otherwise write the audit log at every tick.
 * When the policy records reads (`auditReads`), each distinct read (action, region, parameters) is run for real
 * through the pipeline, which records it, once a minute; the same read again within the minute (a poll) is sent
 * directly and records nothing new: the first record already says who looked at that.
 */
import type { TceClient } from '../api/client.ts';
import { RefusedError } from '../api/errors.ts';
import { flattenParams } from '../api/flatten.ts';
import { findAction } from '../catalog/index.ts';
import { riskOf } from '../catalog/risk.ts';
import type { CommandContext } from './types.ts';

const REMEMBER_MS = 60_000;

/**
 * Reads that take no region, as the grammar's words (`call` would ask for a region), and where the grammar's answer
 * keeps the API's list (a table's items), to answer as the API would.
 */
const REGIONLESS: Record<string, { words: string[]; itemsKey: string }> = {
  'cvm:DescribeRegions': { words: ['regions'], itemsKey: 'RegionSet' },
};

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

/** What the reads need of a pipeline: runs of words, dry to decide, real to record (an engine, or a port to one). */
export interface ReadRunner {
  run(words: string[], ctx: CommandContext, options: { dryRun: boolean }): Promise<RunOutcome>;
}

/** The parts of a run's outcome a read reads. */
interface RunOutcome {
  kind: string;
  error?: { message: string };
  decisionKind?: string;
  decision?: string;
  /** A dry run's: whether the pipeline records this read when it runs. */
  auditRead?: boolean;
  reason?: string;
  /** A real run's answer: `call` gives it whole, a grammar read its table. */
  item?: Record<string, unknown>;
  view?: { items?: Record<string, unknown>[]; requestIds?: string[] };
}

export function policedReads(
  pipeline: ReadRunner,
  client: TceClient,
  ctx: CommandContext,
  now: () => number = Date.now,
): TceClient {
  /** Allowed decisions per action and region: until when, and whether the pipeline records such reads. */
  const allowed = new Map<string, { until: number; recorded: boolean }>();
  /** Recorded reads by their words: until when the same read is not recorded again. */
  const recordedUntil = new Map<string, number>();

  function wordsOf(call: ReadCall, action: string): { words: string[]; itemsKey?: string } {
    const regionless = !call.region && REGIONLESS[`${call.service}:${action}`];
    return regionless || { words: callWords(call) };
  }

  function thrown(outcome: RunOutcome): Error {
    return outcome.error instanceof Error
      ? outcome.error
      : Object.assign(new Error(outcome.error!.message), outcome.error);
  }

  /** The policy's decision on this read (refusals throw); true when the pipeline records it. */
  async function decide(call: ReadCall, action: string): Promise<boolean> {
    const key = [call.service, call.version ?? '', action, call.region ?? ''].join(' ');
    const known = allowed.get(key);
    if (known && known.until > now()) return known.recorded;
    const outcome = await pipeline.run(wordsOf(call, action).words, { ...ctx, region: call.region }, { dryRun: true });
    if (outcome.kind === 'error' && outcome.error) throw thrown(outcome);
    if (outcome.kind === 'dry-run' && outcome.decisionKind === 'allow') {
      const recorded = outcome.auditRead === true;
      allowed.set(key, { until: now() + REMEMBER_MS, recorded });
      return recorded;
    }
    const reason =
      outcome.kind === 'denied' ? outcome.reason : outcome.kind === 'dry-run' ? outcome.decision : outcome.kind;
    throw new RefusedError(`the policy does not allow this read (${call.service}:${action}): ${reason}`);
  }

  /** The read run for real through the pipeline, which records it; its answer as the API gave it. */
  async function recordedRead(call: ReadCall, action: string): Promise<Record<string, unknown>> {
    const { words, itemsKey } = wordsOf(call, action);
    const outcome = await pipeline.run(words, { ...ctx, region: call.region }, { dryRun: false });
    if (outcome.kind === 'error' && outcome.error) throw thrown(outcome);
    if (outcome.kind === 'detail' && outcome.item) return outcome.item;
    const items = outcome.kind === 'table' ? outcome.view?.items : undefined;
    if (items && itemsKey)
      return { [itemsKey]: items, TotalCount: items.length, RequestId: outcome.view?.requestIds?.[0] };
    throw new RefusedError(
      `the policy does not allow this read (${call.service}:${action}): ${outcome.reason ?? outcome.kind}`,
    );
  }

  return {
    region: client.region,
    async call(service, action, params = {}, options = {}) {
      const call = { service, action, params, region: options.region, version: options.version };
      const found = findAction(service, action, options.version);
      if (riskOf(service, found.name) !== 'read')
        throw new RefusedError(
          `${service}:${found.name} is not a read: the explorer only reads`,
          'UnauthorizedOperation',
          'changes go through a command, with the confirmation or approval the policy asks for',
        );
      if (await decide(call, found.name)) {
        const key = wordsOf(call, found.name).words.join('\u0000');
        if ((recordedUntil.get(key) ?? 0) <= now()) {
          const answer = await recordedRead(call, found.name);
          recordedUntil.set(key, now() + REMEMBER_MS);
          return answer as never;
        }
      }
      return client.call(service, action, params, options);
    },
    // The pipeline owns the client: closing the pipeline closes it.
    close() {},
  };
}
