/**
 * Every command, in one list: parsing, help and completion all read it.
 */
import { fileSystemCommands } from './resources/filesystems.ts';
import { imageCommands } from './resources/images.ts';
import { instanceCommands } from './resources/instances.ts';
import { jobCommands } from './resources/jobs.ts';
import { keyPairCommands } from './resources/keypairs.ts';
import { PAGE_FLAGS } from './resources/common.ts';
import { fileSystemLifecycleCommands } from './resources/filesystem-lifecycle.ts';
import { launchCommands } from './resources/launch.ts';
import { modifyCommands } from './resources/modify.ts';
import { snapshotPolicyCommands } from './resources/snapshot-policies.ts';
import { sourceServerCommands } from './resources/source-servers.ts';
import { regionCommands } from './resources/regions.ts';
import type { CommandSpec } from './spec.ts';

const builtinCommands: CommandSpec[] = [
  {
    path: ['help'],
    summary: 'Show the commands, or the details of one',
    args: [{ name: 'command', description: 'a command, e.g. "cvm stop"', variadic: true, optional: true }],
    flags: {},
    examples: ['help', 'help cvm stop'],
    builtin: 'help',
  },
  {
    path: ['approvals'],
    summary: 'List approval requests (pending by default)',
    args: [],
    flags: {
      state: {
        type: 'string',
        description: 'pending, approved, executing, succeeded, failed, denied, expired, cancelled, stale or all',
      },
      ...PAGE_FLAGS,
    },
    examples: ['approvals', 'approvals --state all', 'approvals --offset 20'],
    builtin: 'approvals',
  },
  {
    path: ['approve'],
    summary: "Approve someone else's request",
    args: [{ name: 'id', description: 'approval request ID' }],
    flags: {},
    examples: ['approve apr-1a2b3c4d'],
    builtin: 'approve',
  },
  {
    path: ['deny'],
    summary: 'Deny a request, with a reason',
    args: [{ name: 'id', description: 'approval request ID' }],
    flags: { reason: { type: 'string', description: 'why, shown to the requester' } },
    examples: ['deny apr-1a2b3c4d --reason "not during the release"'],
    builtin: 'deny',
  },
  {
    path: ['cancel'],
    summary: 'Cancel your own pending request',
    args: [{ name: 'id', description: 'approval request ID' }],
    flags: {},
    examples: ['cancel apr-1a2b3c4d'],
    builtin: 'cancel',
  },
  {
    path: ['call'],
    summary: 'Call any documented action: call <service> <Action> --Param value ...',
    args: [
      { name: 'service', description: 'cvm, cfs or csm' },
      { name: 'action', description: 'the action, e.g. DescribeInstances' },
    ],
    flags: {
      'api-version': { type: 'string', description: 'API version (default: the newest)' },
      params: { type: 'string', description: 'parameters as a JSON object; --Name flags are added to it' },
    },
    examples: ['call cvm DescribeInstances --Limit 5', 'call cfs DescribeCfsFileSystems'],
    builtin: 'call',
  },
];

export const COMMANDS: CommandSpec[] = [
  ...instanceCommands,
  ...launchCommands,
  ...modifyCommands,
  ...imageCommands,
  ...keyPairCommands,
  ...regionCommands,
  ...fileSystemCommands,
  ...fileSystemLifecycleCommands,
  ...snapshotPolicyCommands,
  ...jobCommands,
  ...sourceServerCommands,
  ...builtinCommands,
];

/** Flags every command takes. */
export const GLOBAL_FLAGS = {
  region: { type: 'string', description: 'region, e.g. ap-guangzhou' },
  'dry-run': { type: 'boolean', description: 'show the plan and change nothing' },
  yes: { type: 'boolean', description: 'answer confirmations (never replaces an approval)' },
  output: { type: 'string', choices: ['json', 'table'], description: 'json for scripts, table for people' },
  help: { type: 'boolean', description: 'show help for the command' },
} as const;

/** The longest command path that starts `words`. */
export function matchCommand(words: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: CommandSpec | undefined;
  for (const spec of COMMANDS) {
    if (spec.path.length > words.length) continue;
    if (
      spec.path.every((word, i) => words[i]?.toLowerCase() === word) &&
      (!best || spec.path.length > best.path.length)
    )
      best = spec;
  }
  return best ? { spec: best, rest: words.slice(best.path.length) } : undefined;
}
