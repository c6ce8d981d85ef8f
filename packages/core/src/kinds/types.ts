/**
 * What tceops knows about one kind of resource, in one place: its states (which settle, which move on by
 * themselves, which have failed), the verbs each state allows, where each verb leaves it, the nouns summaries
 * use, and how a target of the kind is described. The planner, the waiters, plan summaries, Slack's menus and
 * VS Code's menus all read these modules, so no surface offers what core would refuse.
 */
import type { TceClient } from '../api/client.ts';
import type { TargetKind } from '../plan/types.ts';

/** A target as observed: what a plan shows and its hash binds. */
export interface DescribedTarget {
  kind: TargetKind;
  id: string;
  name?: string;
  state?: string;
  type?: string;
  zone?: string;
  tags: Record<string, string>;
  raw: Record<string, unknown>;
  /** Not described (no way to look at this kind): the policy treats it as production. */
  unknown?: boolean;
}

export interface KindVerb {
  /** The command words; the target IDs follow. E.g. "cvm stop". */
  command: string;
  /** For menus and messages: "Stop". */
  label: string;
  /** The API action it sends. */
  action: string;
  /** States a target must be in; absent: any state but `except` (TCE decides). */
  from?: readonly string[];
  /** States that refuse it, when the docs name those rather than the ones that allow it. */
  except?: readonly string[];
  /** Where it leaves the targets, for the waiter: these states, or gone. */
  end?: { states: readonly string[]; gone?: boolean };
  /** Offered in a resource's menu (Slack overflow, VS Code context menu). False for verbs that need more input. */
  menu?: boolean;
}

export interface KindModule {
  kind: TargetKind;
  nouns: readonly [one: string, many: string];
  /** Every state the docs give for the kind. */
  states: readonly string[];
  /** States that move on by themselves: polled until they settle. */
  transitional: readonly string[];
  /** States from which a target will not reach a wanted one by itself. */
  failed: readonly string[];
  /** The read that shows one target, e.g. "cvm show", when there is one. */
  show?: string;
  verbs: readonly KindVerb[];
  /** API actions that create targets of this kind, and where they end (the new IDs come in the answer). */
  creates?: Record<string, { states: readonly string[] }>;
  /** The TCE code for a target that does not exist. */
  notFound: string;
  /** Look at targets by ID; absent: the kind cannot be described (the plan marks such targets unknown). */
  describe?: (client: TceClient, region: string, ids: string[]) => Promise<DescribedTarget[]>;
}

export function tagsOf(item: { Tags?: { Key: string; Value: string }[] | null }): Record<string, string> {
  return Object.fromEntries((item.Tags ?? []).map((t) => [t.Key, t.Value]));
}

/** Look each ID up in batches of 100 (the documented limit for ID lists). */
export async function inBatches<T>(ids: string[], look: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 100) out.push(...(await look(ids.slice(i, i + 100))));
  return out;
}
