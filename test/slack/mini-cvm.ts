/**
 * A very small CVM endpoint speaking the TCE API envelope, for the end-to-end Slack tests when the project's
 * emulator (packages/emulator) is not in the tree. Instances move through the documented states on a timer
 * (STOPPING → STOPPED, TERMINATING → gone), and every action call is counted, so a test can tell "ran once".
 * It does not check signatures or parameters: core validates before sending, and this is not the emulator.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Instance {
  InstanceId: string;
  InstanceName: string;
  InstanceState: string;
  InstanceType: string;
  Placement: { Zone: string };
  PrivateIpAddresses: string[];
  PublicIpAddresses: string[];
  Tags: { Key: string; Value: string }[];
}

export interface MiniCvm {
  url: string;
  calls: Map<string, number>;
  /** Answer these actions only after this many ms (the change itself is made at once), to catch a caller mid-call. */
  slow: Map<string, number>;
  instances: Instance[];
  stop(): Promise<void>;
}

const SEED: [string, string, string, Record<string, string>][] = [
  ['ins-a1b2c3d4', 'web-1', 'RUNNING', {}],
  ['ins-b2c3d4e5', 'web-2', 'RUNNING', {}],
  ['ins-c3d4e5f6', 'batch-1', 'STOPPED', {}],
  ['ins-d4e5f6a7', 'db-1', 'RUNNING', { env: 'production' }],
];

export async function startMiniCvm(transitionMs = 150): Promise<MiniCvm> {
  const instances: Instance[] = SEED.map(([id, name, state, tags]) => ({
    InstanceId: id,
    InstanceName: name,
    InstanceState: state,
    InstanceType: 'S5.MEDIUM4',
    Placement: { Zone: 'ap-guangzhou-3' },
    PrivateIpAddresses: ['10.0.0.4'],
    PublicIpAddresses: [],
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  }));
  const calls = new Map<string, number>();
  const slow = new Map<string, number>();
  const later = (fn: () => void) => setTimeout(fn, transitionMs).unref();
  const change = (ids: string[], from: string[], via: string, to: string | undefined) => {
    const found = ids.map((id) => instances.find((i) => i.InstanceId === id));
    const missing = ids.find((_, n) => !found[n]);
    if (missing)
      return { Error: { Code: 'InvalidInstanceId.NotFound', Message: `The instance ${missing} does not exist.` } };
    const wrong = found.find((i) => !from.includes(i!.InstanceState));
    if (wrong)
      return {
        Error: {
          Code: 'UnsupportedOperation.InstanceStateNotSupported',
          Message: `${wrong.InstanceId} is ${wrong.InstanceState}`,
        },
      };
    for (const i of found) {
      i!.InstanceState = via;
      later(() => {
        if (to) i!.InstanceState = to;
        else instances.splice(instances.indexOf(i!), 1);
      });
    }
    return {};
  };
  const actions: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    DescribeRegions: () => ({
      TotalCount: 2,
      RegionSet: [
        { Region: 'ap-guangzhou', RegionName: 'Guangzhou', RegionState: 'AVAILABLE' },
        { Region: 'ap-shanghai', RegionName: 'Shanghai', RegionState: 'AVAILABLE' },
      ],
    }),
    DescribeInstances: (p) => {
      const ids = p.InstanceIds as string[] | undefined;
      const filters = (p.Filters as { Name: string; Values: string[] }[] | undefined) ?? [];
      let set = ids ? instances.filter((i) => ids.includes(i.InstanceId)) : [...instances];
      for (const f of filters) {
        if (f.Name === 'instance-state') set = set.filter((i) => f.Values.includes(i.InstanceState));
        if (f.Name === 'instance-name') set = set.filter((i) => f.Values.includes(i.InstanceName));
        if (f.Name === 'zone') set = set.filter((i) => f.Values.includes(i.Placement.Zone));
      }
      const offset = Number(p.Offset ?? 0);
      const limit = Number(p.Limit ?? 20);
      return { TotalCount: set.length, InstanceSet: set.slice(offset, offset + limit) };
    },
    StartInstances: (p) => change(p.InstanceIds as string[], ['STOPPED'], 'STARTING', 'RUNNING'),
    StopInstances: (p) => change(p.InstanceIds as string[], ['RUNNING'], 'STOPPING', 'STOPPED'),
    RebootInstances: (p) => change(p.InstanceIds as string[], ['RUNNING'], 'REBOOTING', 'RUNNING'),
    TerminateInstances: (p) =>
      change(p.InstanceIds as string[], ['RUNNING', 'STOPPED', 'LAUNCH_FAILED', 'SHUTDOWN'], 'TERMINATING', undefined),
    ResetInstancesPassword: (p) => change(p.InstanceIds as string[], ['RUNNING', 'STOPPED'], 'STOPPING', 'STOPPED'),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = String(req.headers['x-tc-action'] ?? '');
      const params = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      calls.set(action, (calls.get(action) ?? 0) + 1);
      const handler = actions[action];
      const body = handler
        ? handler(params)
        : { Error: { Code: 'InvalidAction', Message: `${action} is not in the mini CVM` } };
      const answer = () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ Response: { ...body, RequestId: randomUUID() } }));
      const delay = slow.get(action);
      if (delay) setTimeout(answer, delay).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    slow,
    instances,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
