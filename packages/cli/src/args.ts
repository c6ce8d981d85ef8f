/**
 * argv → flags, with yargs-parser set up so that TCE parameter values stay text until the catalog says their
 * type: no number guessing, no dot expansion (Filters.0.Name stays one key), repeated flags become arrays.
 */
import yargsParser from 'yargs-parser';
import { InputError } from '@tceops/core/api/errors.ts';

export interface ParsedArgs {
  positional: string[];
  /** Lower-case tool flags: --region, --output, ... */
  flags: Record<string, string | boolean | string[]>;
  /** Capitalised TCE parameters: --InstanceIds ins-..., --Filters.0.Name zone */
  params: Record<string, string | string[]>;
}

const BOOLEAN_FLAGS = ['yes', 'dry-run', 'help', 'version', 'json'];

export function parseArgs(argv: string[]): ParsedArgs {
  const parsed = yargsParser(argv, {
    boolean: BOOLEAN_FLAGS,
    configuration: {
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'dot-notation': false,
      'camel-case-expansion': false,
      'duplicate-arguments-array': true,
      'boolean-negation': false,
      'short-option-groups': false,
      'strip-aliased': true,
    },
  });
  const flags: ParsedArgs['flags'] = {};
  const params: ParsedArgs['params'] = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '_' || key === '--') continue;
    if (/^[A-Z]/.test(key)) {
      if (typeof value === 'boolean') throw new InputError(`--${key} needs a value`, 'MissingParameter');
      params[key] = Array.isArray(value) ? value.map(String) : String(value);
    } else if (BOOLEAN_FLAGS.includes(key)) {
      flags[key] = value === true || value === 'true';
    } else {
      if (typeof value === 'boolean') throw new InputError(`--${key} needs a value`);
      flags[key] = Array.isArray(value) ? value.map(String) : String(value);
    }
  }
  return { positional: parsed._.map(String), flags, params };
}

/** A single-valued flag; given twice is an error rather than a silent pick. */
export function flag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  if (value === undefined || typeof value === 'boolean') return undefined;
  if (Array.isArray(value)) throw new InputError(`--${name} was given ${value.length} times: give it once`);
  return value;
}

export function oneOf<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[]): T | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new InputError(`--${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

export function rejectUnknownFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const name of Object.keys(args.flags)) {
    if (known.includes(name)) continue;
    const near = known.find((k) => k.startsWith(name.slice(0, 3)));
    throw new InputError(
      `unknown option --${name}`,
      'InvalidParameter',
      near ? `did you mean --${near}?` : 'see "tceops help"',
    );
  }
}
