/** What every handler works on: the state, the clock, the transition durations, and the pending transitions. */
import type { Durations } from './clock.ts';
import type { EmulatorState } from './state.ts';

export interface World {
  state: EmulatorState;
  durations: Durations;
  now: () => number;
  /** Earliest time a transition is due: requests skip the scan until then. */
  nextDue: number;
  /** Called after every change, so the state file follows. */
  changed: () => void;
}
