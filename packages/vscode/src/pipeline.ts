/** Builds the core command pipeline (engine) for the extension's connection. */
import type { ClientOptions } from '@tceops/core';
import type { EnginePort } from './engine-port.ts';

export interface PipelineOptions {
  clientOptions: ClientOptions;
  policyFile: string;
  dataDir: string;
}

export async function createPipeline(_options: PipelineOptions): Promise<EnginePort> {
  throw new Error('the tceops command pipeline is not part of this build yet');
}
