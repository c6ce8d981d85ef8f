/**
 * Grammar reads carry their API actions (spec.reads): each read command declares every action it sends, the
 * declaration is checked against what it really sends to the emulator, and its plan carries them, so a policy rule
 * on an action sees `cvm instances` as it sees `call cvm DescribeInstances`. Each read's documented flags are tried
 * too, against the parameters they must send.
 */
import assert from 'node:assert/strict';
import { createClient, type TceClient } from '../../src/api/client.ts';
import { findAction, riskOf } from '../../src/catalog/index.ts';
import { parseCommand } from '../../src/commands/parse.ts';
import { readPlan } from '../../src/commands/prepare.ts';
import { COMMANDS } from '../../src/commands/registry.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../../../emulator/src/index.ts';

const READS = COMMANDS.filter((spec) => spec.read);

/**
 * Each read command with the flags it documents, and the calls it must send: written out here, not derived from
 * the commands, so a flag dropped or mapped to the wrong parameter fails. Values differ from the defaults (lower
 * case where the flag upper-cases) so that a flag that is ignored shows.
 */
const page = { Offset: 3, Limit: 7 };
const WITH_FLAGS: [string, [string, Record<string, unknown>][]][] = [
  [
    'cvm instances --state running --zone ap-guangzhou-3 --name web-1 --tag env=production --tag team=web --limit 7 --offset 3',
    [
      [
        'cvm:DescribeInstances',
        {
          Filters: [
            { Name: 'instance-state', Values: ['RUNNING'] },
            { Name: 'zone', Values: ['ap-guangzhou-3'] },
            { Name: 'instance-name', Values: ['web-1'] },
            { Name: 'tag:env', Values: ['production'] },
            { Name: 'tag:team', Values: ['web'] },
          ],
          ...page,
        },
      ],
    ],
  ],
  // A name with a wildcard is matched here, over every page: the API is sent no name and no page of the user's.
  ['cvm instances --name web-* --limit 7 --offset 3', [['cvm:DescribeInstances', { Offset: 0, Limit: 100 }]]],
  [
    'cvm types --zone ap-guangzhou-3 --family S5 --charge-type prepaid',
    [
      [
        'cvm:DescribeZoneInstanceConfigInfos',
        {
          Filters: [
            { Name: 'instance-charge-type', Values: ['PREPAID'] },
            { Name: 'zone', Values: ['ap-guangzhou-3'] },
            { Name: 'instance-family', Values: ['S5'] },
          ],
        },
      ],
    ],
  ],
  ['cvm templates --limit 7 --offset 3', [['cvm:DescribeLaunchTemplatesInfo', page]]],
  [
    'cvm images --type public_image --limit 7 --offset 3',
    [['cvm:DescribeImages', { Filters: [{ Name: 'image-type', Values: ['PUBLIC_IMAGE'] }], ...page }]],
  ],
  ['cvm keypairs --limit 7 --offset 3', [['cvm:DescribeKeyPairs', page]]],
  ['cfs filesystems --limit 7 --offset 3', [['cfs:DescribeCfsFileSystems', page]]],
  ['cfs pgroups --limit 7 --offset 3', [['cfs:DescribeCfsPGroups', page]]],
  ['cfs snapshot-policies --limit 7 --offset 3', [['cfs:DescribeAutoSnapshotPolicies', page]]],
  [
    'csm jobs --status running --limit 7 --offset 3',
    [['csm:DescribeMigrationJobs', { ...page, Filters: [{ Name: 'status', Values: ['RUNNING'] }] }]],
  ],
  [
    'csm servers --status online --limit 7 --offset 3',
    [['csm:DescribeSourceServers', { ...page, Filters: [{ Name: 'status', Values: ['ONLINE'] }] }]],
  ],
];

describe('commands: grammar reads declare the actions they send', () => {
  it('every read command names its actions, each a documented read; no other command names any', () => {
    assert.ok(READS.length >= 15);
    for (const spec of COMMANDS) {
      const name = spec.path.join(' ');
      if (!spec.read) {
        assert.equal(spec.reads, undefined, name);
        continue;
      }
      assert.ok(spec.reads?.length, `${name} declares no action`);
      for (const declared of spec.reads!) {
        const [service, action] = declared.split(':') as [string, string];
        assert.equal(findAction(service, action).name, action, `${name}: ${declared}`);
        assert.equal(riskOf(service, action), 'read', `${name}: ${declared}`);
      }
    }
  });

  it("a read's plan carries its actions, as a call's does", () => {
    const grammar = parseCommand('cvm instances --state RUNNING', { region: 'ap-guangzhou' }).command;
    assert.deepEqual(
      readPlan(grammar, 'ap-guangzhou').calls.map((c) => `${c.service}:${c.action}`),
      ['cvm:DescribeInstances'],
    );
    const show = parseCommand('cfs show cfs-abcd1234', { region: 'ap-guangzhou' }).command;
    assert.deepEqual(
      readPlan(show, 'ap-guangzhou').calls.map((c) => `${c.action}@${c.version}`),
      ['DescribeCfsFileSystems@2019-07-19', 'DescribeMountTargets@2019-07-19'],
    );
  });

  describe('against the emulator: what each read sends is what it declares', function () {
    this.timeout(60_000);
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let client: TceClient;
    before(async () => {
      emulator = await startEmulator({ port: 0, seed: 'demo', timeScale: 0, rateLimits: false });
      client = createClient({
        endpoint: emulator.url,
        region: 'ap-guangzhou',
        credentials: { ...DEMO_CREDENTIALS, source: 'test' },
        env: {},
        rateLimit: false,
      });
    });
    after(async () => {
      client.close();
      await emulator.stop();
    });

    it('each read command, with real IDs, sends only the actions it declares, and at least one', async () => {
      const first = async (service: string, action: string, key: string, field: string) => {
        const response = await client.call(service, action, {});
        return String((response[key] as Record<string, unknown>[])[0]![field]);
      };
      const ids: Record<string, string> = {
        instance: await first('cvm', 'DescribeInstances', 'InstanceSet', 'InstanceId'),
        filesystem: await first('cfs', 'DescribeCfsFileSystems', 'FileSystems', 'FileSystemId'),
        pgroup: await first('cfs', 'DescribeCfsPGroups', 'PGroupList', 'PGroupId'),
      };
      for (const spec of READS) {
        const text = [...spec.path, ...spec.args.filter((a) => !a.optional).map((a) => ids[a.id ?? ''] ?? 'x')];
        const { command } = parseCommand(text, { region: 'ap-guangzhou' });
        const before = emulator.requests().length;
        await spec.read!(command, { client, region: 'ap-guangzhou' });
        const sent = new Set(
          emulator
            .requests()
            .slice(before)
            .map((r) => `${r.service}:${r.action}`),
        );
        assert.ok(sent.size > 0, `${text.join(' ')} sent nothing`);
        for (const action of sent) assert.ok(spec.reads!.includes(action), `${text.join(' ')} sent ${action}`);
      }
    });

    it('each read command, with every flag it documents, sends the parameters the flags name', async () => {
      const calls: [string, Record<string, unknown> | undefined][] = [];
      const recording: TceClient = {
        region: client.region,
        close() {},
        call: ((service, action, params, options) => {
          calls.push([`${service}:${action}`, params]);
          return client.call(service, action, params, options);
        }) as TceClient['call'],
      };
      const tried = new Set<string>();
      for (const [text, expected] of WITH_FLAGS) {
        const { command } = parseCommand(text, { region: 'ap-guangzhou' });
        for (const flag of Object.keys(command.flags)) tried.add(`${command.spec.path.join(' ')} --${flag}`);
        calls.length = 0;
        const before = emulator.requests().length;
        await command.spec.read!(command, { client: recording, region: 'ap-guangzhou' });
        assert.deepEqual(calls, expected, text);
        for (const r of emulator.requests().slice(before)) assert.equal(r.code, 'OK', `${text}: ${r.action}`);
      }
      for (const spec of READS)
        for (const flag of Object.keys(spec.flags))
          assert.ok(tried.has(`${spec.path.join(' ')} --${flag}`), `no case tries ${spec.path.join(' ')} --${flag}`);
    });
  });
});
