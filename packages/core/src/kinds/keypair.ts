/** CVM key pairs: no states; changed through `call` (names, associations). */
import type { KindModule } from './types.ts';
import { inBatches, tagsOf } from './types.ts';

export const keypair: KindModule = {
  kind: 'keypair',
  nouns: ['key pair', 'key pairs'],
  states: [],
  transitional: [],
  failed: [],
  verbs: [],
  notFound: 'InvalidKeyPairId.NotFound',
  describe: (client, region, ids) =>
    inBatches(ids, async (batch) => {
      const r = await client.call<{ KeyPairSet: Record<string, unknown>[] }>(
        'cvm',
        'DescribeKeyPairs',
        { KeyIds: batch, Limit: 100 },
        { region },
      );
      return (r.KeyPairSet ?? []).map((k) => ({
        kind: 'keypair' as const,
        id: String(k.KeyId),
        name: k.KeyName as string | undefined,
        tags: tagsOf(k as { Tags?: { Key: string; Value: string }[] }),
        raw: k,
      }));
    }),
};
