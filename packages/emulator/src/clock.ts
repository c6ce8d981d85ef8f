/**
 * How long the emulated cloud takes: every transition has a default duration (a few seconds, so demos and
 * waiters see the intermediate states without waiting minutes), scaled by `timeScale` and overridable one by one.
 */

export const DEFAULT_DURATIONS_MS = {
  /** RunInstances: PENDING → RUNNING. */
  instanceLaunch: 6000,
  /** StartInstances: STARTING → RUNNING. */
  instanceStart: 3000,
  /** StopInstances: STOPPING → STOPPED (a HARD stop takes half). */
  instanceStop: 3000,
  /** RebootInstances: REBOOTING → RUNNING. */
  instanceReboot: 4000,
  /** ResetInstance (reinstall): REBOOTING → RUNNING. */
  instanceReset: 8000,
  /** TerminateInstances: TERMINATING → gone. */
  instanceTerminate: 4000,
  /** Operations that leave the state alone but report LatestOperationState OPERATING meanwhile. */
  instanceModify: 2000,
  /** CreateImage: CREATING → NORMAL; SyncImages: SYNCING → NORMAL. */
  imageCreate: 8000,
  imageSync: 10000,
  /** CFS: creating → available, deleting → gone. */
  fileSystemCreate: 5000,
  fileSystemDelete: 3000,
  /** CFS SignUpCfsService: creating → created. */
  cfsSignUp: 2000,
  /** CSM: a started migration job runs this long, then succeeds. */
  migrationJob: 20000,
  /** CSM: STOPPING → STOPPED, DELETING → gone. */
  migrationJobStop: 3000,
};

export type DurationName = keyof typeof DEFAULT_DURATIONS_MS;
export type Durations = Record<DurationName, number>;

export function resolveDurations(timeScale = 1, overrides: Partial<Durations> = {}): Durations {
  if (!(timeScale >= 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(
      `timeScale must be a number of 0 or more (0 makes every transition instant), not ${timeScale}`,
    );
  }
  const out = {} as Durations;
  for (const name of Object.keys(DEFAULT_DURATIONS_MS) as DurationName[]) {
    const override = overrides[name];
    if (override !== undefined && !(override >= 0)) throw new RangeError(`duration ${name} must be 0 ms or more`);
    out[name] = override ?? Math.round(DEFAULT_DURATIONS_MS[name] * timeScale);
  }
  return out;
}

/** ISO 8601 UTC without milliseconds, as the API prints times (Datetime_iso). */
export function isoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
