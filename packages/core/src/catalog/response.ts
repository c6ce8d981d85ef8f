/**
 * An answer checked for the shape later steps rely on, by the docs: a field documented as a list or a structure
 * must be one (or null), a list's items must be what the list holds, and a scalar must not be a list or an object.
 * Fields the docs do not name pass, and scalars are not checked further (servers vary between 1 and "1"). A broken
 * or hostile server then gets a clear refusal naming the field, instead of a TypeError deep in a command
 * ("items.map is not a function"). The docs sometimes give a list the type of its item ("InstanceSet: Instance"):
 * such a field is read as a list when its name says so. Checkers are compiled once per type: the check costs a
 * look-up per field present, not a walk of the docs.
 */
import { shapeOf } from './types-of.ts';
import type { Action, Param, ServiceCatalog } from './types.ts';

/** The problem, written from where the value sits (" is null", "[2].Tags is not a list"), or undefined. */
type Check = (value: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const scalar: Check = (value) =>
  typeof value === 'object' && value !== null
    ? ` is a ${Array.isArray(value) ? 'list' : 'structure'} where the docs give a value`
    : undefined;
const scalarItem: Check = (value) => (value === null ? ' is null' : scalar(value));

const compiled = new WeakMap<ServiceCatalog, Map<string, Check>>();

function checkFor(type: string, catalog: ServiceCatalog, item: boolean): Check {
  let cache = compiled.get(catalog);
  if (!cache) {
    cache = new Map();
    compiled.set(catalog, cache);
  }
  const key = `${item ? 'item:' : ''}${type}`;
  const known = cache.get(key);
  if (known) return known;
  if (shapeOf(type, catalog).kind !== 'struct') {
    const check = compile(type, catalog, item);
    cache.set(key, check);
    return check;
  }
  // Set before compiling the parts: structures can refer to themselves.
  let inner: Check = () => undefined;
  const check: Check = (value) => inner(value);
  cache.set(key, check);
  inner = compile(type, catalog, item);
  // Checks made from now on call the compiled one directly: the indirection was for the structure's own parts.
  cache.set(key, inner);
  return inner;
}

function compile(type: string, catalog: ServiceCatalog, item: boolean): Check {
  const shape = shapeOf(type, catalog);
  if (shape.kind === 'any') return () => undefined;
  if (shape.kind === 'array') {
    const each = checkFor(shape.of, catalog, true);
    return listOf(each);
  }
  if (shape.kind === 'struct') {
    const name = shape.structure.name;
    const fields = fieldsCheck(shape.structure.fields, catalog);
    // The docs' type may be the item of a list the server sends: a list of them is accepted too.
    const one: Check = (value) => (isObject(value) ? fields(value) : ` is not ${name}`);
    const many = listOf(one);
    return item ? one : (value) => (Array.isArray(value) ? many(value) : one(value));
  }
  return item ? scalarItem : scalar;
}

function fieldsCheck(fields: Param[], catalog: ServiceCatalog): (value: Record<string, unknown>) => string | undefined {
  const byName = new Map<string, Param>(fields.map((f) => [f.name, f]));
  // Each field's check, made when the field is first seen; a scalar field is tested here, without a call.
  const checks: Record<string, Check | undefined> = Object.create(null);
  return (value) => {
    for (const name in value) {
      const given = value[name];
      if (given === undefined || given === null) continue;
      let check = checks[name];
      if (check === undefined) {
        const field = byName.get(name);
        if (!field) continue;
        check = fieldCheck(field, catalog, false);
        checks[name] = check;
      }
      if (check === scalar) {
        if (typeof given === 'object') return `.${name}${scalar(given)}`;
        continue;
      }
      const problem = check(given);
      if (problem) return `.${name}${problem}`;
    }
    return undefined;
  };
}

function listOf(each: Check): Check {
  // A list of plain values (IP addresses, IDs) is tested here, item by item, without a call each.
  if (each === scalarItem)
    return (value) => {
      if (!Array.isArray(value)) return ' is not a list';
      for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object') return `[${i}]${scalarItem(value[i])}`;
      return undefined;
    };
  return (value) => {
    if (!Array.isArray(value)) return ' is not a list';
    for (let i = 0; i < value.length; i++) {
      const problem = each(value[i]);
      if (problem) return `[${i}]${problem}`;
    }
    return undefined;
  };
}

/**
 * The docs sometimes give a list the type of its item: "InstanceSet: Instance", "PGroupList: PGroupInfo",
 * "InstanceIdSet: String". A field named like a list (…Set, …List, …s) whose type is not "Array of" may be a list
 * of that type or one of it; a structure named so at the top of an answer must be a list (commands iterate it).
 */
function fieldCheck(field: Param, catalog: ServiceCatalog, top: boolean): Check {
  const single = checkFor(field.type, catalog, false);
  if (field.type.startsWith('Array of ') || !/(Set|List|s)$/.test(field.name)) return single;
  const list = listOf(checkFor(field.type, catalog, true));
  if (top && field.name !== field.type && shapeOf(field.type, catalog).kind === 'struct') return list;
  return (value) => (Array.isArray(value) ? list(value) : single(value));
}

const actions = new WeakMap<Action, Check>();

function actionCheck(action: Action, catalog: ServiceCatalog): Check {
  const checks = new Map<string, Check>();
  for (const field of action.output) checks.set(field.name, fieldCheck(field, catalog, true));
  return (value) => {
    const response = value as Record<string, unknown>;
    for (const [name, check] of checks) {
      const given = response[name];
      if (given === undefined || given === null) continue;
      const problem = check(given);
      if (problem) return `${name}${problem}`;
    }
    return undefined;
  };
}

/** What is wrong with the shape of an answer's documented fields, or undefined. */
export function responseProblem(
  action: Action,
  catalog: ServiceCatalog,
  response: Record<string, unknown>,
): string | undefined {
  let check = actions.get(action);
  if (!check) {
    check = actionCheck(action, catalog);
    actions.set(action, check);
  }
  return check(response);
}
