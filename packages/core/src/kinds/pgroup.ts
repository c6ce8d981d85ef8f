/** CFS permission groups: no states; their rules are added and deleted through the group. */
import { CFS_VERSION } from './filesystem.ts';
import type { KindModule } from './types.ts';

export const pgroup: KindModule = {
  kind: 'pgroup',
  nouns: ['permission group', 'permission groups'],
  states: [],
  transitional: [],
  failed: [],
  verbs: [
    { command: 'cfs rule add', label: 'Add rule', action: 'CreateCfsRule', menu: false },
    { command: 'cfs rule delete', label: 'Delete rule', action: 'DeleteCfsRule', menu: false },
  ],
  notFound: 'ResourceNotFound.PGroupNotFound',
  async describe(client, region, ids) {
    const out = [];
    for (const id of ids) {
      const r = await client.call<{ PGroupList: Record<string, unknown>[] }>(
        'cfs',
        'DescribeCfsPGroups',
        { PGroupId: id },
        { region, version: CFS_VERSION },
      );
      for (const g of (r.PGroupList ?? []).filter((p) => p.PGroupId === id))
        out.push({ kind: 'pgroup' as const, id, name: g.Name as string | undefined, tags: {}, raw: g });
    }
    return out;
  },
};
