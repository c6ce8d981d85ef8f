/** CSM migration jobs: PENDING → RUNNING → SUCCESS | FAILED; a running one can be stopped (STOPPING → STOPPED). */
import type { KindModule } from './types.ts';

export const job: KindModule = {
  kind: 'job',
  nouns: ['migration job', 'migration jobs'],
  states: ['PENDING', 'RUNNING', 'STOPPING', 'STOPPED', 'SUCCESS', 'FAILED', 'DELETING'],
  transitional: ['RUNNING', 'STOPPING', 'DELETING'],
  failed: ['FAILED'],
  verbs: [
    {
      command: 'csm start',
      label: 'Start',
      action: 'StartMigrationJob',
      from: ['PENDING', 'STOPPED', 'FAILED'],
      end: { states: ['SUCCESS', 'FAILED'] },
    },
    { command: 'csm stop', label: 'Stop', action: 'StopMigrationJob', from: ['RUNNING'], end: { states: ['STOPPED'] } },
  ],
  notFound: 'ResourceNotFound',
  async describe(client, region, ids) {
    const out = [];
    for (const id of ids) {
      const r = await client.call<{ MigrationJobs: Record<string, unknown>[] }>(
        'csm',
        'DescribeMigrationJobs',
        { Filters: [{ Name: 'job-id', Values: [id] }] },
        { region },
      );
      for (const j of (r.MigrationJobs ?? []).filter((x) => x.JobId === id))
        out.push({
          kind: 'job' as const,
          id,
          name: j.Name as string | undefined,
          state: j.Status as string | undefined,
          tags: {},
          raw: j,
        });
    }
    return out;
  },
};
