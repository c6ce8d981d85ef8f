/**
 * Time-based transitions: an operation puts a record in its intermediate state (STOPPING, creating, ...) and
 * schedules the end state. Nothing runs in the background: every request first settles whatever is due, so the
 * emulator is deterministic for a given clock, and a restart resumes pending transitions from the state file.
 */
import { isoTime } from './clock.ts';
import { invalidateLists } from './services/common.ts';
import { createCustomImage } from './services/cvm/images.ts';
import { collections, GONE, type Instance, type MigrationJob, type Stored } from './state.ts';
import type { World } from './world.ts';

export function schedule(world: World, stored: Stored<object>, to: string, delayMs: number): void {
  const at = world.now() + Math.max(0, delayMs);
  stored.transition = { at, to };
  if (at < world.nextDue) world.nextDue = at;
}

/** Settle every transition due by now; returns true when something changed. */
export function advance(world: World): boolean {
  const now = world.now();
  if (now < world.nextDue) return false;
  let changed = false;
  let nextDue = Number.POSITIVE_INFINITY;
  for (const { name, items, field } of collections(world.state)) {
    for (const [id, stored] of Object.entries(items)) {
      const transition = stored.transition;
      if (!transition) continue;
      if (transition.at > now) {
        if (transition.at < nextDue) nextDue = transition.at;
        continue;
      }
      changed = true;
      stored.transition = undefined;
      if (transition.to === GONE) {
        delete items[id];
        forget(world, name, id);
        continue;
      }
      (stored.item as Record<string, unknown>)[field] = transition.to;
      settled(world, name, stored, transition.at);
    }
  }
  world.nextDue = nextDue;
  if (changed) {
    invalidateLists();
    world.changed();
  }
  return changed;
}

/** What else changes when a record reaches its end state. */
function settled(world: World, name: string, stored: Stored<object>, at: number): void {
  switch (name) {
    case 'instances': {
      const instance = stored.item as Instance;
      if (instance.LatestOperationState === 'OPERATING') instance.LatestOperationState = 'SUCCESS';
      return;
    }
    case 'images':
      (stored.item as { SyncPercent: number }).SyncPercent = 100;
      return;
    case 'migrationJobs': {
      const job = stored.item as MigrationJob;
      job.UpdateTime = isoTime(at);
      if (job.Status === 'SUCCESS' || job.Status === 'FAILED') {
        job.Progress = job.Status === 'SUCCESS' ? 100 : job.Progress;
        job.EndTime = isoTime(at);
      }
      job.RunningSince = undefined;
      // A job that targets an image leaves one in the target region, named as the job asked.
      if (job.Status === 'SUCCESS' && job.TargetType === 'Image' && !job.ImageId) {
        const source = world.state.csm.sourceServers[job.SourceServerId]?.item;
        const size = Number((source?.SystemDiskInfo as { Size?: number } | undefined)?.Size ?? 50);
        job.ImageId = createCustomImage(world.state, job.TargetRegion, {
          name: job.ImageName || job.Name,
          osName: source?.OsType ?? 'Linux',
          platform: (source?.OsType ?? 'Linux').split(' ')[0]!,
          size,
          createdAt: at,
          description: `migrated by ${job.JobId}`,
        }).item.ImageId;
      }
      const server = world.state.csm.sourceServers[job.SourceServerId];
      if (server && server.item.Status === 'MIGRATING') server.item.Status = 'ONLINE';
      return;
    }
  }
}

/** A record is gone: drop the references other records hold to it. */
function forget(world: World, name: string, id: string): void {
  if (name !== 'instances') return;
  for (const key of Object.values(world.state.cvm.keyPairs)) {
    key.item.AssociatedInstanceIds = key.item.AssociatedInstanceIds.filter((i) => i !== id);
  }
  for (const group of Object.values(world.state.cvm.placementGroups)) {
    group.item.InstanceIds = group.item.InstanceIds.filter((i) => i !== id);
  }
}
