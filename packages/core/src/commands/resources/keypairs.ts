/** CVM key pairs. */
import type { CommandSpec } from '../spec.ts';
import { listView, PAGE_FLAGS, pageParams } from './common.ts';

interface KeyPair {
  KeyId: string;
  KeyName?: string;
  Description?: string;
  AssociatedInstanceIds?: string[];
  CreatedTime?: string;
}

export const keyPairCommands: CommandSpec[] = [
  {
    path: ['cvm', 'keypairs'],
    reads: ['cvm:DescribeKeyPairs'],
    summary: 'List key pairs and the instances using them',
    args: [],
    flags: { ...PAGE_FLAGS },
    examples: ['cvm keypairs'],
    read: (command, { client, region }) =>
      listView<KeyPair>(
        {
          service: 'cvm',
          action: 'DescribeKeyPairs',
          itemsKey: 'KeyPairSet',
          kind: 'keypair',
          title: 'Key pairs',
          columns: [
            { key: 'name', title: 'Name', value: (k) => k.KeyName },
            { key: 'id', title: 'ID', value: (k) => k.KeyId },
            { key: 'instances', title: 'Instances', value: (k) => k.AssociatedInstanceIds },
            { key: 'created', title: 'Created', value: (k) => k.CreatedTime },
          ],
          id: (k) => k.KeyId,
        },
        client,
        region,
        pageParams(command.flags),
      ),
  },
];
