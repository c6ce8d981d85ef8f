/** CVM images: CREATING until made, NORMAL when usable; only custom images can be deleted. */
import type { KindModule } from './types.ts';
import { inBatches, tagsOf } from './types.ts';

export const image: KindModule = {
  kind: 'image',
  nouns: ['image', 'images'],
  states: ['CREATING', 'NORMAL', 'CREATEFAILED', 'USING', 'SYNCING', 'IMPORTING', 'IMPORTFAILED'],
  transitional: ['CREATING', 'SYNCING', 'IMPORTING'],
  failed: ['CREATEFAILED', 'IMPORTFAILED'],
  verbs: [
    {
      command: 'cvm image delete',
      label: 'Delete',
      action: 'DeleteImages',
      from: ['NORMAL', 'CREATEFAILED', 'IMPORTFAILED'],
      end: { states: [], gone: true },
    },
  ],
  notFound: 'InvalidImageId.NotFound',
  describe: (client, region, ids) =>
    inBatches(ids, async (batch) => {
      const r = await client.call<{ ImageSet: Record<string, unknown>[] }>(
        'cvm',
        'DescribeImages',
        { ImageIds: batch },
        { region },
      );
      return (r.ImageSet ?? []).map((i) => ({
        kind: 'image' as const,
        id: String(i.ImageId),
        name: i.ImageName as string | undefined,
        state: i.ImageState as string | undefined,
        type: i.ImageType as string | undefined,
        tags: tagsOf(i as { Tags?: { Key: string; Value: string }[] }),
        raw: i,
      }));
    }),
};
