/**
 * Rename and Resize from the tree: the same `cvm rename` / `cvm resize` text as everywhere, so the plan the
 * confirmation shows carries TCE's verdict (the allowed types) and the price before → after.
 */
import type { ResourceNode } from '../tree/nodes.ts';
import type { Prompts } from '../ui/prompts.ts';
import type { ActionDefinition, Inputs } from './definitions.ts';

const quote = (value: string) => (/^[\w.:/@=,+-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`);
const TYPE = /^[A-Z][A-Z0-9]*\.[A-Z0-9]+$/;

function current(node: ResourceNode, field: string): string {
  const value = (node.item as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

export const LIFECYCLE_ACTIONS: ActionDefinition[] = [
  {
    command: 'tceops.instance.rename',
    kind: 'instance',
    title: 'Rename',
    when: /^tceops\.instance\.(running|stopped|pending|starting|stopping|rebooting|launch_failed)$/,
    many: false,
    async ask(targets: ResourceNode[], ui: Prompts): Promise<Inputs | undefined> {
      const name = await ui.input('Rename', `New name of ${targets[0]!.id}`, {
        value: current(targets[0]!, 'InstanceName'),
        validate: (v) => (!v.trim() ? 'Give a name' : v.length > 60 ? 'A name is at most 60 characters' : undefined),
      });
      return name === undefined ? undefined : { name: name.trim() };
    },
    text: (t, i) => `cvm rename ${t[0]!.id} ${quote(i.name!)}`,
    changesInstances: true,
  },
  {
    command: 'tceops.instance.resize',
    kind: 'instance',
    title: 'Resize',
    when: /^tceops\.instance\.stopped$/,
    many: false,
    async ask(targets: ResourceNode[], ui: Prompts): Promise<Inputs | undefined> {
      const type = await ui.input(
        'Resize',
        `New instance type for ${targets[0]!.id} (now ${current(targets[0]!, 'InstanceType')}); the plan shows whether TCE allows it and the price before → after`,
        {
          placeHolder: 'S5.LARGE8',
          validate: (v) => (TYPE.test(v.trim()) ? undefined : 'An instance type looks like S5.LARGE8'),
        },
      );
      return type === undefined ? undefined : { type: type.trim() };
    },
    text: (t, i) => `cvm resize ${t[0]!.id} --type ${i.type}`,
    changesInstances: true,
  },
];
