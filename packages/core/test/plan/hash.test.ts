import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/plan/canonical.ts';
import { planDifferences, planHash, planHashHolds } from '../../src/plan/hash.ts';
import { buildPlan, summarize } from '../../src/plan/summary.ts';
import { cvmPlan, instance } from './fixtures.ts';

describe('plan/hash', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }),
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    assert.throws(() => canonicalJson({ a: Number.NaN }), /\$\.a: NaN has no JSON form/);
  });

  it('the same plan built twice, keys in another order, hashes the same', () => {
    const a = cvmPlan('Terminate', [instance('ins-00000001', { tags: { env: 'dev', team: 'web' } })]);
    const b = cvmPlan('Terminate', [instance('ins-00000001', { tags: { team: 'web', env: 'dev' } })]);
    assert.equal(a.hash, b.hash);
    assert.match(a.hash, /^[0-9a-f]{64}$/);
    assert.ok(planHashHolds(a));
  });

  it('a changed target state, tag, name, parameter or region gives another hash', () => {
    const base = cvmPlan('Stop', [instance('ins-00000001')]);
    const variants = [
      cvmPlan('Stop', [instance('ins-00000001', { state: 'STOPPED' })]),
      cvmPlan('Stop', [instance('ins-00000001', { tags: { env: 'production' } })]),
      cvmPlan('Stop', [instance('ins-00000001', { name: 'renamed' })]),
      cvmPlan('Stop', [instance('ins-00000001', { type: 'S5.LARGE8' })]),
      cvmPlan('Stop', [instance('ins-00000001'), instance('ins-00000002')]),
      buildPlan({
        ...base,
        calls: [{ ...base.calls[0]!, params: { InstanceIds: ['ins-00000001'], StopType: 'HARD' } }],
      }),
      buildPlan({ ...base, calls: [{ ...base.calls[0]!, region: 'ap-shanghai' }] }),
    ];
    const hashes = new Set([base.hash, ...variants.map((v) => v.hash)]);
    assert.equal(hashes.size, variants.length + 1);
  });

  it('a plan edited after hashing no longer holds', () => {
    const plan = cvmPlan('Terminate', [instance('ins-00000001')]);
    const edited = { ...plan, calls: [{ ...plan.calls[0]!, params: { InstanceIds: ['ins-99999999'] } }] };
    assert.equal(planHashHolds(edited), false);
    assert.notEqual(planHash(edited), plan.hash);
  });

  it('lists what changed between two plans', () => {
    const before = cvmPlan('Stop', [instance('ins-00000001'), instance('ins-00000002')]);
    const after = cvmPlan('Stop', [instance('ins-00000001', { state: 'STOPPED' })]);
    const diff = planDifferences(before, after);
    assert.ok(diff.includes('ins-00000001 state RUNNING → STOPPED'), diff.join('; '));
    assert.ok(diff.includes('ins-00000002 is gone'));
    assert.ok(diff.includes('the calls differ'));
  });
});

describe('plan/summary', () => {
  it('names the verb, count, region, each target, and says when it cannot be undone', () => {
    const plan = cvmPlan('Terminate', [
      instance('ins-00000001', { name: 'web-1' }),
      instance('ins-00000002', { name: 'web-2', state: 'STOPPED', type: 'S5.LARGE8' }),
    ]);
    assert.equal(
      plan.summary,
      'Terminate 2 instances in ap-guangzhou: web-1 (ins-00000001, RUNNING, S5.MEDIUM4), web-2 (ins-00000002, STOPPED, S5.LARGE8). This cannot be undone.',
    );
    assert.equal(plan.irreversible, true);
  });

  it('a reversible plan of one target without a name shows the ID', () => {
    const plan = cvmPlan('Stop', [instance('ins-00000001', { name: undefined })]);
    assert.equal(plan.summary, 'Stop 1 instance in ap-guangzhou: ins-00000001 (RUNNING, S5.MEDIUM4).');
    assert.equal(plan.irreversible, false);
  });

  it('counts the rest past ten targets', () => {
    const targets = Array.from({ length: 12 }, (_, i) => instance(`ins-${String(i).padStart(8, '0')}`));
    const text = summarize({ verb: 'Reboot', region: 'ap-guangzhou', targets, irreversible: false });
    assert.match(text, /^Reboot 12 instances in ap-guangzhou: /);
    assert.match(text, /, and 2 more\.$/);
    assert.equal(text.split('ins-').length - 1, 10);
  });
});
