/** The CFS service itself, per region: none → (SignUpCfsService) creating → created (002:3094). */
import { schedule } from '../../transitions.ts';
import type { Call, Handlers } from '../types.ts';

function status(call: Call) {
  return { CfsServiceStatus: call.state.cfs.serviceStatus[call.region]?.item.Status ?? 'none' };
}

function signUp(call: Call) {
  const current = call.state.cfs.serviceStatus[call.region];
  if (!current || current.item.Status === 'none') {
    const stored = { region: call.region, item: { Status: 'creating' } };
    call.state.cfs.serviceStatus[call.region] = stored;
    schedule(call.world, stored, 'created', call.world.durations.cfsSignUp);
  }
  return status(call);
}

export const serviceHandlers = { status, signUp } satisfies Handlers;
