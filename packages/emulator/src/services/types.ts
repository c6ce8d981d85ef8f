/** A handler turns one validated call into the fields of its answer (RequestId is added by the server). */
import type { EmulatorState } from '../state.ts';
import type { World } from '../world.ts';

export interface Call {
  world: World;
  state: EmulatorState;
  region: string;
  /** Checked against the catalog: documented names and types only. */
  params: Record<string, unknown>;
  requestId: string;
  service: string;
  version: string;
  action: string;
  now: number;
}

export type Answer = Record<string, unknown>;
export type Handler = (call: Call) => Answer;
export type Handlers = Record<string, Handler>;
