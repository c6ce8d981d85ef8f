/**
 * `tceops catalog [service]` and `tceops catalog show <service> <Action>`: what the docs say, from the catalog.
 */
import type { Action, Param } from '@tceops/core';
import { InputError } from '@tceops/core/api/errors.ts';
import { findAction, getServiceCatalog, listServices, riskOf } from '@tceops/core/catalog/index.ts';
import { flag, oneOf, type ParsedArgs, rejectUnknownFlags } from '../args.ts';
import { type Io, json, table } from '../output.ts';

export const CATALOG_USAGE = `usage: tceops catalog [<service>] [--api-version V] [--output json|table]
       tceops catalog show <service> <Action> [--api-version V] [--output json|table]`;

function limits(param: Param): string {
  const parts: string[] = [];
  if (param.maxItems !== undefined) parts.push(`at most ${param.maxItems} items`);
  if (param.min !== undefined && param.max !== undefined) parts.push(`${param.min}..${param.max}`);
  else if (param.min !== undefined) parts.push(`>= ${param.min}`);
  else if (param.max !== undefined) parts.push(`<= ${param.max}`);
  if (param.maxLength !== undefined) parts.push(`at most ${param.maxLength} chars`);
  if (param.enum?.length) parts.push(`one of ${param.enum.join('|')}`);
  if (param.default !== undefined) parts.push(`default ${param.default}`);
  return parts.join('; ');
}

function showAction(action: Action): string {
  const header = [
    `${action.service} ${action.version} ${action.name}  (${riskOf(action.service, action.name)})${action.summary ? `: ${action.summary}` : ''}`,
    action.description,
    ...(action.notes?.length ? action.notes.map((n) => `  ${n}`) : []),
    '',
    `group: ${action.group}    rate limit: ${action.rateLimit}/s    ${action.auth === 'sign' ? 'signature only' : 'signature and authorisation'}`,
  ];
  const input = action.input.map((p) => ({
    parameter: p.name,
    type: p.type,
    required: p.required ? 'yes' : 'no',
    limits: limits(p),
    note: p.hidden ? 'not visible to callers' : '',
  }));
  const output = action.output.map((p) => ({ field: p.name, type: p.type, nullable: p.nullable ? 'yes' : '' }));
  const errors = action.errors.map((e) => ({ code: e.code, meaning: e.description }));
  return [
    ...header,
    '',
    'Parameters:',
    input.length ? table(input) : '(none)',
    '',
    'Returns:',
    output.length ? table(output) : '(nothing but RequestId)',
    '',
    'Errors:',
    errors.length ? table(errors) : '(only the common ones)',
  ].join('\n');
}

export function runCatalog(args: ParsedArgs, io: Io): number {
  if (args.flags.help) {
    io.out(CATALOG_USAGE);
    return 0;
  }
  rejectUnknownFlags(args, ['api-version', 'output', 'help']);
  const output = oneOf(args, 'output', ['json', 'table'] as const) ?? 'table';
  const version = flag(args, 'api-version');
  const [first, ...rest] = args.positional;

  if (first === 'show') {
    const [service, actionName, ...extra] = rest;
    if (!service || !actionName || extra.length)
      throw new InputError('tceops catalog show needs a service and an action', 'MissingParameter', CATALOG_USAGE);
    const action = findAction(service, actionName, version);
    io.out(output === 'json' ? json({ ...action, risk: riskOf(action.service, action.name) }) : showAction(action));
    return 0;
  }
  if (first) {
    if (rest.length) throw new InputError(`unexpected argument "${rest[0]}"`, 'InvalidParameter', CATALOG_USAGE);
    const catalog = getServiceCatalog(first, version);
    const actions = Object.values(catalog.actions).map((a) => ({
      action: a.name,
      risk: riskOf(a.service, a.name),
      rate: `${a.rateLimit}/s`,
      group: a.group,
    }));
    if (output === 'json') io.out(json({ service: catalog.service, version: catalog.version, actions }));
    else io.out(`${catalog.service} ${catalog.version}: ${actions.length} actions\n\n${table(actions)}`);
    return 0;
  }
  const services = listServices().map((s) => ({
    service: s.service,
    versions: s.versions.join(', '),
    latest: s.latest,
    actions: Object.keys(getServiceCatalog(s.service, s.latest).actions).length,
  }));
  if (output === 'json') io.out(json(services));
  else io.out(`${table(services)}\n\nList a service's actions with "tceops catalog <service>".`);
  return 0;
}
