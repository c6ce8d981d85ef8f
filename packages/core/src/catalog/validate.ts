/**
 * A request checked against the docs before anything is sent: unknown or missing parameters, wrong types, too
 * many items, values out of range, malformed IDs. Each problem carries the code TCE itself would answer with,
 * so the emulator can use the same checks.
 */
import { InputError } from '../api/errors.ts';
import { closest } from '../commands/suggest.ts';
import { checkId, ID_FORMATS, ID_PARAMS } from './ids.ts';
import { shapeOf } from './types-of.ts';
import type { Action, Param, ServiceCatalog } from './types.ts';

export interface Problem {
  code: string;
  /** Where: "InstanceIds", "Filters.0.Name". */
  param: string;
  message: string;
}

export interface ValidateOptions {
  catalog?: ServiceCatalog;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'an integer';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

function checkValue(
  param: Param,
  value: unknown,
  path: string,
  type: string,
  options: ValidateOptions,
  problems: Problem[],
): void {
  const shape = shapeOf(type, options.catalog);
  const wrong = (expected: string): void => {
    problems.push({
      code: 'InvalidParameter',
      param: path,
      message: `${path} must be ${expected} (${type}), not ${describeValue(value)}`,
    });
  };
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') return wrong('text');
      if (param.maxLength !== undefined && value.length > param.maxLength) {
        problems.push({
          code: 'InvalidParameterValue',
          param: path,
          message: `${path} is ${value.length} characters long; at most ${param.maxLength} are allowed`,
        });
      }
      if (param.enum && !param.enum.includes(value)) {
        problems.push({
          code: 'InvalidParameterValue',
          param: path,
          message: `${path} must be one of ${param.enum.join(', ')}, not "${value}"`,
        });
      }
      checkIdValue(path, value, problems);
      return;
    case 'integer': {
      const isInt = (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
      if (!isInt) return wrong('a whole number');
      const n = Number(value);
      if (shape.unsigned && n < 0) return wrong('a whole number, 0 or more');
      return checkRange(param, n, path, problems);
    }
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrong('a number');
      return checkRange(param, value, path, problems);
    case 'boolean':
      if (typeof value !== 'boolean') return wrong('true or false');
      return;
    case 'array': {
      if (!Array.isArray(value)) return wrong('a list');
      if (param.maxItems !== undefined && value.length > param.maxItems) {
        problems.push({
          code: 'InvalidParameterValue.LimitExceeded',
          param: path,
          message: `${path} has ${value.length} items; the docs allow at most ${param.maxItems} per request`,
        });
      }
      value.forEach((item, i) =>
        checkValue({ ...param, maxItems: undefined }, item, `${path}.${i}`, shape.of, options, problems),
      );
      return;
    }
    case 'struct': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return wrong('an object');
      checkFields(shape.structure.fields, value as Record<string, unknown>, `${path}.`, options, problems, true);
      return;
    }
    case 'any':
      return;
  }
}

function checkRange(param: Param, n: number, path: string, problems: Problem[]): void {
  if ((param.min !== undefined && n < param.min) || (param.max !== undefined && n > param.max)) {
    const range =
      param.min !== undefined && param.max !== undefined
        ? `${param.min} to ${param.max}`
        : param.max !== undefined
          ? `at most ${param.max}`
          : `at least ${param.min}`;
    problems.push({ code: 'InvalidParameterValue', param: path, message: `${path} is ${n}; it must be ${range}` });
  }
}

function checkIdValue(path: string, value: string, problems: Problem[]): void {
  const name =
    path
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? path;
  const kind = ID_PARAMS[name];
  if (kind && !checkId(kind, value)) {
    const format = ID_FORMATS[kind];
    problems.push({
      code: format.malformedCode,
      param: path,
      message: `${path}: "${value}" is not a valid ${format.label} ID (they look like ${format.example})`,
    });
  }
}

function checkFields(
  fields: Param[],
  params: Record<string, unknown>,
  prefix: string,
  options: ValidateOptions,
  problems: Problem[],
  inStruct: boolean,
): void {
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(params)) {
    const param = byName.get(name);
    if (!param) {
      const near = closest(name, [...byName.keys()]);
      problems.push({
        code: 'UnknownParameter',
        param: `${prefix}${name}`,
        message: `${prefix}${name} is not a documented parameter${near.length ? `; did you mean ${prefix}${near[0]}?` : ''}`,
      });
      continue;
    }
    if (value === undefined || value === null) continue;
    checkValue(param, value, `${prefix}${name}`, param.type, options, problems);
  }
  // Fields of response structures reused in requests are all marked required; only top-level inputs are enforced.
  if (inStruct) return;
  for (const param of fields) {
    if (param.required && (params[param.name] === undefined || params[param.name] === null)) {
      problems.push({
        code: 'MissingParameter',
        param: `${prefix}${param.name}`,
        message: `${prefix}${param.name} is required (${param.type})`,
      });
    }
  }
}

export function validateParams(
  action: Action,
  params: Record<string, unknown>,
  options: ValidateOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  checkFields(action.input, params, '', options, problems, false);
  return problems;
}

/** Throws an InputError listing every problem; the first one's code is the error's code. */
export function assertValid(action: Action, params: Record<string, unknown>, options: ValidateOptions = {}): void {
  const problems = validateParams(action, params, options);
  if (problems.length === 0) return;
  throw new InputError(
    `${action.service}:${action.name} was not sent: ${problems.map((p) => p.message).join('; ')}`,
    problems[0]!.code,
    `see the parameters with "tceops catalog show ${action.service} ${action.name}"`,
  );
}
