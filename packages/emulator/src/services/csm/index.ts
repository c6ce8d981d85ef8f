/** Every CSM 2021-09-15 action the emulator models. */
import type { Handlers } from '../types.ts';
import { jobHandlers } from './jobs.ts';
import { serverHandlers } from './servers.ts';

export const csmHandlers: Handlers = { ...serverHandlers, ...jobHandlers };
