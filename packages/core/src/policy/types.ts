/**
 * The policy: ordered rules that map a plan, who asks and where, to a decision. The first rule that matches
 * decides; the built-in rules follow the file's own, so a file only has to say what differs.
 */
import type { Risk } from '../catalog/types.ts';

export type Surface = 'slack' | 'vscode' | 'cli' | 'console';
export const SURFACES: readonly Surface[] = ['slack', 'vscode', 'cli', 'console'];
export const RISKS: readonly Risk[] = ['read', 'write', 'sensitive', 'destructive'];

/** Who asks: a Slack user ID or a local user name, and the Slack user groups they are in. */
export interface Principal {
  id: string;
  /** Shown to people, never used to decide (Slack's user_name and display names can be chosen by anyone). */
  name?: string;
  groups?: string[];
  /** The Slack enterprise or team the ID belongs to, when Slack gives one: the ID is unique within it. */
  org?: string;
}

export interface PolicyContext {
  actor: string | Principal;
  /** Roles the surface already established for the actor; added to the roles the policy's members give. */
  roles?: string[];
  surface: Surface;
  /** Slack channel ID (or name), where there is one. */
  channel?: string;
}

/**
 * What a rule asks of a plan. Every condition given must hold. List values match when any entry matches; an entry
 * starting with "!" excludes. Target conditions (tags, production) need one matching target for a restrictive
 * decision and every target for `allow`, so a mixed plan never slips through an allow written for part of it.
 */
export interface Match {
  risk?: Risk[];
  /** Globs over "service:Action", case-insensitive, e.g. "cvm:Terminate*". */
  action?: string[];
  region?: string[];
  /** Target tag key → value glob. */
  tags?: Record<string, string>;
  /** A target carries one of the production tags (true), or none does (false). */
  production?: boolean;
  surface?: string[];
  channel?: string[];
  /** The requester holds one of these roles. */
  role?: string[];
  /** The plan's price (after the change): ">= 10/h", "> 5000/month", or "unavailable" (see price.ts). */
  price?: string[];
  /** What the change adds to the bill: "> 0/h" (a creation or a renewal adds its whole price). */
  priceChange?: string[];
}

export type ConfirmLevel = 'click' | 'typed';

export type DecisionSpec =
  | { kind: 'allow' }
  | { kind: 'confirm'; level: ConfirmLevel }
  | {
      kind: 'approve';
      count: number;
      /** Roles whose members may approve; empty = anyone but the requester. */
      approvers: string[];
      selfApproval: boolean;
      ttl: string;
      ttlMs: number;
      /** Where a surface should post the request (a Slack channel ID), if not where it was asked. */
      channel?: string;
    }
  | { kind: 'deny'; reason: string };

export interface Rule {
  name: string;
  origin: 'file' | 'built-in';
  /** Line of the rule in its source, for explanations. */
  line?: number;
  match: Match;
  decision: DecisionSpec;
}

export interface TagPair {
  key: string;
  value: string;
}

export interface Policy {
  /** The file it came from, or "built-in". */
  source: string;
  /** Tags that mark production; key and value compared without regard to case. */
  productionTags: TagPair[];
  /** Role → members: user names, Slack user IDs (U…/W…) or Slack user group IDs (S…). */
  roles: Record<string, string[]>;
  /** The file's rules, then the built-in ones. */
  rules: Rule[];
  /**
   * Record every read the policy allows in the audit log (who, where, which actions, region and targets; never
   * the answer). Off unless the file says `auditReads: true`: refused reads are recorded either way.
   */
  auditReads?: boolean;
  /** The line of `auditReads` in the file, for explanations. */
  auditReadsLine?: number;
}

export interface TrailStep {
  rule: string;
  origin: Rule['origin'];
  line?: number;
  matched: boolean;
  /** Why it matched, or the first condition that did not hold. */
  why: string;
}

interface DecisionBase {
  /** The rule that decided. */
  rule: string;
  origin: Rule['origin'];
  line?: number;
  source: string;
  /** One sentence for people: what is needed and why. */
  reason: string;
  /** Every rule looked at, in order, up to the one that decided. */
  trail: TrailStep[];
  /** The roles the actor was found to hold. */
  actorRoles: string[];
  /** A rule's decision raised to the floor for destructive plans, when that happened. */
  raised?: string;
  /** For a read: whether it lands in the audit log (a refusal always does; an allowed run when `auditReads`). */
  auditRead?: boolean;
}

export type Decision =
  | (DecisionBase & { kind: 'allow' })
  | (DecisionBase & { kind: 'confirm'; level: ConfirmLevel /** For typed: what must be typed. */; expected?: string })
  | (DecisionBase & {
      kind: 'approve';
      count: number;
      approvers: string[];
      /** The approvers' members as the policy names them; ["*"] = anyone but the requester. */
      eligible: string[];
      selfApproval: boolean;
      ttl: string;
      ttlMs: number;
      channel?: string;
    })
  | (DecisionBase & { kind: 'deny'; denial: string });

export interface PolicyProblem {
  /** 1-based line in the file, when known. */
  line?: number;
  /** Where in the document, e.g. "rules[2].match.risk". */
  path: string;
  message: string;
}
