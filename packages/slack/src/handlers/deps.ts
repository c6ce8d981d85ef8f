/** What every handler needs, built once in app.ts. */
import type { webApi } from '@slack/bolt';
import type { PlanSummary, Sessions } from '../core.ts';
import type { Engine } from '../core.ts';
import type { GroupDirectory } from '../identity.ts';
import type { Log } from '../logger.ts';
import type { Pacer } from '../pace.ts';
import type { SlackMetrics } from '../metrics.ts';
import type { BoundedMap } from '../serial.ts';
import type { Tracker } from '../tracker.ts';

export interface Deps {
  engine: Engine;
  client: webApi.WebClient;
  log: Log;
  metrics: SlackMetrics;
  tracker: Tracker;
  /** Turns for posting per channel and updating, shared by the replicas (Slack's rate tiers). */
  pace: Pacer;
  groups: GroupDirectory;
  /** Where approval requests go; the requester's channel when unset. */
  approvalsChannel?: string;
  /** Plans waiting for their requester (confirm, typed, secret), to show them again in a modal opened later. */
  plans: BoundedMap<string, PlanSummary>;
  /** Plans being executed right now by this process: a double click must not start a second run. */
  running: Set<string>;
  /** How many times, and how soon, to retry a POST to a response_url. */
  respondRetry: { retries: number; minTimeoutMs: number };
  /** A trigger_id is good for 3 s; past this age a modal is offered through a button instead. */
  triggerBudgetMs: number;
  /** Sign-ins for the terminal and the extension (server mode); absent when not enabled. */
  sessions?: Sessions;
  /** Slack user or user-group IDs who may revoke anyone's sign-in (TCEOPS_ADMINS). */
  admins: string[];
  /** Called right after each ack with the request's arrival time (Socket Mode times acks here). */
  acked: (receivedAt: number) => void;
}
