/**
 * Help and completion, generated from the registry so they never drift from what the parser accepts.
 */
import { InputError } from '../api/errors.ts';
import { usageOf } from './parse.ts';
import { COMMANDS, GLOBAL_FLAGS, matchCommand } from './registry.ts';
import type { CommandSpec } from './spec.ts';
import { closest } from '../suggest.ts';
import { tokenize } from './tokenize.ts';

function group(spec: CommandSpec): string {
  const first = spec.path[0]!;
  return ['cvm', 'cfs', 'csm'].includes(first) ? first : 'general';
}

export function helpText(topic?: string): string {
  if (!topic?.trim()) {
    const groups = new Map<string, CommandSpec[]>();
    for (const spec of COMMANDS) groups.set(group(spec), [...(groups.get(group(spec)) ?? []), spec]);
    const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
    const lines = ['Commands (the same after /tce in Slack and after tceops in a terminal):'];
    for (const [name, specs] of groups) {
      lines.push('', `${name}:`);
      for (const spec of specs) lines.push(`  ${spec.path.join(' ').padEnd(width)}  ${spec.summary}`);
    }
    lines.push(
      '',
      'Every command takes --region R, --dry-run (show the plan, change nothing) and --help.',
      'Details of one: help <command>, e.g. help cvm stop',
    );
    return lines.join('\n');
  }
  const words = tokenize(topic);
  const match = matchCommand(words);
  if (!match) {
    const suggestions = closest(
      words.join(' '),
      COMMANDS.map((c) => c.path.join(' ')),
    );
    throw new InputError(
      `no command "${words.join(' ')}"`,
      'InvalidAction',
      suggestions.length ? `did you mean: ${suggestions.join(', ')}?` : 'type "help" for the commands',
    );
  }
  const { spec } = match;
  const lines = [`${spec.path.join(' ')}: ${spec.summary}`, '', `usage: ${usageOf(spec)}`];
  if (spec.args.length) {
    lines.push('', 'arguments:');
    for (const arg of spec.args)
      lines.push(`  ${arg.name.padEnd(14)} ${arg.description}${arg.variadic ? ' (several allowed)' : ''}`);
  }
  const flags = Object.entries(spec.flags);
  if (flags.length) {
    lines.push('', 'options:');
    for (const [name, flag] of flags) lines.push(`  --${name.padEnd(12)} ${flag.description}`);
  }
  lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** Candidates for the word being typed at the end of `partial`. */
export function complete(partial: string): string[] {
  let words: string[];
  try {
    words = tokenize(partial);
  } catch {
    return [];
  }
  const endsWithSpace = /\s$/.test(partial) || partial === '';
  const current = endsWithSpace ? '' : (words.pop() ?? '');
  const match = matchCommand(words.filter((w) => !w.startsWith('-')));
  if (current.startsWith('--')) {
    const flags = Object.keys({ ...GLOBAL_FLAGS, ...(match?.spec.flags ?? {}) });
    return flags.map((f) => `--${f}`).filter((f) => f.startsWith(current));
  }
  const next = new Set<string>();
  for (const spec of COMMANDS) {
    if (spec.path.length <= words.length) continue;
    if (words.every((w, i) => spec.path[i] === w.toLowerCase())) next.add(spec.path[words.length]!);
  }
  return [...next].filter((w) => w.startsWith(current.toLowerCase())).sort();
}
