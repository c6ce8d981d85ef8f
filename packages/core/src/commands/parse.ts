/**
 * Words → a checked command: the same grammar after `/tce` in Slack and after `tceops` in a terminal.
 * Everything that can be checked without the cloud is checked here, so a bad command never makes a call.
 */
import yargsParser from 'yargs-parser';
import { InputError } from '../api/errors.ts';
import { checkId, ID_FORMATS } from '../catalog/ids.ts';
import { COMMANDS, GLOBAL_FLAGS, matchCommand } from './registry.ts';
import type { CommandSpec, FlagSpec, ParsedCommand } from './spec.ts';
import { closest, editDistance } from '../suggest.ts';
import { tokenize } from './tokenize.ts';

/** Targets in one command; more are batched by 100 per call, but a typo'd script should not touch thousands. */
export const MAX_TARGETS = 1000;

export interface GlobalOptions {
  dryRun: boolean;
  yes: boolean;
  help: boolean;
  output?: 'json' | 'table';
}

export interface Parsed {
  command: ParsedCommand;
  options: GlobalOptions;
  /** For `call`: the capitalised --Param flags, untouched. */
  params: Record<string, string | string[]>;
}

const USAGE_HINT = 'type "help" for the commands';

function commandName(spec: CommandSpec): string {
  return spec.path.join(' ');
}

export function usageOf(spec: CommandSpec): string {
  const args = spec.args.map((a) =>
    a.optional ? `[${a.name}${a.variadic ? '...' : ''}]` : `<${a.name}${a.variadic ? '...' : ''}>`,
  );
  const flags = Object.entries(spec.flags).map(
    ([name, f]) =>
      `[--${name}${f.type === 'boolean' ? '' : ` ${f.choices ? f.choices.join('|') : name.toUpperCase()}`}]`,
  );
  return [commandName(spec), ...args, ...flags].join(' ');
}

function unknownCommand(words: string[]): InputError {
  const typed = words.filter((w) => !w.startsWith('-'));
  // Compare each command with as many typed words as it has: "cvm stp ins-1" → "cvm stop".
  const scored = COMMANDS.map((spec) => {
    const attempt = typed.slice(0, spec.path.length).join(' ').toLowerCase();
    return { name: commandName(spec), distance: editDistance(attempt, commandName(spec)) };
  })
    .filter((s) => s.distance <= Math.max(2, Math.floor(s.name.length / 4)))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3);
  const shown = typed.slice(0, 3).join(' ') || words.join(' ');
  const service = COMMANDS.filter((c) => c.path[0] === typed[0]?.toLowerCase()).map(commandName);
  const hint = scored.length
    ? `did you mean: ${scored.map((s) => `"${s.name}"`).join(', ')}?`
    : service.length
      ? `commands for ${typed[0]}: ${service.join(', ')}`
      : USAGE_HINT;
  return new InputError(`unknown command "${shown}"`, 'InvalidAction', hint);
}

function checkFlag(name: string, spec: FlagSpec, raw: unknown, command: string): string | number | boolean | string[] {
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length > 1 && !spec.repeatable)
    throw new InputError(`--${name} was given ${values.length} times in "${command}": give it once`);
  if (spec.type === 'boolean') {
    const value = values[0];
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new InputError(`--${name} takes no value`, 'InvalidParameterValue');
  }
  const checked = values.map((value) => {
    if (value === true || value === '' || value === undefined)
      throw new InputError(`--${name} needs a value: --${name} <${name}>`, 'MissingParameter');
    let text = String(value);
    if (spec.upper) text = text.toUpperCase();
    if (spec.choices && !spec.choices.includes(text)) {
      throw new InputError(
        `--${name} must be one of ${spec.choices.join(', ')}, not "${value}"`,
        'InvalidParameterValue',
      );
    }
    if (spec.type === 'number') {
      if (!/^-?\d+$/.test(text))
        throw new InputError(`--${name} must be a whole number, not "${value}"`, 'InvalidParameterValue');
      return Number(text);
    }
    return text;
  });
  if (spec.repeatable) return checked.map(String);
  return checked[0]!;
}

export function parseCommand(input: string | string[], defaults: { region?: string } = {}): Parsed {
  const words = typeof input === 'string' ? tokenize(input) : input;
  if (words.length === 0) throw new InputError('no command given', 'InvalidAction', USAGE_HINT);
  const leading = words.filter((w) => !w.startsWith('-'));
  // Flags may come anywhere; the command is the leading words that match a path.
  const match = matchCommand(leading);
  if (!match) throw unknownCommand(words);
  const { spec } = match;
  const allFlags: Record<string, FlagSpec> = { ...(GLOBAL_FLAGS as Record<string, FlagSpec>), ...spec.flags };
  const booleans = Object.entries(allFlags)
    .filter(([, f]) => f.type === 'boolean')
    .map(([n]) => n);
  const parsed = yargsParser(words, {
    boolean: booleans,
    string: Object.keys(allFlags).filter((n) => !booleans.includes(n)),
    configuration: {
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'dot-notation': false,
      'camel-case-expansion': false,
      'duplicate-arguments-array': true,
      'boolean-negation': false,
      'short-option-groups': false,
      'unknown-options-as-args': false,
    },
  });
  const text = words.join(' ');
  const positional = parsed._.map(String).slice(spec.path.length);
  const flags: ParsedCommand['flags'] = {};
  const params: Record<string, string | string[]> = {};
  for (const [name, raw] of Object.entries(parsed)) {
    if (name === '_' || name === '--') continue;
    if (spec.builtin === 'call' && /^[A-Z]/.test(name)) {
      params[name] = Array.isArray(raw) ? raw.map(String) : String(raw);
      continue;
    }
    const flagSpec = allFlags[name];
    if (!flagSpec) {
      const near = closest(name, Object.keys(allFlags));
      throw new InputError(
        `"${commandName(spec)}" has no option --${name}`,
        'UnknownParameter',
        near.length ? `did you mean --${near[0]}? Usage: ${usageOf(spec)}` : `usage: ${usageOf(spec)}`,
      );
    }
    // yargs-parser sets declared booleans to false when absent; keep only what was given.
    if (flagSpec.type === 'boolean' && raw === false && !words.includes(`--${name}`)) continue;
    flags[name] = checkFlag(name, flagSpec, raw, commandName(spec));
  }
  // --yes answers a question that --dry-run never asks: together they can only be a mistake.
  for (const [a, b] of [['dry-run', 'yes'] as [string, string], ...(spec.conflicts ?? [])]) {
    if (flags[a] !== undefined && flags[b] !== undefined)
      throw new InputError(`--${a} and --${b} cannot be used together`, 'InvalidParameterCombination');
  }
  const options: GlobalOptions = {
    dryRun: flags['dry-run'] === true,
    yes: flags.yes === true,
    help: flags.help === true,
    output: flags.output as GlobalOptions['output'],
  };
  const region = (flags.region as string | undefined) ?? defaults.region ?? '';
  const command: ParsedCommand = { spec, args: {}, flags, region, text };
  if (options.help || spec.builtin === 'help' || spec.builtin === 'call') {
    command.args = { rest: positional };
    return { command, options, params };
  }
  assignArgs(spec, positional, command);
  return { command, options, params };
}

function assignArgs(spec: CommandSpec, positional: string[], command: ParsedCommand): void {
  let index = 0;
  for (const arg of spec.args) {
    const values = arg.variadic ? positional.slice(index) : positional.slice(index, index + 1);
    index += values.length;
    if (values.length === 0 && !arg.optional) {
      throw new InputError(
        `"${commandName(spec)}" needs ${arg.variadic ? 'at least one' : 'a'} ${arg.name}: ${arg.description}`,
        'MissingParameter',
        `usage: ${usageOf(spec)}`,
      );
    }
    if (arg.variadic && values.length > MAX_TARGETS) {
      throw new InputError(
        `at most ${MAX_TARGETS} ${arg.name}s in one command; ${values.length} given`,
        'InvalidParameterValue.LimitExceeded',
        'split the work into several commands',
      );
    }
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) throw new InputError(`${arg.name} ${value} is given twice`, 'InvalidParameterValue');
      seen.add(value);
      if (arg.id) checkArgId(arg.id, value, Boolean(arg.byName));
    }
    command.args[arg.name] = values;
  }
  if (index < positional.length) {
    throw new InputError(
      `"${commandName(spec)}" takes no more arguments, but "${positional[index]}" was given`,
      'InvalidParameter',
      `usage: ${usageOf(spec)}`,
    );
  }
}

/** An argument shaped like an ID (it has the kind's prefix) must be a well-formed ID; others are names. */
function checkArgId(kind: keyof typeof ID_FORMATS, value: string, byName: boolean): void {
  const format = ID_FORMATS[kind];
  const looksLikeId = value.toLowerCase().startsWith(format.prefix);
  if (looksLikeId || !byName) {
    if (!checkId(kind, value)) {
      throw new InputError(
        `"${value}" is not a valid ${format.label} ID`,
        format.malformedCode,
        `${format.label} IDs look like ${format.example}${byName ? '; names are accepted too' : ''}`,
      );
    }
  } else if (value.length > 60) {
    throw new InputError(
      `"${value.slice(0, 20)}..." is too long for a name (60 characters at most)`,
      'InvalidParameterValue',
    );
  }
}
