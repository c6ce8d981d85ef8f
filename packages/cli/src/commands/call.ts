/**
 * `tceops call <service> <Action> [--Param value]... [--params JSON|@file]`: any documented action, with values
 * converted to the documented types and checked before anything is sent — through the same pipeline as every
 * other command: a read is judged by the policy; a write has its targets described, is planned, judged, confirmed
 * (or refused without a terminal and --yes), sent to approval where the policy says so, and audited.
 */
import type { ClientOptions, Engine, Outcome, SignMethod } from '@tceops/core';
import { InputError } from '@tceops/core/api/errors.ts';
import { inert } from '@tceops/core/inert.ts';
import { flag, oneOf, type ParsedArgs, rejectUnknownFlags } from '../args.ts';
import { type Io, json, responseTable } from '../output.ts';
import { readParamsFile } from '../params-file.ts';
import type { Prompter } from '../prompt.ts';
import { progressText, renderOutcome, resultsText } from '../render.ts';
import { answer } from './grammar.ts';

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
  'yes',
  'dry-run',
  'as',
];

export const CALL_USAGE = `usage: tceops call <service> <Action> [--<Param> <value>]... [--params <json>|@file]
       [--region R] [--endpoint URL] [--profile P] [--api-version V] [--method GET|POST]
       [--sign-method TC3-HMAC-SHA256|HmacSHA256|HmacSHA1] [--output json|table] [--timeout SECONDS]
       [--yes] [--dry-run] [--as USER]

Nested parameters: --Filters.0.Name zone --Filters.0.Values.0 ap-guangzhou-1, or a JSON value.
Lists: repeat the flag (--InstanceIds ins-a --InstanceIds ins-b) or give a JSON array.
Writes go through the policy like every command: confirm on a terminal or with --yes; --dry-run shows the plan.
See the parameters of an action with: tceops catalog show <service> <Action>`;

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

export interface CallRun {
  io: Io;
  prompter: Prompter;
  /** Who runs it, by the terminal's identity rules (--as only on the emulator). */
  user: string;
  /** Opens the pipeline for these client options (the terminal's configured cloud, else the embedded emulator). */
  open: (options: ClientOptions) => Promise<{ engine: Engine; close: () => Promise<void> }>;
}

/** The words the engine's `call` takes: the CLI's own connection flags left out, a --params file read. */
function engineWords(argv: string[], fromFile: string | undefined): string[] {
  const own = new Set(['endpoint', 'profile', 'method', 'sign-method', 'timeout', 'output', 'as', 'params']);
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(=.*)?$/.exec(argv[i]!);
    if (m && own.has(m[1]!)) {
      if (m[2] === undefined) i++;
      continue;
    }
    words.push(argv[i]!);
  }
  return fromFile === undefined ? words : [...words, '--params', fromFile];
}

export async function runCall(argv: string[], args: ParsedArgs, run: CallRun): Promise<number> {
  const { io } = run;
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
  const explicit = oneOf(args, 'output', ['json', 'table'] as const);
  const output = explicit ?? 'json';
  const options = clientOptions(args);
  const fromFile = flag(args, 'params');
  // --params @file: read here, bounded and checked (params-file.ts); an inline value goes to the engine as it is.
  const params = fromFile?.startsWith('@') ? await readParamsFile(fromFile.slice(1)) : fromFile;
  const words = ['call', ...engineWords(argv, params)];
  const { engine, close } = await run.open(options);
  const unsubscribe = engine.onProgress((event) => io.err(progressText(event)));
  try {
    const grammar = {
      engine,
      context: { actor: { id: run.user }, surface: 'cli' as const },
      prompter: run.prompter,
      io,
      format: output,
      yes: args.flags.yes === true,
      dryRun: args.flags['dry-run'] === true,
    };
    const first = await engine.run(words, grammar.context, { yes: grammar.yes, dryRun: grammar.dryRun });
    const final = await answer(first, grammar);
    const code = renderCall(final, io, output, explicit ?? 'table');
    await engine.idle();
    return code;
  } finally {
    unsubscribe();
    await close();
  }
}

/** A call's answer is the API's response: printed whole for the requester (a new key pair's private key too). */
function renderCall(outcome: Outcome, io: Io, output: 'json' | 'table', others: 'json' | 'table'): number {
  const show = (response: Record<string, unknown>) =>
    io.out(output === 'json' ? json(response) : responseTable(response));
  // Errors read as they always have for call (code, action, RequestId): the terminal's error report prints them.
  if (outcome.kind === 'error') throw outcome.error;
  if (outcome.kind === 'detail') {
    show(outcome.item);
    return 0;
  }
  if (outcome.kind === 'result' && outcome.responses) {
    const failed = outcome.results.filter((r) => !r.ok).length;
    io.err(`${inert(outcome.plan.summary)}\n${resultsText(outcome.results)}`);
    for (const response of outcome.responses) show(response);
    return failed ? 1 : 0;
  }
  // Anything else (queued, denied, a dry run) is about tceops, not the API: text unless JSON was asked for.
  return renderOutcome(outcome, io, others);
}
