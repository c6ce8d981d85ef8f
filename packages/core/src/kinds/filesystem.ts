/** CFS file systems: creating → available; only an available one can be deleted (then deleting → gone). */
import type { KindModule } from './types.ts';

/** The CFS version tceops speaks (the newer of the two documented). */
export const CFS_VERSION = '2019-07-19';

export const filesystem: KindModule = {
  kind: 'filesystem',
  nouns: ['file system', 'file systems'],
  states: ['creating', 'create_failed', 'available', 'unserviced', 'upgrading', 'deleting'],
  transitional: ['creating', 'upgrading', 'deleting'],
  failed: ['create_failed'],
  show: 'cfs show',
  verbs: [
    {
      command: 'cfs delete',
      label: 'Delete',
      action: 'DeleteCfsFileSystem',
      // The guide: no delete while 创建中 (creating); the states are not enumerated, so the rest is TCE's call.
      except: ['creating', 'deleting'],
      end: { states: [], gone: true },
    },
  ],
  creates: { CreateCfsFileSystem: { states: ['available'] } },
  notFound: 'ResourceNotFound.FileSystemNotFound',
  async describe(client, region, ids) {
    const out = [];
    for (const id of ids) {
      const r = await client.call<{ FileSystems: Record<string, unknown>[] }>(
        'cfs',
        'DescribeCfsFileSystems',
        { FileSystemId: id },
        { region, version: CFS_VERSION },
      );
      for (const fs of r.FileSystems ?? []) {
        out.push({
          kind: 'filesystem' as const,
          id: String(fs.FileSystemId),
          name: fs.FsName as string | undefined,
          state: fs.LifeCycleState as string | undefined,
          type: fs.StorageType as string | undefined,
          zone: fs.Zone as string | undefined,
          tags: Object.fromEntries(
            ((fs.Tags as { TagKey: string; TagValue: string }[] | undefined) ?? []).map((t) => [t.TagKey, t.TagValue]),
          ),
          raw: fs,
        });
      }
    }
    return out;
  },
};
