/** Price conditions in the policy: parsing, hourly/monthly comparison, "unavailable", and bad conditions refused. */
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/summary.ts';
import type { Plan, PlanPrice } from '../../src/plan/types.ts';
import { evaluatePolicy } from '../../src/policy/evaluate.ts';
import { checkPolicy } from '../../src/policy/load.ts';
import { hourlyFigure, parsePriceCondition, priceMatches } from '../../src/policy/price.ts';

function launch(price?: PlanPrice): Plan {
  return buildPlan({
    command: 'cvm run --zone ap-guangzhou-3 --type S5.LARGE8 --image img-9qabwvbn --name web',
    service: 'cvm',
    verb: 'Launch',
    risk: 'write',
    region: 'ap-guangzhou',
    targets: [],
    calls: [
      {
        service: 'cvm',
        version: '2017-03-12',
        action: 'RunInstances',
        region: 'ap-guangzhou',
        params: { InstanceType: 'S5.LARGE8' },
      },
    ],
    ...(price ? { price } : {}),
  });
}

const hourly = (after: number, before?: number): PlanPrice => ({
  currency: 'CNY',
  unit: 'hour',
  after,
  ...(before !== undefined ? { before, change: after - before } : {}),
});

describe('policy/price', () => {
  it('parses hourly and monthly thresholds, with or without ¥ and spaces', () => {
    assert.deepEqual(parsePriceCondition('>= 10/h'), {
      kind: 'compare',
      op: '>=',
      amount: 10,
      per: 'hour',
      text: '>= 10/h',
    });
    assert.deepEqual(parsePriceCondition('<¥5000 / month'), {
      kind: 'compare',
      op: '<',
      amount: 5000,
      per: 'month',
      text: '<¥5000 / month',
    });
    assert.deepEqual(parsePriceCondition('unavailable'), { kind: 'unavailable' });
  });

  it('refuses what is not a condition, with the forms it takes', () => {
    for (const bad of ['>= 10', 'expensive', '>= ten/h', '>= 10/day', '=> 10/h'])
      assert.match(String(parsePriceCondition(bad)), /is not a price condition/, bad);
    const { problems } = checkPolicy(
      'version: 1\nrules:\n  - match: { price: ">= 10 per hour" }\n    approve: { count: 1 }\n',
      'p.yaml',
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.line, 3);
    assert.match(problems[0]!.message, /not a price condition/);
  });

  it('compares per hour and per month at 720 hours a month, prepaid payments per month', () => {
    const plan = launch(hourly(12));
    assert.ok(priceMatches(['>= 10/h'], plan, 'price'));
    assert.ok(!priceMatches(['< 10/h'], plan, 'price'));
    assert.ok(priceMatches(['>= 8640/month'], plan, 'price'));
    assert.ok(!priceMatches(['> 8640/month'], plan, 'price'));
    const prepaid = launch({ currency: 'CNY', unit: 'period', months: 3, after: 3000 });
    assert.equal(hourlyFigure(prepaid.price, 'price'), 3000 / 3 / 720);
    assert.ok(priceMatches(['= 1000/month'], prepaid, 'price'));
  });

  it('priceChange is after − before, or the whole price for a creation', () => {
    const resize = launch(hourly(0.9, 0.45));
    assert.ok(priceMatches(['> 0.4/h'], resize, 'change'));
    assert.ok(!priceMatches(['> 0.5/h'], resize, 'change'));
    assert.ok(priceMatches(['> 0.8/h'], launch(hourly(0.9)), 'change'));
    const cheaper = launch(hourly(0.2, 0.45));
    assert.ok(priceMatches(['< 0/h'], cheaper, 'change'));
  });

  it('a plan without a price matches no threshold; an unpriceable one matches "unavailable" only', () => {
    assert.ok(!priceMatches(['>= 0/h', 'unavailable'], launch(), 'price'));
    const unpriced = launch({ currency: 'CNY', unit: 'hour', unavailable: 'TradeUnknownError: …' });
    assert.ok(!priceMatches(['>= 0/h', '< 1000000/h'], unpriced, 'price'));
    assert.ok(priceMatches(['unavailable'], unpriced, 'price'));
  });

  it('in a rule: an expensive launch is sent to approval, a cheap one falls through; explained with the figure', () => {
    const { policy, problems } = checkPolicy(
      'version: 1\nrules:\n  - name: expensive\n    match: { price: [">= 10/h", unavailable] }\n    approve: { count: 1 }\n',
      'p.yaml',
    );
    assert.deepEqual(problems, []);
    const ctx = { actor: 'alice', surface: 'cli' as const };
    const expensive = evaluatePolicy(policy!, launch(hourly(11)), ctx);
    assert.equal(expensive.kind, 'approve');
    assert.match(expensive.trail[0]!.why, /price ¥11\/h/);
    const cheap = evaluatePolicy(policy!, launch(hourly(0.45)), ctx);
    assert.equal(cheap.kind, 'confirm');
    assert.match(
      cheap.trail[0]!.why,
      /the price is ¥0\.45\/h \(¥324\.00\/month\), the rule wants one of >= 10\/h, unavailable/,
    );
    assert.equal(
      evaluatePolicy(policy!, launch({ currency: 'CNY', unit: 'hour', unavailable: 'no quote' }), ctx).kind,
      'approve',
    );
  });
});
