/**
 * CSM source servers: the machines the migration client registered (DescribeSourceServers). Their SessionToken
 * lets a client act as the server: it is dropped from every view, table or JSON.
 */
import type { CommandSpec } from '../spec.ts';
import { listView, PAGE_FLAGS, pageParams } from './common.ts';

interface SourceServer {
  SourceServerId: string;
  Name?: string;
  Status?: string;
  OsType?: string;
  Platform?: string;
  Architecture?: string;
  ClientVersion?: string;
  UpdateTime?: string;
  SessionToken?: string;
}

const STATUSES = ['OFFLINE', 'ONLINE', 'MIGRATING', 'DELETING', 'DELETED'];

export const sourceServerCommands: CommandSpec[] = [
  {
    path: ['csm', 'servers'],
    reads: ['csm:DescribeSourceServers'],
    summary: 'List migration source servers (registered by the migration client) and their state',
    args: [],
    flags: {
      status: { type: 'string', upper: true, choices: STATUSES, description: 'only servers in this state' },
      ...PAGE_FLAGS,
    },
    examples: ['csm servers', 'csm servers --status ONLINE'],
    async read(command, { client, region }) {
      const status = command.flags.status as string | undefined;
      const view = await listView<SourceServer>(
        {
          service: 'csm',
          action: 'DescribeSourceServers',
          itemsKey: 'SourceServers',
          kind: 'raw',
          title: 'Migration source servers',
          columns: [
            { key: 'state', title: 'State', value: (s) => s.Status },
            { key: 'name', title: 'Name', value: (s) => s.Name },
            { key: 'id', title: 'ID', value: (s) => s.SourceServerId },
            { key: 'os', title: 'OS', value: (s) => [s.OsType, s.Platform, s.Architecture].filter(Boolean).join(' ') },
            { key: 'client', title: 'Client', value: (s) => s.ClientVersion },
            { key: 'updated', title: 'Updated', value: (s) => s.UpdateTime },
          ],
          id: (s) => s.SourceServerId,
          state: (s) => s.Status,
        },
        client,
        region,
        { ...pageParams(command.flags, 50), ...(status ? { Filters: [{ Name: 'status', Values: [status] }] } : {}) },
      );
      view.items = view.items.map(({ SessionToken: _token, ...rest }) => rest);
      return view;
    },
  },
];
