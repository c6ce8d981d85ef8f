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

/**
 * What a plan costs, from the matching InquiryPrice* action: yuan per hour (pay-as-you-go) or per period (prepaid,
 * renewals, upgrades paid up front). Part of the hash: a price that moved makes an approval stale.
 */
export interface PlanPrice {
  currency: 'CNY';
  /** hour: a rate per hour; period: one payment covering `months`. */
  unit: 'hour' | 'period';
  months?: number;
  /** The price before the change (resize), when TCE gives it. */
  before?: number;
  /** The price after the change, or of what is created. */
  after?: number;
  /** after − before, or the increment TCE quotes for the change itself. */
  change?: number;
  /** The action that priced it, e.g. InquiryPriceRunInstances. */
  source?: string;
  /** Why there is no price (no inquiry action in the docs, TCE refused to quote). */
  unavailable?: string;
}

/** One thing TCE was asked before anyone confirms: the type sold in the zone, the resize target, quota, denials. */
export interface VerdictCheck {
  check: string;
  ok: boolean;
  detail: string;
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
  /** planHash(plan): binds the calls, the targets' observed state and the price. */
  hash: string;
  price?: PlanPrice;
  /** What TCE said about the plan before it was shown; a refused plan never gets this far. */
  verdict?: VerdictCheck[];
}

/** A plan before its summary and hash are filled in. */
export type PlanDraft = Omit<Plan, 'hash' | 'summary' | 'irreversible'> & { summary?: string; irreversible?: boolean };
