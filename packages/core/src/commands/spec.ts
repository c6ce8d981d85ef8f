/**
 * What a command is: its words, arguments, flags and help, and either how to read (a view) or how to plan a change.
 * One file per resource under resources/ declares its commands with these shapes; help, completion and parsing
 * all come from them.
 */
import type { TceClient } from '../api/client.ts';
import type { IdKind } from '../catalog/ids.ts';
import type { Outcome, TableView } from './types.ts';

export interface FlagSpec {
  type: 'string' | 'number' | 'boolean';
  description: string;
  choices?: readonly string[];
  /** May be given several times (e.g. --tag). */
  repeatable?: boolean;
  /** Upper-case the value before checking choices (SOFT, soft). */
  upper?: boolean;
}

export interface ArgSpec {
  name: string;
  description: string;
  /** The ID kind the argument names; names are accepted where `byName` and resolved to IDs. */
  id?: IdKind;
  byName?: boolean;
  variadic?: boolean;
  optional?: boolean;
}

export interface ParsedCommand {
  spec: CommandSpec;
  args: Record<string, string[]>;
  flags: Record<string, string | number | boolean | string[]>;
  region: string;
  text: string;
}

export interface ReadContext {
  client: TceClient;
  region: string;
}

/** A change the command wants to make, before targets are described and policy applied. */
export interface ChangeDraft {
  service: string;
  version?: string;
  action: string;
  /** Targets by kind and ID (names already resolved); described before planning. */
  targetKind: 'instance' | 'image' | 'filesystem' | 'pgroup' | 'rule' | 'job';
  targetIds: string[];
  /** Parameters shared by every call; the target IDs are added per batch by `batchParam`. */
  params: Record<string, unknown>;
  /** The parameter that carries the IDs: an array parameter is batched, a scalar one gives one call per target. */
  idParam?: string;
  idParamIsArray?: boolean;
  /** The verb for the human summary: "Stop", "Terminate". */
  verb: string;
  /** Needs a password from the requester before it can run. */
  secret?: 'Password';
  /** The plan's one line, for changes with no existing target (a launch, a new file system). */
  summary?: string;
}

export interface CommandSpec {
  /** Words after `/tce` or `tceops`, e.g. ['cvm', 'stop']. */
  path: string[];
  summary: string;
  args: ArgSpec[];
  flags: Record<string, FlagSpec>;
  examples: string[];
  /** Mutually exclusive flag pairs. */
  conflicts?: [string, string][];
  read?: (command: ParsedCommand, context: ReadContext) => Promise<TableView | Outcome>;
  /**
   * A read's API actions, as service:Action: every action `read` may send. The read's plan carries them, so a
   * policy rule on an action decides this command as it decides the same action through `call`.
   */
  reads?: string[];
  change?: (command: ParsedCommand, context: ReadContext) => Promise<ChangeDraft>;
  /** Commands the engine handles itself (help, approvals, approve, deny, cancel, call). */
  builtin?: 'help' | 'approvals' | 'approve' | 'deny' | 'cancel' | 'call';
}
