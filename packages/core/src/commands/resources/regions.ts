/** Regions and zones. */
import type { CommandSpec } from '../spec.ts';
import { listView } from './common.ts';

export const regionCommands: CommandSpec[] = [
  {
    path: ['regions'],
    reads: ['cvm:DescribeRegions'],
    summary: 'List the regions of the deployment',
    args: [],
    flags: {},
    examples: ['regions'],
    read: (_command, { client, region }) =>
      listView<{ Region: string; RegionName?: string; RegionState?: string }>(
        {
          service: 'cvm',
          action: 'DescribeRegions',
          itemsKey: 'RegionSet',
          kind: 'region',
          title: 'Regions',
          columns: [
            { key: 'id', title: 'Region', value: (r) => r.Region },
            { key: 'name', title: 'Name', value: (r) => r.RegionName },
            { key: 'state', title: 'State', value: (r) => r.RegionState },
          ],
          id: (r) => r.Region,
          state: (r) => r.RegionState,
        },
        client,
        region,
        {},
      ),
  },
  {
    path: ['zones'],
    reads: ['cvm:DescribeZones'],
    summary: 'List the availability zones of a region',
    args: [],
    flags: {},
    examples: ['zones --region ap-guangzhou'],
    read: (_command, { client, region }) =>
      listView<{ Zone: string; ZoneName?: string; ZoneState?: string }>(
        {
          service: 'cvm',
          action: 'DescribeZones',
          itemsKey: 'ZoneSet',
          kind: 'zone',
          title: `Zones in ${region}`,
          columns: [
            { key: 'id', title: 'Zone', value: (z) => z.Zone },
            { key: 'name', title: 'Name', value: (z) => z.ZoneName },
            { key: 'state', title: 'State', value: (z) => z.ZoneState },
          ],
          id: (z) => z.Zone,
          state: (z) => z.ZoneState,
        },
        client,
        region,
        {},
      ),
  },
];
