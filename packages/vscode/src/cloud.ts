/**
 * The extension's link to the cloud: the core command pipeline, for the tree's reads (decided by it first) and for
 * every change (so the tree obeys the same plans, policy and audit as Slack and the terminal).
 */
import { type ApprovalFeed, resolveCredentials } from '@tceops/core';
import { type ConnectionPlan, maskId } from './connection.ts';
import { createClientSource, type ExplorerSource } from './data/source.ts';
import type { EnginePort } from './engine-port.ts';
import { createPipeline } from './pipeline.ts';

export interface Cloud {
  source: ExplorerSource;
  engine(): Promise<EnginePort>;
  /** Where the keys came from ("profile default", "options"), never the keys. */
  credentialSource: string;
  /** The SecretId in use, masked (AKID…wxyz). */
  identity: string;
  /** Through a tceops server: follow the signed-in user's requests as they move (core's approvals-stream.ts). */
  followApprovals?(feed: ApprovalFeed): { stop(): void };
  /** Closes the client and the pipeline (its store and timers), if one was opened. */
  close(): Promise<void>;
}

export interface CloudOptions {
  policyFile: string;
  /** Where the pipeline keeps approvals and the audit log (TCEOPS_STORE syntax). */
  store: string;
  /** Who reads: the policy decides the tree's reads for this actor, as it decides their actions. */
  actor: { id: string; name?: string };
}

/** Throws a ConfigError with the reason when there are no usable credentials. */
export function openCloud(plan: ConnectionPlan, options: CloudOptions): Cloud {
  const credentials = resolveCredentials({
    ...plan.client.credentials,
    profile: plan.client.profile,
    env: plan.client.env,
  });
  const clientOptions = {
    endpoint: plan.client.endpoint,
    profile: plan.client.profile,
    credentials,
    env: plan.client.env,
    // node:http only: VS Code applies its http.proxy setting to node:http and https, and undici's pool (which the
    // client moves to after 32 requests) would open its connections around it. It also keeps the host smaller.
    http: 'node' as const,
  };
  // One pipeline per connection, holding the only client: the actions run through it, and the tree reads through its
  // policed read client (every read decided by it first).
  let pipeline: Promise<EnginePort> | undefined;
  const engine = () =>
    (pipeline ??= createPipeline({ clientOptions, policyFile: options.policyFile, store: options.store }).catch(
      (error: unknown) => {
        pipeline = undefined;
        throw error;
      },
    ));
  const source = createClientSource(async () => (await engine()).reads!(options.actor));
  return {
    source,
    credentialSource:
      plan.source === 'signed-in'
        ? 'VS Code secret storage'
        : plan.source === 'emulator'
          ? 'the emulator'
          : credentials.source,
    identity: maskId(credentials.secretId),
    engine,
    async close() {
      await pipeline?.then(
        (opened) => opened.close(),
        () => {},
      );
    },
  };
}
