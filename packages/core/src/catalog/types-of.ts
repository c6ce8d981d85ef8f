/** How the documented type names read: primitives, "Array of X", and structure names. */
import type { ServiceCatalog, Structure } from './types.ts';

export type TypeShape =
  | { kind: 'string' }
  | { kind: 'integer'; unsigned: boolean }
  | { kind: 'float' }
  | { kind: 'boolean' }
  | { kind: 'array'; of: string }
  | { kind: 'struct'; structure: Structure }
  /** A type the docs name but never define: accepted as given. */
  | { kind: 'any'; name: string };

const STRINGS = new Set(['String', 'Timestamp', 'Datetime', 'Datetime_iso', 'Date', 'Timestamp ISO8601']);

// Read once per type and catalog: every request checks the same few types, and shapes are never changed.
const shapes = new WeakMap<ServiceCatalog, Map<string, TypeShape>>();
const shapesWithoutCatalog = new Map<string, TypeShape>();

export function shapeOf(type: string, catalog?: ServiceCatalog): TypeShape {
  let known = catalog ? shapes.get(catalog) : shapesWithoutCatalog;
  if (!known) {
    known = new Map();
    shapes.set(catalog!, known);
  }
  let shape = known.get(type);
  if (!shape) {
    shape = readShape(type, catalog);
    known.set(type, shape);
  }
  return shape;
}

function readShape(type: string, catalog?: ServiceCatalog): TypeShape {
  const t = type.trim();
  if (t.startsWith('Array of ')) return { kind: 'array', of: t.slice('Array of '.length) };
  if (STRINGS.has(t)) return { kind: 'string' };
  if (/^(Integer|Int64|Int)$/.test(t)) return { kind: 'integer', unsigned: false };
  if (/^U[Ii]nt(64)?$/.test(t)) return { kind: 'integer', unsigned: true };
  if (t === 'Float' || t === 'Double') return { kind: 'float' };
  if (t === 'Bool' || t === 'Boolean') return { kind: 'boolean' };
  const structure = catalog?.structures[t];
  return structure ? { kind: 'struct', structure } : { kind: 'any', name: t };
}
