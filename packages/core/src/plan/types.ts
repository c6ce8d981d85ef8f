/**
 * A plan: what a mutating command will touch and do, described before anything runs. Every surface shows it,
 * the policy decides on it, and an approval is bound to its hash.
 */
import type { Risk } from '../catalog/types.ts';

export type TargetKind =
  | 'instance'
  | 'image'
  | 'keypair'
  | 'filesystem'
  | 'pgroup'
  | 'rule'
  | 'job'
  | 'host'
  | 'sourceServer';

/** One resource the plan touches, as observed when the plan was built. */
export interface PlanTarget {
  kind: TargetKind;
  id: string;
  name?: string;
  /** The observed state (RUNNING, STOPPED, available, ...): part of the hash, so a change makes an approval stale. */
  state?: string;
  /** Instance type, image type, storage type, ... */
  type?: string;
  zone?: string;
  region: string;
  tags: Record<string, string>;
  /**
   * The target could not be described (tceops has no way to look at this kind): its tags and state are unknown, so
   * the policy treats it as the worst case — as if it were production and carried every tag a strict rule names.
   */
  unknown?: boolean;
}

/** One API call the plan will make, exactly as it will be sent (no secrets: those are collected at execution). */
export interface PlannedCall {
  service: string;
  version: string;
  action: string;
  region: string;
  params: Record<string, unknown>;
}

export interface Plan {
  /** The command text as the user gave it, e.g. "cvm terminate web-1 web-2". */
  command: string;
  service: string;
  /** The verb for people: "Terminate", "Stop", "Delete image". */
  verb: string;
  risk: Risk;
  region: string;
  targets: PlanTarget[];
  calls: PlannedCall[];
  /** One line for people: what, where, which targets, and whether it can be undone. */
  summary: string;
  irreversible: boolean;
  /** planHash(plan): binds the calls and the targets' observed state. */
  hash: string;
}

/** A plan before its summary and hash are filled in. */
export type PlanDraft = Omit<Plan, 'hash' | 'summary' | 'irreversible'> & { summary?: string; irreversible?: boolean };
