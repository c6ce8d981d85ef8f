/**
 * Grammar reads carry their API actions (spec.reads): each read command declares every action it sends, the
 * declaration is checked against what it really sends to the emulator, and its plan carries them, so a policy rule
 * on an action sees `cvm instances` as it sees `call cvm DescribeInstances`.
 */
import assert from 'node:assert/strict';
import { createClient, type TceClient } from '../../src/api/client.ts';
import { findAction, riskOf } from '../../src/catalog/index.ts';
import { parseCommand } from '../../src/commands/parse.ts';
import { readPlan } from '../../src/commands/prepare.ts';
import { COMMANDS } from '../../src/commands/registry.ts';
import { DEMO_CREDENTIALS, startEmulator } from '../../../emulator/src/index.ts';

const READS = COMMANDS.filter((spec) => spec.read);

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
  });
});
