/**
 * Tree actions through the real core pipeline (engine, policy, file store) against a small stateful TCE on
 * loopback: the confirmation the user sees is the one the policy decides.
 */
import './support/setup.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../src/actions/run.ts';
import { policedReads } from '../../core/src/commands/policed-reads.ts';
import { createClientSource } from '../src/data/source.ts';
import type { EnginePort } from '../src/engine-port.ts';
import { createPipeline } from '../src/pipeline.ts';
import type { GroupNode, ResourceNode } from '../src/tree/nodes.ts';
import { ExplorerProvider } from '../src/tree/provider.ts';
import { windowPrompts } from '../src/ui/prompts.ts';
import { createClient } from '../../core/src/api/client.ts';
import { type FakeTce, SECRET_ID, SECRET_KEY, startFakeTce } from '../../core/test/api/fake-tce.ts';
import { answer, clipboard, resetStub, shown, unusedAnswers } from './support/vscode-stub.ts';
import { memoryLog } from './support/memory-log.ts';

interface Vm {
  InstanceId: string;
  InstanceName: string;
  InstanceState: string;
  InstanceType: string;
  Placement: { Zone: string };
  PrivateIpAddresses: string[];
  Tags: { Key: string; Value: string }[];
}

/** CVM in miniature: lists, and stop/terminate moving through STOPPING/TERMINATING on the next read. */
function tinyCvm(vms: Vm[]) {
  const next = new Map<string, string>();
  const calls: string[] = [];
  const reply = (request: { headers: Record<string, unknown>; params: Record<string, unknown> }) => {
    const action = String(request.headers['x-tc-action']);
    calls.push(action);
    const p = request.params as { InstanceIds?: string[]; Offset?: number; Limit?: number };
    const ok = (fields: Record<string, unknown>) => ({
      body: { Response: { ...fields, RequestId: `req-${calls.length}` } },
    });
    if (action === 'DescribeInstances') {
      for (const [id, state] of next) {
        const vm = vms.find((v) => v.InstanceId === id);
        if (vm && ['STOPPING', 'TERMINATING'].includes(vm.InstanceState)) {
          if (state === 'GONE') vms.splice(vms.indexOf(vm), 1);
          else vm.InstanceState = state;
          next.delete(id);
        }
      }
      const list = p.InstanceIds ? vms.filter((v) => p.InstanceIds!.includes(v.InstanceId)) : vms;
      const page = list.slice(p.Offset ?? 0, (p.Offset ?? 0) + (p.Limit ?? 20));
      return ok({ TotalCount: list.length, InstanceSet: page });
    }
    if (action === 'StopInstances' || action === 'TerminateInstances') {
      for (const id of p.InstanceIds ?? []) {
        const vm = vms.find((v) => v.InstanceId === id)!;
        vm.InstanceState = action === 'StopInstances' ? 'STOPPING' : 'TERMINATING';
        next.set(id, action === 'StopInstances' ? 'STOPPED' : 'GONE');
      }
      return ok({});
    }
    return {
      status: 200,
      body: {
        Response: { Error: { Code: 'InvalidAction', Message: `not in this test: ${action}` }, RequestId: 'req-x' },
      },
    };
  };
  return { reply, calls };
}

function vm(id: string, name: string, state: string, tags: Record<string, string> = {}): Vm {
  return {
    InstanceId: id,
    InstanceName: name,
    InstanceState: state,
    InstanceType: 'S5.MEDIUM4',
    Placement: { Zone: 'ap-guangzhou-3' },
    PrivateIpAddresses: ['10.0.0.5'],
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

describe('vscode actions through the real pipeline', function () {
  this.timeout(30_000);
  let tce: FakeTce;
  let dir: string;
  let engine: EnginePort;
  let provider: ExplorerProvider;
  let cvm: ReturnType<typeof tinyCvm>;
  const log = memoryLog();

  async function open(policyFile = '') {
    const clientOptions = {
      endpoint: tce.url,
      region: 'ap-guangzhou',
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, source: 'test' },
      env: {},
      rateLimit: false,
    };
    engine = await createPipeline({ clientOptions, policyFile, store: `file:${path.join(dir, 'store')}` });
    const source = createClientSource(async () =>
      policedReads(engine, createClient(clientOptions), { actor: { id: 'alice' }, surface: 'vscode' }),
    );
    provider = new ExplorerProvider({
      connection: () => ({ key: 't', label: 't', description: '', source, regions: ['ap-guangzhou'], pageSize: 100 }),
      pollIntervalMs: 50,
    });
    const [connection] = await provider.getChildren();
    const [region] = await provider.getChildren(connection);
    const groups = await provider.getChildren(region);
    return (await provider.getChildren(groups[0] as GroupNode)) as ResourceNode[];
  }

  const deps = () => ({ engine: async () => engine, actor: { id: 'alice' }, provider, log, ui: windowPrompts });

  beforeEach(async () => {
    resetStub();
    dir = mkdtempSync(path.join(tmpdir(), 'tceops-pipeline-'));
    cvm = tinyCvm([
      vm('ins-aaaa0001', 'web-1', 'RUNNING'),
      vm('ins-aaaa0002', 'web-2', 'STOPPED'),
      vm('ins-aaaa0003', 'db-1', 'RUNNING', { env: 'production' }),
    ]);
    tce = await startFakeTce((r) => cvm.reply(r as never));
  });

  afterEach(async () => {
    provider?.dispose();
    await engine?.close();
    await tce.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(unusedAnswers(), []);
  });

  it('stop: the built-in policy asks for a click; the modal answered, the instance is stopped and followed to STOPPED', async () => {
    const rows = await open();
    const web1 = rows.find((r) => r.id === 'ins-aaaa0001')!;
    answer('Soft', 'Stop');
    const settled = await runAction('tceops.instance.stop', web1, [web1], deps());
    assert.deepEqual(
      settled.map((s) => s.kind),
      ['done'],
    );
    const modal = shown.find((s) => s.kind === 'warning' && s.options?.modal)!;
    assert.match(modal.message, /web-1/);
    assert.deepEqual(modal.items, ['Stop']);
    assert.ok(cvm.calls.includes('StopInstances'));
    for (let i = 0; i < 100 && web1.item.InstanceState !== 'STOPPED'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(web1.item.InstanceState, 'STOPPED');
    assert.equal(provider.getTreeItem(web1).contextValue, 'tceops.instance.stopped');
  });

  it('stop dismissed at the modal: nothing is sent', async () => {
    const rows = await open();
    answer('Soft', undefined);
    const settled = await runAction('tceops.instance.stop', rows[0], undefined, deps());
    assert.deepEqual(settled, [{ kind: 'cancelled' }]);
    assert.ok(!cvm.calls.includes('StopInstances'));
  });

  it("terminate: the built-in policy wants another person's approval; nothing runs and the /tce command is offered", async () => {
    const rows = await open();
    const web2 = rows.find((r) => r.id === 'ins-aaaa0002')!;
    answer('Copy /tce command');
    const settled = await runAction('tceops.instance.terminate', web2, undefined, deps());
    assert.equal(settled[0]!.kind, 'approval');
    await new Promise((r) => setImmediate(r));
    assert.ok(!cvm.calls.includes('TerminateInstances'));
    assert.ok(!shown.some((s) => s.options?.modal || s.kind === 'input'), 'no confirmation for an approval');
    assert.match(
      shown.find((s) => s.kind === 'info' && /needs/.test(s.message))!.message,
      /needs one approval \(anyone but the requester\): request apr-[a-z0-9]+ is pending in the Approvals view/,
    );
    assert.equal(clipboard.text, '/tce cvm terminate ins-aaaa0002 --region ap-guangzhou');
  });

  it('terminate under a policy that asks for the typed ID: a wrong ID sends nothing, the right one terminates', async () => {
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      'version: 1\nrules:\n  - name: typed for destructive\n    match: { risk: destructive }\n    confirm: typed\n',
    );
    const rows = await open(policy);
    const web2 = rows.find((r) => r.id === 'ins-aaaa0002')!;
    answer('ins-aaaa0003');
    assert.deepEqual(await runAction('tceops.instance.terminate', web2, undefined, deps()), [{ kind: 'cancelled' }]);
    assert.match(String(shown.find((s) => s.kind === 'input')!.validation), /Type ins-aaaa0002 exactly/);
    assert.ok(!cvm.calls.includes('TerminateInstances'));
    answer('ins-aaaa0002');
    const settled = await runAction('tceops.instance.terminate', web2, undefined, deps());
    assert.deepEqual(
      settled.map((s) => s.kind),
      ['done'],
    );
    assert.ok(cvm.calls.includes('TerminateInstances'));
  });

  it('a production-tagged instance needs two approvals even to stop', async () => {
    const rows = await open();
    const db1 = rows.find((r) => r.id === 'ins-aaaa0003')!;
    answer('Soft');
    const settled = await runAction('tceops.instance.stop', db1, undefined, deps());
    assert.equal(settled[0]!.kind, 'approval');
    assert.match(
      shown.find((s) => s.kind === 'info' && /needs/.test(s.message))!.message,
      /needs 2 approvals \(anyone but the requester\)/,
    );
    assert.ok(!cvm.calls.includes('StopInstances'));
  });

  it('a bad policy file is refused with its line, and nothing is sent', async () => {
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nrules:\n  - name: broken\n    match: { risk: sometimes }\n    allow: true\n');
    await assert.rejects(open(policy), /policy\.yaml:4: rules\[0\]\.match\.risk: unknown risk "sometimes"/);
    assert.deepEqual(cvm.calls, []);
  });
});
