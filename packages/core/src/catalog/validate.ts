/**
 * A request checked against the docs before anything is sent: unknown or missing parameters, wrong types, too
 * many items, values out of range or not in the documented list, malformed IDs. Each problem carries the code TCE
 * itself answers with (the more specific one when the action documents it), so the emulator can use the same checks.
 */
import { InputError } from '../api/errors.ts';
import { closest } from '../suggest.ts';
import { checkId, ID_FORMATS, idCheckFor } from './ids.ts';
import { catalogOf } from './index.ts';
import { type Rule, rulesFor } from './rules.ts';
import { shapeOf } from './types-of.ts';
import type { Action, Param, ServiceCatalog } from './types.ts';

export interface Problem {
  code: string;
  /** Where: "InstanceIds", "Filters.0.Name" ('' for the request as a whole). */
  param: string;
  message: string;
}

export interface ValidateOptions {
  /** The catalog whose structures nested parameters are checked against; by default the action's own. */
  catalog?: ServiceCatalog;
}

interface Context {
  action: Action;
  catalog: ServiceCatalog | undefined;
  problems: Problem[];
  /** Where the walk is ("Filters", 0, "Name"), joined into a name only when a problem is reported. */
  at: (string | number)[];
}

function report(ctx: Context, code: string, param: string, message: string): void {
  ctx.problems.push({ code, param, message });
}

/** The parameter the walk is at, as problems name it: "Filters.0.Name". */
function here(ctx: Context): string {
  return ctx.at.join('.');
}

/** The first of `codes` the action documents, else `fallback`: the answer this action's server would give. */
function documented(ctx: Context, codes: string[], fallback: string): string {
  for (const code of codes) {
    const found = ctx.action.errors.find((e) => e.code.toLowerCase() === code.toLowerCase());
    if (found) return found.code;
  }
  return fallback;
}

/** Where the error tables spell a parameter otherwise (InvalidKeyPairNameTooLong for KeyName, 000:18586). */
const CODE_NAMES: Record<string, string> = { KeyName: 'KeyPairName' };

/**
 * The codes an action may document for a bad value of one parameter, most specific first (matched ignoring case):
 * InvalidParameterValue.InvalidPriority (002:5912), InvalidParameterValueLimit (000:18684),
 * InvalidParameterValue.InvalidParameterValueLimit (000:19105's page), InvalidPeriod (000:18173).
 */
function valueCodes(name: string): string[] {
  const spelled = CODE_NAMES[name] ?? name;
  return [
    `InvalidParameterValue.Invalid${spelled}`,
    `InvalidParameterValue${spelled}`,
    `InvalidParameterValue.InvalidParameterValue${spelled}`,
    // InvalidPeriod: "目前只支持时长：[1, 2, 3, ..., 12, 24, 36]" (000:18173).
    `Invalid${spelled}`,
  ];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'bigint') return `the integer ${value}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

// Built once per parameter list (the catalog's arrays are never changed), not on every request.
const fieldMaps = new WeakMap<Param[], Map<string, Param>>();

function fieldsByName(fields: Param[]): Map<string, Param> {
  let byName = fieldMaps.get(fields);
  if (!byName) {
    byName = new Map(fields.map((f) => [f.name, f]));
    fieldMaps.set(fields, byName);
  }
  return byName;
}

function checkFields(fields: Param[], value: Record<string, unknown>, owner: string, ctx: Context): void {
  const byName = fieldsByName(fields);
  for (const name of Object.keys(value)) {
    if (byName.has(name)) continue;
    const prefix = ctx.at.length ? `${here(ctx)}.` : '';
    const near = closest(name, [...byName.keys()]);
    report(
      ctx,
      'UnknownParameter',
      `${prefix}${name}`,
      `${prefix}${name} is not a parameter of ${owner}${near.length ? `; did you mean ${prefix}${near[0]}?` : ''}`,
    );
  }
  for (const field of fields) {
    const given = value[field.name];
    if (absent(given) && !field.required) continue;
    ctx.at.push(field.name);
    if (absent(given)) {
      const path = here(ctx);
      report(ctx, 'MissingParameter', path, `${owner} needs ${path} (${field.type})`);
    } else {
      checkValue(field, given, field.type, ctx);
    }
    ctx.at.pop();
  }
}

function wrongType(ctx: Context, value: unknown, type: string, expected: string): void {
  const path = here(ctx);
  report(ctx, 'InvalidParameter', path, `${path} must be ${expected} (${type}), not ${describe(value)}`);
}

// An array's items are checked as the array's parameter without its item count: one copy per parameter, made once.
const itemParams = new WeakMap<Param, Param>();
function itemOf(param: Param): Param {
  let item = itemParams.get(param);
  if (!item) {
    item = { ...param, maxItems: undefined };
    itemParams.set(param, item);
  }
  return item;
}

function checkValue(param: Param, value: unknown, type: string, ctx: Context): void {
  const shape = shapeOf(type, ctx.catalog);
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') {
        wrongType(ctx, value, type, 'text');
        return;
      }
      checkString(param, value, ctx);
      return;
    case 'integer': {
      const whole = (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
      if (!whole) {
        wrongType(ctx, value, type, 'a whole number');
        return;
      }
      if (shape.unsigned && (value as number | bigint) < 0) {
        const path = here(ctx);
        report(
          ctx,
          documented(ctx, valueCodes(param.name), 'InvalidParameterValue'),
          path,
          `${path} must be 0 or more (${type}), not ${value}`,
        );
        return;
      }
      checkNumber(param, value as number | bigint, ctx);
      return;
    }
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        wrongType(ctx, value, type, 'a number');
        return;
      }
      checkNumber(param, value, ctx);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') {
        wrongType(ctx, value, type, 'true or false');
        return;
      }
      return;
    case 'array': {
      if (!Array.isArray(value)) {
        wrongType(ctx, value, type, 'a list');
        return;
      }
      if (param.maxItems !== undefined && value.length > param.maxItems) {
        const path = here(ctx);
        report(
          ctx,
          'InvalidParameterValue.LimitExceeded',
          path,
          `${path} has ${value.length} items, but ${ctx.action.name} takes at most ${param.maxItems} per request; split it into several requests`,
        );
      }
      const item = itemOf(param);
      for (let i = 0; i < value.length; i++) {
        ctx.at.push(i);
        checkValue(item, value[i], shape.of, ctx);
        ctx.at.pop();
      }
      return;
    }
    case 'struct':
      if (!isPlainObject(value)) {
        wrongType(ctx, value, type, `an object with the fields of ${shape.structure.name}`);
        return;
      }
      checkFields(shape.structure.fields, value, shape.structure.name, ctx);
      return;
    case 'any':
      return;
  }
}

function checkString(param: Param, value: string, ctx: Context): void {
  if (param.maxLength !== undefined && value.length > param.maxLength) {
    const path = here(ctx);
    // Some actions name the parameter in the code: InvalidClientToken.TooLong, InvalidInstanceName.TooLong.
    const spelled = CODE_NAMES[param.name] ?? param.name;
    const code = documented(
      ctx,
      [
        `Invalid${spelled}.TooLong`,
        `Invalid${spelled}TooLong`,
        `InvalidParameterValue.${spelled}LimitExceeded`,
        'InvalidParameterValue.TooLong',
        'InvalidParameter.ValueTooLarge',
      ],
      'InvalidParameterValue',
    );
    report(ctx, code, path, `${path} is ${value.length} characters long; at most ${param.maxLength} are allowed`);
  }
  if (param.minLength !== undefined && value.length < param.minLength) {
    const path = here(ctx);
    const code = documented(ctx, ['InvalidParameterValue.TooShort'], 'InvalidParameterValue');
    report(ctx, code, path, `${path} is ${value.length} characters long; at least ${param.minLength} are needed`);
  }
  if (param.enum && !param.enum.includes(value)) {
    const path = here(ctx);
    const near = param.enum.find((v) => v.toLowerCase() === value.toLowerCase());
    report(
      ctx,
      documented(ctx, valueCodes(param.name), 'InvalidParameterValue'),
      path,
      `${path} must be one of ${param.enum.join(', ')}, not "${value}"${near ? `; did you mean ${near}?` : ''}`,
    );
  }
  const id = idCheckFor(ctx.action, param.name);
  if (id && !checkId(id.kind, value)) {
    const path = here(ctx);
    const format = ID_FORMATS[id.kind];
    report(
      ctx,
      id.code,
      path,
      `${path}: "${value}" is not a well-formed ${format.label} ID (they look like ${format.example})`,
    );
  }
}

function checkNumber(param: Param, value: number | bigint, ctx: Context): void {
  if (param.enum && !param.enum.includes(String(value))) {
    const path = here(ctx);
    report(
      ctx,
      documented(ctx, valueCodes(param.name), 'InvalidParameterValue'),
      path,
      `${path} must be one of ${param.enum.join(', ')}, not ${value}`,
    );
    return;
  }
  const below = param.min !== undefined && value < param.min;
  const above = param.max !== undefined && value > param.max;
  if (!below && !above) return;
  const path = here(ctx);
  const allowed =
    param.min !== undefined && param.max !== undefined
      ? `from ${param.min} to ${param.max}`
      : param.max !== undefined
        ? `at most ${param.max}`
        : `at least ${param.min}`;
  const code = documented(
    ctx,
    [...valueCodes(param.name), 'InvalidParameterValue.Range', 'InvalidParameterValue.OutOfRange'],
    'InvalidParameterValue',
  );
  report(ctx, code, path, `${path} is ${value}; it must be ${allowed}`);
}

// The prose rules of an action, picked out of the list once.
const actionRules = new WeakMap<Action, Rule[]>();
function rulesOf(action: Action): Rule[] {
  let rules = actionRules.get(action);
  if (!rules) {
    rules = rulesFor(action.service, action.version, action.name);
    actionRules.set(action, rules);
  }
  return rules;
}

/** Every way `params` departs from the docs of `action`; an empty list means the request may be sent. */
export function validateParams(
  action: Action,
  params: Record<string, unknown>,
  options: ValidateOptions = {},
): Problem[] {
  const ctx: Context = {
    action,
    catalog: options.catalog ?? catalogOf(action.service, action.version),
    problems: [],
    at: [],
  };
  if (!isPlainObject(params)) {
    report(ctx, 'InvalidParameter', '', `the parameters of ${action.name} must be an object, not ${describe(params)}`);
    return ctx.problems;
  }
  checkFields(action.input, params, action.name, ctx);
  // The prose rules read well-typed values only: a request with type problems is refused for those first.
  if (ctx.problems.length === 0) {
    for (const rule of rulesOf(action)) {
      const wrong = rule.check(params);
      if (wrong) report(ctx, rule.code, rule.param, `${wrong} (${action.name}, docs ${rule.source})`);
    }
  }
  return ctx.problems;
}

/** Throws one InputError listing every problem; its code is the first problem's. Returns when all is well. */
export function assertValid(action: Action, params: Record<string, unknown>, options: ValidateOptions = {}): void {
  const problems = validateParams(action, params, options);
  if (problems.length === 0) return;
  const list = problems.map((p) => `  - ${p.message} [${p.code}]`).join('\n');
  throw new InputError(
    `${action.service} ${action.name} was not sent (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${list}`,
    problems[0]!.code,
    `run "tceops catalog show ${action.service} ${action.name}" to see its parameters`,
  );
}
