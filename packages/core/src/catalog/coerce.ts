/**
 * Command-line flags → parameters of the documented types: `--Limit 10` sends a number, `--ForceStop TRUE` a
 * boolean, repeated `--InstanceIds` a list, `--Filters.0.Name zone` a list of structures, `--Placement.Zone z` a
 * structure; a JSON value (`[...]` or `{...}`) may stand for any list or structure. Positions may start at 0 or 1
 * (the docs use both) but must have no gaps. Lists are never split on commas: IDs and names may contain them.
 *
 * Only conversion happens here; whether the values are allowed is validate.ts's job. Flags the action does not
 * document pass through as text, so validation can name them and suggest the parameter meant.
 */
import { InputError } from '../api/errors.ts';
import { parseJson } from '../api/json.ts';
import { closest } from '../suggest.ts';
import { catalogOf } from './index.ts';
import { shapeOf } from './types-of.ts';
import type { Action, ServiceCatalog } from './types.ts';

type Flat = Record<string, string | string[]>;

function fail(flag: string, message: string, hint?: string): never {
  throw new InputError(`--${flag}: ${message}`, 'InvalidParameter', hint);
}

function json(flag: string, text: string, expected: 'list' | 'object'): unknown {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    return fail(flag, `"${text.slice(0, 60)}" is not valid JSON (${(e as Error).message})`);
  }
  const isList = Array.isArray(value);
  const isObject = typeof value === 'object' && value !== null && !isList;
  if (expected === 'list' ? !isList : !isObject)
    return fail(
      flag,
      `expected a JSON ${expected === 'list' ? 'list [...]' : 'object {...}'}, got ${text.slice(0, 60)}`,
    );
  return value;
}

/** One text value → the documented type. */
function convert(flag: string, text: string, type: string, catalog: ServiceCatalog | undefined): unknown {
  const shape = shapeOf(type, catalog);
  const value = text.trim();
  switch (shape.kind) {
    case 'integer': {
      if (!/^-?\d+$/.test(value)) return fail(flag, `"${text}" is not a whole number (${type})`);
      const big = BigInt(value);
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return safe ? Number(big) : big;
    }
    case 'float':
      if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value))
        return fail(flag, `"${text}" is not a number (${type})`);
      return Number(value);
    case 'boolean':
      if (/^true$/i.test(value)) return true;
      if (/^false$/i.test(value)) return false;
      return fail(flag, `"${text}" is not true or false (${type})`);
    case 'array':
      if (value.startsWith('[')) return json(flag, value, 'list');
      return [convert(flag, text, shape.of, catalog)];
    case 'struct':
      if (value.startsWith('{') || value.startsWith('[')) return json(flag, value, 'object');
      return fail(
        flag,
        `${shape.structure.name} is a structure: give it as JSON or field by field`,
        `e.g. --${flag} '{"${shape.structure.fields[0]?.name ?? 'Field'}": ...}' or --${flag}.${shape.structure.fields[0]?.name ?? 'Field'} ...`,
      );
    default:
      return text;
  }
}

/** Flags as a tree: "Filters.0.Values.1" → Filters → 0 → Values → 1. */
interface Node {
  values?: string[];
  children: Map<string, Node>;
}

function insert(root: Node, path: string[], values: string[]): void {
  let node = root;
  for (const part of path) {
    let child = node.children.get(part);
    if (!child) {
      child = { children: new Map() };
      node.children.set(part, child);
    }
    node = child;
  }
  node.values = [...(node.values ?? []), ...values];
}

/** List positions must run 0..n-1 or 1..n without gaps. */
function positions(flag: string, keys: string[]): string[] {
  const notIndex = keys.find((k) => !/^\d+$/.test(k));
  if (notIndex !== undefined) return fail(`${flag}.${notIndex}`, `${flag} is a list: use positions like --${flag}.0`);
  const sorted = keys.map(Number).sort((a, b) => a - b);
  const base = sorted[0]!;
  if (base !== 0 && base !== 1) return fail(`${flag}.${base}`, 'list positions start at 0 (or 1)');
  sorted.forEach((n, i) => {
    if (n !== base + i) fail(`${flag}.${n}`, `list positions must have no gaps: --${flag}.${base + i} is missing`);
  });
  return sorted.map(String);
}

function build(flag: string, node: Node, type: string, catalog: ServiceCatalog | undefined): unknown {
  const shape = shapeOf(type, catalog);
  if (node.values && node.children.size)
    return fail(flag, `give either --${flag} or its parts (--${flag}.${[...node.children.keys()][0]}), not both`);
  if (node.values) {
    const values = node.values;
    // Repeated flags make a list, one item each (an item may itself be JSON for a list of structures).
    if (shape.kind === 'array' && !(values.length === 1 && values[0]!.trim().startsWith('[')))
      return values.map((text) => convert(flag, text, shape.of, catalog));
    if (values.length > 1) return fail(flag, `was given ${values.length} times, but it takes one value (${type})`);
    return convert(flag, values[0]!, type, catalog);
  }
  if (shape.kind === 'array')
    return positions(flag, [...node.children.keys()]).map((index) =>
      build(`${flag}.${index}`, node.children.get(index)!, shape.of, catalog),
    );
  if (shape.kind === 'struct') {
    const out: Record<string, unknown> = {};
    const fields = shape.structure.fields;
    for (const [name, child] of node.children) {
      const field = fields.find((f) => f.name === name);
      if (!field) {
        const near = closest(
          name,
          fields.map((f) => f.name),
        );
        return fail(
          `${flag}.${name}`,
          `${shape.structure.name} has no field ${name}${near.length ? `; did you mean --${flag}.${near[0]}?` : ''}`,
          `its fields: ${fields.map((f) => f.name).join(', ')}`,
        );
      }
      out[name] = build(`${flag}.${name}`, child, field.type, catalog);
    }
    return out;
  }
  return fail(flag, `is ${type}, which has no parts: give --${flag} <value>`);
}

/** Undocumented flags keep their text (and their shape) so validation can report them by name. */
function asText(node: Node): unknown {
  if (node.values) return node.values.length === 1 ? node.values[0] : node.values;
  return Object.fromEntries([...node.children].map(([k, child]) => [k, asText(child)]));
}

/**
 * Flags as the CLI parsed them (`{"Limit": "10", "InstanceIds": ["ins-a", "ins-b"], "Filters.0.Name": "zone"}`)
 * → parameters for `action`, converted to the documented types. Throws InputError (InvalidParameter) naming the
 * flag and the type expected when a value cannot be converted.
 */
export function coerceFlags(action: Action, flat: Flat, catalog?: ServiceCatalog): Record<string, unknown> {
  const structures = catalog ?? catalogOf(action.service, action.version);
  const root: Node = { children: new Map() };
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split('.');
    if (path.some((part) => part === '')) fail(key, 'has an empty part; write --Filters.0.Name');
    insert(root, path, Array.isArray(value) ? value : [value]);
  }
  const params: Record<string, unknown> = {};
  for (const [name, node] of root.children) {
    const param = action.input.find((p) => p.name === name);
    params[name] = param ? build(name, node, param.type, structures) : asText(node);
  }
  return params;
}
