/** Filter an instances node by name (wildcards allowed), state or tag, one question at a time. */
import type { InstanceFilter } from './data/source.ts';
import { describeFilter } from './tree/nodes.ts';
import type { Prompts } from './ui/prompts.ts';

export const FILTER_STATES = [
  'RUNNING',
  'STOPPED',
  'PENDING',
  'STARTING',
  'STOPPING',
  'REBOOTING',
  'SHUTDOWN',
  'TERMINATING',
  'LAUNCH_FAILED',
];

/** The new filter, or undefined when the user backed out (the old one stays). */
export async function askFilter(current: InstanceFilter | undefined, ui: Prompts): Promise<InstanceFilter | undefined> {
  const now = describeFilter(current);
  const field = await ui.pick(now ? `Filter instances (now: ${now})` : 'Filter instances', [
    { value: 'name', label: 'By name…', description: 'exact, or with * and ? wildcards' },
    { value: 'state', label: 'By state…', description: current?.state ?? '' },
    { value: 'tag', label: 'By tag…', description: current?.tag ? `${current.tag.key}=${current.tag.value}` : '' },
    { value: 'clear', label: 'Clear the filter' },
  ]);
  if (field === undefined) return undefined;
  const next: InstanceFilter = { ...current };
  if (field === 'clear') return {};
  if (field === 'name') {
    const name = await ui.input(
      'Filter by name',
      'Instance name; * matches any text, ? one character. Empty: any name.',
      { value: current?.name ?? '' },
    );
    if (name === undefined) return undefined;
    if (name.trim()) next.name = name.trim();
    else delete next.name;
  }
  if (field === 'state') {
    const state = await ui.pick('Filter by state', [
      { value: '', label: 'Any state' },
      ...FILTER_STATES.map((s) => ({ value: s, label: s })),
    ]);
    if (state === undefined) return undefined;
    if (state) next.state = state;
    else delete next.state;
  }
  if (field === 'tag') {
    const tag = await ui.input('Filter by tag', 'key=value, e.g. env=production. Empty: any tags.', {
      value: current?.tag ? `${current.tag.key}=${current.tag.value}` : '',
      validate: (v) =>
        v.trim() === '' || /^[^=\s]+=.*$/.test(v.trim()) ? undefined : 'Write it as key=value, e.g. env=production',
    });
    if (tag === undefined) return undefined;
    const at = tag.indexOf('=');
    if (tag.trim()) next.tag = { key: tag.slice(0, at).trim(), value: tag.slice(at + 1).trim() };
    else delete next.tag;
  }
  return next;
}
