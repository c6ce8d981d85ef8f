/**
 * Each tree action as data: which nodes it applies to (the same regex as its menu's `when` clause, checked
 * again for every node of a multi-selection), what it asks first, and the command text it sends to the core
 * pipeline — the same text a Slack user types after /tce.
 */
import type { ResourceNode } from '../tree/nodes.ts';
import type { ResourceKind } from '../tree/present.ts';
import { LOOKS } from '../tree/present.ts';
import type { Prompts } from '../ui/prompts.ts';
import { LIFECYCLE_ACTIONS } from './lifecycle.ts';

export type Inputs = Record<string, string>;

export interface ActionDefinition {
  command: string;
  kind: ResourceKind;
  /** For messages: "Stop", "Delete". */
  title: string;
  /** The contextValues it applies to: identical to the `viewItem =~` regex of its menu entry. */
  when: RegExp;
  /** Several targets in one command (the core batches them). */
  many: boolean;
  /** Questions before planning; undefined means the user backed out. */
  ask?: (targets: ResourceNode[], ui: Prompts) => Promise<Inputs | undefined>;
  text: (targets: ResourceNode[], inputs: Inputs) => string;
  /** Instances whose state the action changes: polled afterwards. Others refresh their list. */
  changesInstances?: boolean;
}

/** Quote a value for the command grammar when it has anything but plain characters. */
export function quote(value: string): string {
  return /^[\w.:/@=,+-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** What a CFS rule accepts as its client: an IPv4 address, a CIDR block, or *. */
export function isClientIp(value: string): boolean {
  if (value === '*') return true;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value);
  return (
    !!match &&
    match.slice(1, 5).every((octet) => Number(octet) <= 255) &&
    (match[5] === undefined || Number(match[5]) <= 32)
  );
}

const ids = (targets: ResourceNode[]) => targets.map((t) => t.id).join(' ');

const STOP_TYPES = [
  { value: 'SOFT', label: 'Soft', description: 'SOFT — shut down the OS normally (default)' },
  {
    value: 'SOFT_FIRST',
    label: 'Soft, then hard',
    description: 'SOFT_FIRST — cut the power if the OS does not shut down',
  },
  { value: 'HARD', label: 'Hard', description: 'HARD — cut the power at once; unsaved data is lost' },
];

async function askStopType(_targets: ResourceNode[], ui: Prompts): Promise<Inputs | undefined> {
  const stopType = await ui.pick('How should the instances stop?', STOP_TYPES);
  return stopType ? { stopType } : undefined;
}

function notEmpty(what: string, max: number) {
  return (value: string) => {
    if (!value.trim()) return `Give ${what}`;
    if (value.length > max) return `${what} is at most ${max} characters`;
    return undefined;
  };
}

export const ACTIONS: ActionDefinition[] = [
  {
    command: 'tceops.instance.start',
    kind: 'instance',
    title: 'Start',
    when: /^tceops\.instance\.stopped$/,
    many: true,
    text: (t) => `cvm start ${ids(t)}`,
    changesInstances: true,
  },
  {
    command: 'tceops.instance.stop',
    kind: 'instance',
    title: 'Stop',
    when: /^tceops\.instance\.running$/,
    many: true,
    ask: askStopType,
    text: (t, i) => `cvm stop ${ids(t)} --stop-type ${i.stopType}`,
    changesInstances: true,
  },
  {
    command: 'tceops.instance.reboot',
    kind: 'instance',
    title: 'Reboot',
    when: /^tceops\.instance\.running$/,
    many: true,
    text: (t) => `cvm reboot ${ids(t)}`,
    changesInstances: true,
  },
  {
    command: 'tceops.instance.resetPassword',
    kind: 'instance',
    title: 'Reset password',
    when: /^tceops\.instance\.(running|stopped)$/,
    many: false,
    text: (t) => `cvm reset-password ${ids(t)}`,
    changesInstances: true,
  },
  {
    command: 'tceops.instance.createImage',
    kind: 'instance',
    title: 'Create image',
    when: /^tceops\.instance\.(running|stopped)$/,
    many: false,
    async ask(targets, ui) {
      const name = await ui.input('Create an image', `Name of the image made from ${label(targets[0]!)}`, {
        value: `${label(targets[0]!)}-image`,
        validate: notEmpty('a name', 60),
      });
      return name === undefined ? undefined : { name };
    },
    text: (t, i) => `cvm image create ${ids(t)} --name ${quote(i.name!)}`,
  },
  {
    command: 'tceops.instance.reinstall',
    kind: 'instance',
    title: 'Reinstall',
    when: /^tceops\.instance\.(running|stopped)$/,
    many: false,
    async ask(targets, ui) {
      const image = await ui.input('Reinstall', `Image to install on ${label(targets[0]!)} (empty: the current one)`, {
        placeHolder: 'img-xxxxxxxx',
        validate: (v) => (v === '' || /^img-[a-z0-9]{8}$/.test(v) ? undefined : 'An image ID looks like img-abcd1234'),
      });
      return image === undefined ? undefined : { image };
    },
    text: (t, i) => `cvm reinstall ${ids(t)}${i.image ? ` --image ${i.image}` : ''}`,
    changesInstances: true,
  },
  {
    command: 'tceops.instance.terminate',
    kind: 'instance',
    title: 'Terminate',
    when: /^tceops\.instance\.(running|stopped|launch_failed|shutdown)$/,
    many: true,
    text: (t) => `cvm terminate ${ids(t)}`,
    changesInstances: true,
  },
  {
    command: 'tceops.image.delete',
    kind: 'image',
    title: 'Delete',
    when: /^tceops\.image\.private_image\.normal$/,
    many: true,
    text: (t) => `cvm image delete ${ids(t)}`,
  },
  {
    command: 'tceops.filesystem.delete',
    kind: 'filesystem',
    title: 'Delete',
    when: /^tceops\.filesystem\.(?!creating$|deleting$)[a-z_]+$/,
    many: false,
    text: (t) => `cfs delete ${ids(t)}`,
  },
  {
    command: 'tceops.rule.add',
    kind: 'pgroup',
    title: 'Add rule',
    when: /^tceops\.pgroup$/,
    many: false,
    async ask(_targets, ui) {
      const ip = await ui.input('Add a permission rule (1/3)', 'Client IP, CIDR block, or * for every client', {
        placeHolder: '10.0.0.0/24',
        validate: (v) => (isClientIp(v.trim()) ? undefined : 'An IPv4 address, a CIDR block such as 10.0.0.0/24, or *'),
      });
      if (ip === undefined) return undefined;
      const access = await ui.pick('Add a permission rule (2/3): access', [
        { value: 'RO', label: 'Read only', description: 'RO' },
        { value: 'RW', label: 'Read and write', description: 'RW' },
      ]);
      if (access === undefined) return undefined;
      const priority = await ui.input('Add a permission rule (3/3)', 'Priority: 1 (highest) to 100', {
        value: '10',
        validate: (v) =>
          /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100 ? undefined : 'A whole number from 1 to 100',
      });
      return priority === undefined ? undefined : { ip: ip.trim(), access, priority };
    },
    text: (t, i) => `cfs rule add ${ids(t)} --ip ${quote(i.ip!)} --access ${i.access} --priority ${i.priority}`,
  },
  {
    command: 'tceops.rule.delete',
    kind: 'rule',
    title: 'Delete rule',
    when: /^tceops\.rule$/,
    many: false,
    text: (t) => `cfs rule delete ${(t[0]!.parent as ResourceNode).id} ${t[0]!.id}`,
  },
  {
    command: 'tceops.job.start',
    kind: 'job',
    title: 'Start',
    when: /^tceops\.job\.(pending|failed|stopped)$/,
    many: false,
    text: (t) => `csm start ${ids(t)}`,
  },
  {
    command: 'tceops.job.stop',
    kind: 'job',
    title: 'Stop',
    when: /^tceops\.job\.running$/,
    many: false,
    text: (t) => `csm stop ${ids(t)}`,
  },
  ...LIFECYCLE_ACTIONS,
];

export function findAction(command: string): ActionDefinition {
  const action = ACTIONS.find((a) => a.command === command);
  if (!action) throw new Error(`no action ${command}`);
  return action;
}

export function label(node: ResourceNode): string {
  return LOOKS[node.kind](node.item).label;
}

/** Does the action apply to this node now (its kind, and its current state)? */
export function appliesTo(action: ActionDefinition, node: ResourceNode): boolean {
  return node.kind === action.kind && action.when.test(LOOKS[node.kind](node.item).contextValue);
}
