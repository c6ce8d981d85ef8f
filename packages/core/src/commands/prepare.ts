/**
 * The first steps of the pipeline, shared by a run, a dry run and `tceops policy explain` so the three can never
 * disagree: parse (refusing secrets in the text) → resolve names → describe targets → plan → check states →
 * policy. What follows the decision (confirm, approve, execute, follow, audit) is the engine's.
 */
import type { TceClient } from '../api/client.ts';
import { InputError } from '../api/errors.ts';
import { parseJson } from '../api/json.ts';
import { coerceFlags } from '../catalog/coerce.ts';
import { ID_PARAMS, type IdKind } from '../catalog/ids.ts';
import { findAction, getServiceCatalog, riskOf } from '../catalog/index.ts';
import { secretFlagsIn, secretsIn } from '../catalog/secrets.ts';
import { buildPlan } from '../plan/summary.ts';
import type { Plan } from '../plan/types.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import type { Decision, Policy } from '../policy/types.ts';
import { type Parsed, parseCommand } from './parse.ts';
import { planTargets } from './plan.ts';
import { planCommand, refuseWrongStates } from './planner.ts';
import type { ParsedCommand } from './spec.ts';
import { describeMixed, resolveInstanceNames, type TargetKind } from './targets.ts';
import { tokenize } from './tokenize.ts';
import type { CommandContext } from './types.ts';

export interface PipelineDeps {
  client: TceClient;
  policy: Policy;
  /** Region for commands that give none (else the client's). */
  region?: string;
}

/** How to give each kind of secret instead, on every surface. */
function secretHint(flags: string[]): string {
  const password = flags.some((f) => /password/i.test(f));
  return password
    ? 'a password is asked for privately (without echo in a terminal, in a private form in Slack, in a password box in VS Code): for an existing instance use "cvm reset-password <instance>", for a new one "cvm run ... --ask-password"'
    : 'secrets are never taken from command text; use a command that asks for it privately, or the cloud console';
}

/** Step 1: words → a checked command. A secret in the words is refused before anything is recorded or sent. */
export function parseStep(input: string | string[], defaults: { region?: string }): Parsed {
  const words = typeof input === 'string' ? tokenize(input) : input;
  const secrets = secretFlagsIn(words);
  if (secrets.length) {
    throw new InputError(
      `${secrets.join(', ')} carries a secret, and secrets are not accepted in command text (history, logs and chat keep it); nothing was run or recorded`,
      'SecretInCommand',
      secretHint(secrets),
    );
  }
  return parseCommand(words, defaults);
}

export function regionOf(command: ParsedCommand, deps: PipelineDeps): string {
  const region = command.region || deps.region || deps.client.region || '';
  if (!region && command.spec.path[0] !== 'regions') {
    throw new InputError(
      "no region: give --region, or set TENCENTCLOUD_REGION or the profile's region",
      'MissingParameter',
      'list regions with "regions"',
    );
  }
  return region;
}

/**
 * A read as the policy sees it: its risk and its actions (for `call` the one called, for the grammar every action
 * the command declares it sends), so one rule on an action decides `cvm instances` and `call cvm DescribeInstances`
 * alike.
 */
export function readPlan(command: ParsedCommand, region: string, call?: CallRequest): Plan {
  const calls = call
    ? [{ service: call.service, version: call.version, action: call.action, region, params: call.params }]
    : (command.spec.reads ?? []).map((name) => {
        const [service, actionName] = name.split(':') as [string, string];
        const action = findAction(service, actionName);
        return { service, version: action.version, action: action.name, region, params: {} };
      });
  return buildPlan({
    command: command.text,
    service: call?.service ?? command.spec.path[0]!,
    verb: call ? `Call ${call.service}:${call.action}` : 'Read',
    risk: 'read',
    region,
    targets: [],
    calls,
  });
}

export interface CallRequest {
  service: string;
  action: string;
  version: string;
  params: Record<string, unknown>;
}

/** `call <service> <Action> --Param value... [--params JSON]`: the action and its parameters, typed by the catalog. */
export function callRequest(command: ParsedCommand, raw: Record<string, string | string[]>): CallRequest {
  const [service, actionName, ...extra] = command.args.rest ?? [];
  if (!service || !actionName)
    throw new InputError(
      'call needs a service and an action: call <service> <Action> --Param value',
      'MissingParameter',
    );
  if (extra.length) throw new InputError(`unexpected "${extra[0]}": parameters are given as --Name value`);
  const action = findAction(service, actionName, command.flags['api-version'] as string | undefined);
  const json = command.flags.params as string | undefined;
  let fromJson: Record<string, unknown> = {};
  // Only the terminal's own `tceops call` reads a file (cli params-file.ts): the chat surfaces, the console and the
  // server's API never read a path they are given, which on a server would be the server's file.
  if (json?.startsWith('@'))
    throw new InputError(
      '--params @file is read only by "tceops call" in a terminal; here no path is read',
      'InvalidParameter',
      'give the JSON itself, e.g. --params \'{"Limit": 10}\'',
    );
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = parseJson(json);
    } catch (error) {
      throw new InputError(
        `--params is not valid JSON: ${(error as Error).message}`,
        'InvalidParameter',
        'give an object, e.g. --params \'{"Limit": 10}\'',
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InputError('--params must be a JSON object, e.g. {"Limit": 10}');
    fromJson = parsed as Record<string, unknown>;
  }
  const params = { ...fromJson, ...coerceFlags(action, raw, getServiceCatalog(service, action.version)) };
  const secrets = secretsIn(params);
  if (secrets.length)
    throw new InputError(
      `${secrets.join(', ')} carries a secret, and secrets are not accepted in command text; nothing was run or recorded`,
      'SecretInCommand',
      secretHint(secrets),
    );
  return { service, action: action.name, version: action.version, params };
}

/** The targets a call names, from the catalog's ID parameters (InstanceIds, ImageId, FileSystemId, PGroupId, JobId...). */
export function callTargets(call: CallRequest): { kind: TargetKind; id: string }[] {
  const kinds: Record<string, IdKind> = ID_PARAMS[call.service] ?? {};
  const out: { kind: TargetKind; id: string }[] = [];
  for (const [name, kind] of Object.entries(kinds)) {
    const value = call.params[name];
    const ids = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const id of ids)
      if (!out.some((t) => t.kind === kind && t.id === String(id))) out.push({ kind, id: String(id) });
  }
  return out;
}

/** A write through `call`: its targets described like the grammar's, so tags, production, state and staleness apply. */
export async function planCall(client: TceClient, command: ParsedCommand, call: CallRequest, region: string) {
  const named = callTargets(call);
  // Instance names are not IDs: a call passes what it is given, so only IDs are described.
  const described = await describeMixed(client, region, named);
  refuseWrongStates(described, call.action);
  return buildPlan({
    command: command.text,
    service: call.service,
    verb: `Call ${call.service}:${call.action}`,
    risk: riskOf(call.service, call.action),
    region,
    targets: planTargets(described, region),
    calls: [{ service: call.service, version: call.version, action: call.action, region, params: call.params }],
  });
}

export type Prepared =
  /** help, approvals, approve, deny, cancel: handled by the engine, not planned. */
  | { kind: 'builtin'; parsed: Parsed }
  | { kind: 'read'; parsed: Parsed; plan: Plan; decision: Decision; region: string; call?: CallRequest }
  | { kind: 'change'; parsed: Parsed; plan: Plan; decision: Decision; secret?: 'Password' };

export function policyStep(policy: Policy, plan: Plan, ctx: CommandContext): Decision {
  const decision = evaluatePolicy(policy, plan, {
    actor: ctx.actor,
    surface: ctx.surface,
    channel: ctx.channel,
  });
  if (plan.risk !== 'read') return decision;
  // A refused read is always recorded; an allowed one when the policy asks for reads to be audited.
  if (decision.kind === 'allow') return { ...decision, auditRead: policy.auditReads === true };
  if (decision.kind === 'deny') return { ...decision, auditRead: true };
  // A read answers at once or not at all: a rule asking to confirm or approve one refuses it.
  const denial = `reads are allowed or denied, and rule "${decision.rule}" asks to ${decision.kind} this one`;
  return { ...decision, kind: 'deny', denial, reason: `denied: ${denial}`, auditRead: true } as Decision;
}

/** Every step up to and including the policy's decision. Nothing is sent but descriptions (reads). */
export async function prepare(deps: PipelineDeps, input: string | string[], ctx: CommandContext): Promise<Prepared> {
  const parsed = parseStep(input, { region: ctx.region ?? deps.region ?? deps.client.region });
  const { command, options, params } = parsed;
  const { spec } = command;
  if (options.help || (spec.builtin && spec.builtin !== 'call')) return { kind: 'builtin', parsed };
  const region = regionOf(command, deps);
  if (spec.builtin === 'call') {
    const call = callRequest(command, params);
    if (riskOf(call.service, call.action) === 'read') {
      const plan = readPlan(command, region, call);
      return { kind: 'read', parsed, plan, decision: policyStep(deps.policy, plan, ctx), region, call };
    }
    const plan = await planCall(deps.client, command, call, region);
    return { kind: 'change', parsed, plan, decision: policyStep(deps.policy, plan, ctx) };
  }
  if (spec.read) {
    // Decided before anything is sent: a denied read does not even look names up.
    const plan = readPlan(command, region);
    return { kind: 'read', parsed, plan, decision: policyStep(deps.policy, plan, ctx), region };
  }
  await resolveNames(deps.client, command, region);
  const { plan, secret } = await planCommand(deps.client, command, region);
  return { kind: 'change', parsed, plan, decision: policyStep(deps.policy, plan, ctx), secret };
}

/** Names stand for instance IDs wherever a command takes an instance: resolved once, here. */
export async function resolveNames(client: TceClient, command: ParsedCommand, region: string): Promise<void> {
  for (const arg of command.spec.args) {
    if (arg.id === 'instance' && arg.byName && command.args[arg.name]?.length) {
      command.args[arg.name] = await resolveInstanceNames(client, region, command.args[arg.name]!);
    }
  }
}
