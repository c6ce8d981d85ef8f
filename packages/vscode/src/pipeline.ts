/**
 * The core command pipeline for the extension's connection: the same engine, policy and audit as the terminal
 * and Slack. The store is `tceops.store`, else TCEOPS_STORE, else a folder in the extension's global storage —
 * point it at the Slack bot's store (a postgres:// URL) so approvals requested here reach the approvers there.
 */
import type { ApprovalState, ClientOptions } from '@tceops/core';
import { openPipeline } from '@tceops/core/commands/open.ts';
import { policedReads } from '@tceops/core/commands/policed-reads.ts';
import type { EnginePort } from './engine-port.ts';

export interface PipelineOptions {
  clientOptions: ClientOptions;
  policyFile: string;
  /** TCEOPS_STORE syntax: file:<dir> or postgres://… */
  store: string;
}

export async function createPipeline(options: PipelineOptions): Promise<EnginePort> {
  // The same opening as the terminal's and the bot's: the policy first (a bad file is refused before anything
  // else happens, with its line and the problem), then the cloud this connection names, the store, the engine.
  const opened = await openPipeline({
    env: options.clientOptions.env ?? process.env,
    clientOptions: options.clientOptions,
    policyFile: options.policyFile || undefined,
    store: options.store,
    engine: { waitIntervalMs: 2000 },
  });
  const { engine } = opened;
  return {
    run: (text, ctx, runOptions) => engine.run(text, ctx, runOptions),
    confirm: (planId, ctx, input) => engine.confirm(planId, ctx, input),
    approve: (id, ctx) => engine.approve(id, ctx),
    deny: (id, ctx, reason) => engine.deny(id, ctx, reason),
    cancel: (id, ctx) => engine.cancel(id, ctx),
    listApprovals: (filter = {}) =>
      engine.listApprovals({ state: filter.state as ApprovalState | undefined, requester: filter.requester }),
    onProgress: (listener) => engine.onProgress(listener),
    reads: (actor) => policedReads(engine, opened.client, { actor, surface: 'vscode' }),
    close: () => opened.close(),
  };
}
