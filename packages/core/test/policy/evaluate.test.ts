import assert from 'node:assert/strict';
import { evaluatePolicy } from '../../src/policy/evaluate.ts';
import { explainDecision } from '../../src/policy/explain.ts';
import { builtinPolicy, checkPolicy } from '../../src/policy/load.ts';
import type { Policy } from '../../src/policy/types.ts';
import { cvmPlan, instance } from '../plan/fixtures.ts';

function policy(text: string): Policy {
  const { policy, problems } = checkPolicy(text, 'test.yaml');
  assert.deepEqual(problems, []);
  return policy!;
}

const cli = { actor: 'alice', surface: 'cli' as const };

describe('policy/evaluate: the built-in policy', () => {
  const p = builtinPolicy();
  const one = [instance('ins-00000001')];

  it('read → allow, write → confirm click, sensitive → confirm click', () => {
    assert.equal(evaluatePolicy(p, cvmPlan('Describe', one), cli).kind, 'allow');
    const write = evaluatePolicy(p, cvmPlan('Start', one), cli);
    assert.equal(write.kind, 'confirm');
    assert.equal(write.kind === 'confirm' && write.level, 'click');
    const sensitive = evaluatePolicy(p, cvmPlan('Stop', one), cli);
    assert.equal(sensitive.kind === 'confirm' && sensitive.level, 'click');
    assert.equal(sensitive.rule, 'sensitive');
  });

  it('destructive → one approval by anyone but the requester, within 1h', () => {
    const d = evaluatePolicy(p, cvmPlan('Terminate', one), cli);
    assert.equal(d.kind, 'approve');
    if (d.kind !== 'approve') return;
    assert.equal(d.count, 1);
    assert.deepEqual(d.eligible, ['*']);
    assert.equal(d.selfApproval, false);
    assert.equal(d.ttlMs, 3_600_000);
  });

  it('a production target (env=production, any case) → two approvals, even for a stop; a read stays allowed', () => {
    const prod = [instance('ins-00000001'), instance('ins-00000002', { tags: { Env: 'Production' } })];
    const stop = evaluatePolicy(p, cvmPlan('Stop', prod), cli);
    assert.equal(stop.kind === 'approve' && stop.count, 2);
    assert.equal(stop.rule, 'production');
    assert.equal(evaluatePolicy(p, cvmPlan('Describe', prod), cli).kind, 'allow');
  });

  it('the trail lists each rule looked at and why it did or did not match', () => {
    const d = evaluatePolicy(p, cvmPlan('Terminate', one), cli);
    assert.deepEqual(
      d.trail.map((s) => [s.rule, s.matched]),
      [
        ['read', false],
        ['production', false],
        ['destructive', true],
      ],
    );
    assert.equal(d.trail[0]!.why, 'risk is destructive, the rule wants read');
    assert.equal(d.trail[1]!.why, 'no target carries env=production');
    const text = explainDecision(d, 'alice');
    assert.match(text, /^Decision: approve: 1 approval by anyone other than the requester, within 1h/);
    assert.match(text, /✗ read \(built-in policy\): risk is destructive/);
    assert.match(text, /✓ destructive \(built-in policy\): matches: risk destructive/);
  });
});

describe('policy/evaluate: a policy file', () => {
  const p = policy(`
productionTag: [stage=prod]
roles:
  sre: [alice, U0BOB12345, S0SREGROUP]
  contractors: [mallory]
rules:
  - name: no-terminate-outside-ops
    match: { action: "cvm:terminate*", surface: slack, channel: ["!C0OPS*"] }
    deny: "terminate from #ops, where approvals are seen"
  - name: contractors-read-only
    match: { role: contractors, risk: "!read" }
    deny: contractors may only read
  - name: dev-is-free
    match: { tags: { env: "dev*" } }
    allow: true
  - name: sre-stop
    match: { risk: sensitive, role: sre }
    allow: true
  - name: terminate-by-sre
    match: { risk: destructive }
    approve: { count: 2, approvers: sre, ttl: 30m, channel: C0APPROVE }
`);

  it("denies with the rule's reason, matching the action glob without regard to case", () => {
    const d = evaluatePolicy(p, cvmPlan('Terminate', [instance('ins-00000001')]), {
      actor: 'bob',
      surface: 'slack',
      channel: 'C0RANDOM',
    });
    assert.equal(d.kind, 'deny');
    assert.equal(d.kind === 'deny' && d.denial, 'terminate from #ops, where approvals are seen');
    // From the ops channel the deny does not apply and the approval rule does.
    const ops = evaluatePolicy(p, cvmPlan('Terminate', [instance('ins-00000001')]), {
      actor: 'bob',
      surface: 'slack',
      channel: 'C0OPS1',
    });
    assert.equal(ops.rule, 'terminate-by-sre');
    assert.equal(ops.trail[0]!.why, 'channel is C0OPS1, the rule wants !C0OPS*');
  });

  it("approvers become the eligible members; the rule's channel and ttl come through", () => {
    const d = evaluatePolicy(p, cvmPlan('Terminate', [instance('ins-00000001')]), cli);
    assert.equal(d.kind, 'approve');
    if (d.kind !== 'approve') return;
    assert.deepEqual(d.eligible, ['alice', 'U0BOB12345', 'S0SREGROUP']);
    assert.equal(d.channel, 'C0APPROVE');
    assert.equal(d.ttlMs, 30 * 60_000);
  });

  it('roles come from names, Slack user IDs, user groups, or the surface', () => {
    const stop = cvmPlan('Stop', [instance('ins-00000001')]);
    assert.equal(evaluatePolicy(p, stop, { actor: 'alice', surface: 'cli' }).rule, 'sre-stop');
    assert.equal(
      evaluatePolicy(p, stop, { actor: { id: 'U0BOB12345', name: 'bob' }, surface: 'slack' }).rule,
      'sre-stop',
    );
    assert.equal(
      evaluatePolicy(p, stop, { actor: { id: 'U0CAROL123', groups: ['S0SREGROUP'] }, surface: 'slack' }).rule,
      'sre-stop',
    );
    assert.equal(evaluatePolicy(p, stop, { actor: 'carol', roles: ['sre'], surface: 'cli' }).rule, 'sre-stop');
    const other = evaluatePolicy(p, stop, { actor: 'carol', surface: 'cli' });
    assert.equal(other.rule, 'sensitive');
    assert.equal(other.origin, 'built-in');
    assert.match(other.trail.find((s) => s.rule === 'sre-stop')!.why, /roles \(none\) include no sre/);
  });

  it('a negated risk and a role exclude as written', () => {
    const start = cvmPlan('Start', [instance('ins-00000001')]);
    assert.equal(evaluatePolicy(p, start, { actor: 'mallory', surface: 'cli' }).kind, 'deny');
    assert.equal(
      evaluatePolicy(p, cvmPlan('Describe', [instance('ins-00000001')]), { actor: 'mallory', surface: 'cli' }).kind,
      'allow',
    );
  });

  it('an allow on tags needs every target to carry them; a mixed plan falls through', () => {
    const dev = instance('ins-00000001', { tags: { env: 'dev-3' } });
    const other = instance('ins-00000002', { tags: { env: 'qa' } });
    assert.equal(evaluatePolicy(p, cvmPlan('Start', [dev]), cli).kind, 'allow');
    const mixed = evaluatePolicy(p, cvmPlan('Start', [dev, other]), cli);
    assert.equal(mixed.rule, 'write');
    assert.equal(mixed.trail.find((s) => s.rule === 'dev-is-free')!.why, 'not every target carries env=dev*');
  });

  it("the file's production tag replaces the default one", () => {
    const d = evaluatePolicy(p, cvmPlan('Start', [instance('ins-00000001', { tags: { stage: 'prod' } })]), cli);
    assert.equal(d.rule, 'production');
    const notProd = evaluatePolicy(
      p,
      cvmPlan('Start', [instance('ins-00000001', { tags: { env: 'production' } })]),
      cli,
    );
    assert.equal(notProd.rule, 'write');
  });

  it('an allow or click for a destructive plan is raised to a typed confirmation of the IDs', () => {
    const lax = policy('rules:\n  - match: { risk: destructive }\n    allow: true\n');
    const d = evaluatePolicy(lax, cvmPlan('Terminate', [instance('ins-00000001'), instance('ins-00000002')]), cli);
    assert.equal(d.kind, 'confirm');
    if (d.kind !== 'confirm') return;
    assert.equal(d.level, 'typed');
    assert.equal(d.expected, 'ins-00000001 ins-00000002');
    assert.equal(d.raised, 'allow → confirm typed');
    const many = evaluatePolicy(
      lax,
      cvmPlan(
        'Terminate',
        Array.from({ length: 5 }, (_, i) => instance(`ins-0000000${i}`)),
      ),
      cli,
    );
    assert.equal(many.kind === 'confirm' && many.expected, '5');
  });

  it('a policy with no rules left refuses', () => {
    const empty: Policy = { ...builtinPolicy(), rules: [] };
    const d = evaluatePolicy(empty, cvmPlan('Start', [instance('ins-00000001')]), cli);
    assert.equal(d.kind, 'deny');
  });
});
