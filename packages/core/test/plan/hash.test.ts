import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/plan/canonical.ts';
import { planDifferences, planHash, planHashHolds, priceText } from '../../src/plan/hash.ts';
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

describe('plan/hash: the price', () => {
  const one = [instance('ins-00000001')];
  const price = { currency: 'CNY' as const, unit: 'hour' as const, before: 0.21, after: 0.42, change: 0.21 };

  it('binds the price: another figure is another hash; which action quoted it is not bound', () => {
    const plain = cvmPlan('Start', one);
    const priced = cvmPlan('Start', one, { price });
    assert.notEqual(priced.hash, plain.hash);
    assert.notEqual(cvmPlan('Start', one, { price: { ...price, after: 0.43 } }).hash, priced.hash);
    assert.equal(
      cvmPlan('Start', one, { price: { ...price, source: 'InquiryPriceResetInstancesType' } }).hash,
      priced.hash,
    );
    assert.notEqual(cvmPlan('Start', one, { price: { ...price, unit: 'period' } }).hash, priced.hash);
  });

  it('a plan without a price hashes as before prices existed (old approvals still match)', () => {
    const plain = cvmPlan('Start', one);
    assert.equal(plain.hash, planHash({ calls: plain.calls, targets: plain.targets }));
    assert.ok(planHashHolds(plain));
  });

  it('a price edited in a stored plan no longer holds, and the difference names the price', () => {
    const priced = cvmPlan('Start', one, { price });
    assert.ok(!planHashHolds({ ...priced, price: { ...price, after: 0.01 } }));
    const dearer = cvmPlan('Start', one, { price: { ...price, after: 0.63, change: 0.42 } });
    assert.deepEqual(planDifferences(priced, dearer), ['the price changed: ¥0.42/h → ¥0.63/h']);
  });

  it('says the price in one phrase: rates, prepaid periods, increments and why there is none', () => {
    assert.equal(priceText(price), '¥0.21/h → ¥0.42/h (+¥0.21/h)');
    assert.equal(priceText({ currency: 'CNY', unit: 'period', months: 3, after: 604.8 }), '¥604.80 for 3 months');
    assert.equal(priceText({ currency: 'CNY', unit: 'hour', change: -0.1 }), '−¥0.10/h');
    assert.equal(priceText({ currency: 'CNY', unit: 'hour', unavailable: 'no inquiry' }), 'unavailable: no inquiry');
  });
});
