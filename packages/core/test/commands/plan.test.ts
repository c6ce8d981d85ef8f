import assert from 'node:assert/strict';
import { planCalls, planChange } from '../../src/commands/plan.ts';
import type { ChangeDraft } from '../../src/commands/spec.ts';
import type { DescribedTarget } from '../../src/commands/targets.ts';

const ids = Array.from({ length: 250 }, (_, i) => `ins-${String(i).padStart(8, '0')}`);
const draft: ChangeDraft = {
  service: 'cvm',
  action: 'StopInstances',
  targetKind: 'instance',
  targetIds: ids,
  params: { StopType: 'SOFT' },
  idParam: 'InstanceIds',
  idParamIsArray: true,
  verb: 'Stop',
};

describe('commands/plan', () => {
  it('batches many targets by the documented limit of 100 per call', () => {
    const calls = planCalls(draft, ids, 'ap-guangzhou');
    assert.deepEqual(
      calls.map((c) => (c.params.InstanceIds as string[]).length),
      [100, 100, 50],
    );
    assert.deepEqual(
      calls.flatMap((c) => c.params.InstanceIds as string[]),
      ids,
    );
    assert.ok(
      calls.every((c) => c.params.StopType === 'SOFT' && c.version === '2017-03-12' && c.region === 'ap-guangzhou'),
    );
  });

  it('makes one call per target where the action takes a single ID', () => {
    const calls = planCalls(
      { ...draft, action: 'ResetInstance', idParam: 'InstanceId', idParamIsArray: false, params: {} },
      ids.slice(0, 3),
      'ap-guangzhou',
    );
    assert.deepEqual(
      calls.map((c) => c.params.InstanceId),
      ids.slice(0, 3),
    );
  });

  it('binds the targets’ observed state into the hash', () => {
    const target = (state: string): DescribedTarget => ({
      kind: 'instance',
      id: ids[0]!,
      name: 'web-1',
      state,
      type: 'S5.MEDIUM4',
      tags: {},
      raw: {},
    });
    const running = planChange(
      { ...draft, targetIds: [ids[0]!] },
      [target('RUNNING')],
      'ap-guangzhou',
      'cvm stop web-1',
    );
    const again = planChange({ ...draft, targetIds: [ids[0]!] }, [target('RUNNING')], 'ap-guangzhou', 'cvm stop web-1');
    const stopped = planChange(
      { ...draft, targetIds: [ids[0]!] },
      [target('STOPPED')],
      'ap-guangzhou',
      'cvm stop web-1',
    );
    assert.equal(running.hash, again.hash);
    assert.notEqual(running.hash, stopped.hash);
    assert.equal(running.risk, 'sensitive');
    assert.match(running.summary, /^Stop 1 instance in ap-guangzhou: web-1 \(ins-00000000, RUNNING, S5\.MEDIUM4\)\.$/);
  });
});
