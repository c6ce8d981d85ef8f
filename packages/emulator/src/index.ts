/** @tceops/emulator: a local, stateful TCE API (CVM, CFS 2018/2019, CSM) for trying and testing tceops. */
export { DEMO_CREDENTIALS, type Credential } from './auth.ts';
export { DEFAULT_DURATIONS_MS, type Durations } from './clock.ts';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './emulator.ts';
export { EMULATOR_USAGE, runEmulatorCli } from './cli.ts';
export type { FaultRule } from './faults.ts';
export type { RequestRecord } from './api.ts';
export { DEMO_BIG_DEVICE_ID, type SeedName } from './seed.ts';
export type { EmulatorState } from './state.ts';
