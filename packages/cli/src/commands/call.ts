/**
 * `tceops call <service> <Action> [--Param value]... [--params JSON|@file]`: any documented action, with values
 * converted to the documented types and checked before anything is sent.
 */
import { readFileSync } from 'node:fs';
import type { ClientOptions, SignMethod } from '@tceops/core';
import { createClient } from '@tceops/core/api/client.ts';
import { InputError } from '@tceops/core/api/errors.ts';
import { parseJson } from '@tceops/core/api/json.ts';
import { coerceFlags } from '@tceops/core/catalog/coerce.ts';
import { findAction, getServiceCatalog } from '@tceops/core/catalog/index.ts';
import { flag, oneOf, type ParsedArgs, rejectUnknownFlags } from '../args.ts';
import { type Io, json, responseTable } from '../output.ts';

export const CALL_FLAGS = [
  'region',
  'endpoint',
  'profile',
  'method',
  'sign-method',
  'output',
  'params',
  'api-version',
  'timeout',
  'help',
];

export const CALL_USAGE = `usage: tceops call <service> <Action> [--<Param> <value>]... [--params <json>|@file]
       [--region R] [--endpoint URL] [--profile P] [--api-version V] [--method GET|POST]
       [--sign-method TC3-HMAC-SHA256|HmacSHA256|HmacSHA1] [--output json|table] [--timeout SECONDS]

Nested parameters: --Filters.0.Name zone --Filters.0.Values.0 ap-guangzhou-1, or a JSON value.
Lists: repeat the flag (--InstanceIds ins-a --InstanceIds ins-b) or give a JSON array.
See the parameters of an action with: tceops catalog show <service> <Action>`;

function readParamsOption(value: string): Record<string, unknown> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new InputError(
        `cannot read --params file ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    throw new InputError(
      `--params is not valid JSON: ${(error as Error).message}`,
      'InvalidParameter',
      'give an object, e.g. --params \'{"Limit": 10}\'',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError('--params must be a JSON object, e.g. {"Limit": 10}');
  }
  return parsed as Record<string, unknown>;
}

export function clientOptions(args: ParsedArgs): ClientOptions {
  const timeout = flag(args, 'timeout');
  if (timeout !== undefined && !(Number(timeout) > 0))
    throw new InputError(`--timeout must be a number of seconds, not "${timeout}"`);
  return {
    region: flag(args, 'region'),
    endpoint: flag(args, 'endpoint'),
    profile: flag(args, 'profile'),
    method: oneOf(args, 'method', ['GET', 'POST'] as const),
    signMethod: oneOf(args, 'sign-method', ['TC3-HMAC-SHA256', 'HmacSHA256', 'HmacSHA1'] as const) as
      | SignMethod
      | undefined,
    timeoutMs: timeout ? Number(timeout) * 1000 : undefined,
  };
}

export async function runCall(args: ParsedArgs, io: Io): Promise<number> {
  if (args.flags.help) {
    io.out(CALL_USAGE);
    return 0;
  }
  rejectUnknownFlags(args, CALL_FLAGS);
  const [service, actionName, ...extra] = args.positional;
  if (!service || !actionName)
    throw new InputError('tceops call needs a service and an action', 'MissingParameter', CALL_USAGE);
  if (extra.length)
    throw new InputError(
      `unexpected argument "${extra[0]}": parameters are given as --Name value`,
      'InvalidParameter',
      CALL_USAGE,
    );
  const output = oneOf(args, 'output', ['json', 'table'] as const) ?? 'json';
  const options = clientOptions(args);
  const action = findAction(service, actionName, flag(args, 'api-version'));
  const catalog = getServiceCatalog(service, action.version);
  const fromFile = flag(args, 'params');
  const params = {
    ...(fromFile ? readParamsOption(fromFile) : {}),
    ...coerceFlags(action, args.params, catalog),
  };
  const client = createClient(options);
  try {
    const response = await client.call(service, action.name, params, { version: action.version });
    io.out(output === 'json' ? json(response) : responseTable(response));
    return 0;
  } finally {
    client.close();
  }
}
