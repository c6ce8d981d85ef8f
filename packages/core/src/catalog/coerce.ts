/**
 * Command-line flags → typed parameters: `--Limit 10` sends a number, `--Filters.0.Name zone` builds a list of
 * structures, repeated flags make lists, and a JSON value may stand for any list or structure.
 */
import { InputError } from '../api/errors.ts';
import { shapeOf } from './types-of.ts';
import type { Action, Param, ServiceCatalog } from './types.ts';

type Flat = Record<string, string | string[]>;

function fail(flag: string, message: string): never {
  throw new InputError(`--${flag}: ${message}`, 'InvalidParameter');
}

function parseJsonValue(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail(flag, `"${text.slice(0, 40)}" is not valid JSON`);
  }
}

/** One text value → the documented type. */
function convert(flag: string, text: string, type: string, catalog: ServiceCatalog): unknown {
  const shape = shapeOf(type, catalog);
  switch (shape.kind) {
    case 'integer': {
      if (!/^-?\d+$/.test(text.trim())) return fail(flag, `"${text}" is not a whole number (${type})`);
      const big = BigInt(text.trim());
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    case 'float': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return fail(flag, `"${text}" is not a number`);
      return n;
    }
    case 'boolean': {
      if (/^(true|1)$/i.test(text)) return true;
      if (/^(false|0)$/i.test(text)) return false;
      return fail(flag, `"${text}" is not true or false`);
    }
    case 'array':
      if (text.trim().startsWith('[')) return parseJsonValue(flag, text);
      return [convert(flag, text, shape.of, catalog)];
    case 'struct':
      if (text.trim().startsWith('{')) return parseJsonValue(flag, text);
      return fail(flag, `give a JSON object, e.g. --${flag} '{"Name": "value"}', or set fields with --${flag}.<Field>`);
    default:
      return text;
  }
}

interface Node {
  leaf?: string[];
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
  node.leaf = [...(node.leaf ?? []), ...values];
}

/** Indices must run 0..n-1 or 1..n without gaps (the docs use both). */
function orderedIndices(flag: string, keys: string[]): string[] {
  if (!keys.every((k) => /^\d+$/.test(k)))
    return fail(flag, `expected list positions (.0, .1, ...), got .${keys.find((k) => !/^\d+$/.test(k))}`);
  const sorted = keys.map(Number).sort((a, b) => a - b);
  const base = sorted[0];
  if (base !== 0 && base !== 1) return fail(flag, 'list positions start at 0 (or 1)');
  sorted.forEach((n, i) => {
    if (n !== base + i) fail(flag, `list positions must have no gaps: .${base + i} is missing`);
  });
  return sorted.map(String);
}

function build(flag: string, node: Node, type: string, catalog: ServiceCatalog, param: Param): unknown {
  const shape = shapeOf(type, catalog);
  if (node.leaf && node.children.size) return fail(flag, 'give either a value or its parts, not both');
  if (node.leaf) {
    if (shape.kind === 'array' && node.leaf.length >= 1 && !node.leaf[0]!.trim().startsWith('[')) {
      return node.leaf.map((text) => convert(flag, text, shape.of, catalog));
    }
    if (node.leaf.length > 1)
      return fail(flag, `was given ${node.leaf.length} times, but ${param.name} takes one value (${type})`);
    return convert(flag, node.leaf[0]!, type, catalog);
  }
  if (shape.kind === 'array') {
    return orderedIndices(flag, [...node.children.keys()]).map((index) =>
      build(`${flag}.${index}`, node.children.get(index)!, shape.of, catalog, param),
    );
  }
  if (shape.kind === 'struct') {
    const out: Record<string, unknown> = {};
    for (const [field, child] of node.children) {
      const fieldParam = shape.structure.fields.find((f) => f.name === field);
      if (!fieldParam) {
        return fail(
          `${flag}.${field}`,
          `${shape.structure.name} has no field ${field}; its fields are ${shape.structure.fields.map((f) => f.name).join(', ')}`,
        );
      }
      out[field] = build(`${flag}.${field}`, child, fieldParam.type, catalog, fieldParam);
    }
    return out;
  }
  return fail(flag, `${param.name} is ${type}, which has no parts`);
}

export function coerceFlags(action: Action, flat: Flat, catalog: ServiceCatalog): Record<string, unknown> {
  const root: Node = { children: new Map() };
  for (const [key, value] of Object.entries(flat)) insert(root, key.split('.'), Array.isArray(value) ? value : [value]);
  const params: Record<string, unknown> = {};
  for (const [name, node] of root.children) {
    const param = action.input.find((p) => p.name === name);
    // Unknown names pass through as text: validation reports them with a suggestion.
    if (!param) {
      params[name] = node.leaf?.length === 1 ? node.leaf[0] : (node.leaf ?? Object.fromEntries(node.children));
      continue;
    }
    params[name] = build(name, node, param.type, catalog, param);
  }
  return params;
}
