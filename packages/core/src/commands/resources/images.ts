/** CVM images: list, create from an instance, delete. */
import type { CommandSpec } from '../spec.ts';
import { listView, PAGE_FLAGS, pageParams } from './common.ts';

interface Image {
  ImageId: string;
  ImageName?: string;
  ImageState?: string;
  ImageType?: string;
  OsName?: string;
  ImageSize?: number;
  CreatedTime?: string;
}

const IMAGE_TYPES = ['PRIVATE_IMAGE', 'PUBLIC_IMAGE', 'SHARED_IMAGE'];

export const imageCommands: CommandSpec[] = [
  {
    path: ['cvm', 'images'],
    reads: ['cvm:DescribeImages'],
    summary: 'List images (custom ones by default)',
    args: [],
    flags: {
      type: {
        type: 'string',
        upper: true,
        choices: IMAGE_TYPES,
        description: 'PRIVATE_IMAGE (default), PUBLIC_IMAGE or SHARED_IMAGE',
      },
      ...PAGE_FLAGS,
    },
    examples: ['cvm images', 'cvm images --type PUBLIC_IMAGE'],
    read: (command, { client, region }) =>
      listView<Image>(
        {
          service: 'cvm',
          action: 'DescribeImages',
          itemsKey: 'ImageSet',
          kind: 'image',
          title: 'Images',
          columns: [
            { key: 'state', title: 'State', value: (i) => i.ImageState },
            { key: 'name', title: 'Name', value: (i) => i.ImageName },
            { key: 'id', title: 'ID', value: (i) => i.ImageId },
            { key: 'type', title: 'Type', value: (i) => i.ImageType },
            { key: 'os', title: 'OS', value: (i) => i.OsName },
            { key: 'size', title: 'Size (GB)', value: (i) => i.ImageSize },
            { key: 'created', title: 'Created', value: (i) => i.CreatedTime },
          ],
          id: (i) => i.ImageId,
          state: (i) => i.ImageState,
        },
        client,
        region,
        {
          Filters: [{ Name: 'image-type', Values: [String(command.flags.type ?? 'PRIVATE_IMAGE')] }],
          ...pageParams(command.flags),
        },
      ),
  },
  {
    path: ['cvm', 'image', 'create'],
    summary: 'Create a custom image from an instance (stop it first for a consistent disk)',
    args: [{ name: 'instance', description: 'instance ID or name', id: 'instance', byName: true }],
    flags: {
      name: { type: 'string', description: 'name of the new image (default: <instance ID>-image-<date>)' },
      description: { type: 'string', description: 'description of the new image' },
    },
    examples: ['cvm image create web-1 --name web-golden'],
    change: async (command) => ({
      service: 'cvm',
      action: 'CreateImage',
      targetKind: 'instance',
      targetIds: command.args.instance!,
      params: {
        // A default name lets a menu (Slack, VS Code) offer "Create image" with nothing more to ask.
        ImageName: command.flags.name ?? `${command.args.instance![0]}-image-${new Date().toISOString().slice(0, 10)}`,
        ...(command.flags.description ? { ImageDescription: command.flags.description } : {}),
      },
      idParam: 'InstanceId',
      idParamIsArray: false,
      verb: 'Create an image from',
    }),
  },
  {
    path: ['cvm', 'image', 'delete'],
    summary: 'Delete custom images',
    args: [{ name: 'image', description: 'one or more image IDs (img-...)', id: 'image', variadic: true }],
    flags: {},
    examples: ['cvm image delete img-abcd1234'],
    change: async (command) => ({
      service: 'cvm',
      action: 'DeleteImages',
      targetKind: 'image',
      targetIds: command.args.image!,
      params: {},
      idParam: 'ImageIds',
      idParamIsArray: true,
      verb: 'Delete',
    }),
  },
];
