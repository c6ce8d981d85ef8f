/**
 * Run a plan's calls, one batch at a time, and report each target's outcome. A failed batch does not stop the
 * others: every target gets an answer.
 */
import { randomBytes } from 'node:crypto';
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

/** What a creating call made, from its answer: the new instances or file system, to report and follow. */
function createdBy(response: Record<string, unknown>): string[] {
  if (Array.isArray(response.InstanceIdSet)) return response.InstanceIdSet.map(String);
  if (typeof response.FileSystemId === 'string') return [response.FileSystemId];
  return [];
}

function targetsOf(call: ExecutableCall, idParam: string | undefined): string[] {
  if (!idParam) return [];
  const value = call.params[idParam];
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

/**
 * RunInstances' ClientToken, made once per execution: a retry of the same request launches nothing new. Not in
 * the plan, where a token-named parameter would be taken for a secret.
 */
function launchToken(call: ExecutableCall): Record<string, unknown> {
  return call.action === 'RunInstances' && call.params.ClientToken === undefined
    ? { ClientToken: `tceops-${randomBytes(12).toString('hex')}` }
    : {};
}

/** Where each action takes the requester's password: ResetInstancesPassword as Password, a launch in LoginSettings. */
export function secretParams(action: string | undefined, password: string): Record<string, unknown> {
  return action === 'RunInstances' ? { LoginSettings: { Password: password } } : { Password: password };
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
        { ...call.params, ...extraParams, ...launchToken(call) },
        { region: call.region, version: call.version },
      );
      requestIds.push(response.RequestId);
      responses.push(response);
      // A call without target IDs still gets its line: what it made (RunInstances), else the action itself.
      const made = ids.length ? ids : createdBy(response);
      for (const id of made.length ? made : [`${call.service}:${call.action}`])
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
