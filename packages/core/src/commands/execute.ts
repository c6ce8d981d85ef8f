/**
 * Run a plan's calls, one batch at a time, and report each target's outcome. A failed batch does not stop the
 * others: every target gets an answer.
 */
import type { TceClient } from '../api/client.ts';
import { ApiError, TceopsError } from '../api/errors.ts';
import type { TargetResult } from './types.ts';

export interface ExecutableCall {
  service: string;
  version: string;
  action: string;
  region: string;
  params: Record<string, unknown>;
}

function targetsOf(call: ExecutableCall, idParam: string | undefined): string[] {
  if (!idParam) return [];
  const value = call.params[idParam];
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

export async function executeCalls(
  client: TceClient,
  calls: ExecutableCall[],
  idParam: string | undefined,
  extraParams: Record<string, unknown> = {},
): Promise<{ results: TargetResult[]; requestIds: string[]; responses: Record<string, unknown>[] }> {
  const results: TargetResult[] = [];
  const requestIds: string[] = [];
  const responses: Record<string, unknown>[] = [];
  for (const call of calls) {
    const ids = targetsOf(call, idParam);
    try {
      const response = await client.call(
        call.service,
        call.action,
        { ...call.params, ...extraParams },
        { region: call.region, version: call.version },
      );
      requestIds.push(response.RequestId);
      responses.push(response);
      // A call without target IDs (CreateKeyPair) still gets its line: the action stands for the target.
      for (const id of ids.length ? ids : [`${call.service}:${call.action}`])
        results.push({ id, ok: true, requestId: response.RequestId });
    } catch (error) {
      if (!(error instanceof TceopsError)) throw error;
      const requestId = error instanceof ApiError ? error.requestId : undefined;
      if (requestId) requestIds.push(requestId);
      const code = error instanceof ApiError ? error.code : error.name;
      const message = error instanceof ApiError ? error.apiMessage : error.message;
      for (const id of ids.length ? ids : [`${call.service}:${call.action}`])
        results.push({ id, ok: false, code, message, requestId });
    }
  }
  return { results, requestIds, responses };
}
