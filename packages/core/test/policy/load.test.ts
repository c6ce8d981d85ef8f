import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/api/errors.ts';
import { parseDuration } from '../../src/policy/duration.ts';
import { evaluatePolicy } from '../../src/policy/evaluate.ts';
import { checkPolicy, loadPolicy, policyFromEnv } from '../../src/policy/load.ts';
import type { PolicyProblem } from '../../src/policy/types.ts';
import { cvmPlan, instance } from '../plan/fixtures.ts';

function problems(text: string): PolicyProblem[] {
  const result = checkPolicy(text, 'p.yaml');
  assert.equal(result.policy, undefined, 'a policy with problems must not be returned');
  return result.problems;
}

function only(text: string): PolicyProblem {
  const found = problems(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0]!;
}

describe('policy/load', () => {
  it('an empty file is the built-in policy', () => {
    const { policy, problems } = checkPolicy('', 'empty.yaml');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      policy!.rules.map((r) => r.name),
      ['read', 'production', 'destructive', 'sensitive', 'write'],
    );
    assert.deepEqual(policy!.productionTags, [{ key: 'env', value: 'production' }]);
  });

  it("a file's rules come before the built-in ones, with their lines", () => {
    const { policy } = checkPolicy('rules:\n  - name: mine\n    match: { risk: write }\n    allow: true\n');
    assert.deepEqual(policy!.rules.map((r) => `${r.origin}:${r.name}`).slice(0, 2), ['file:mine', 'built-in:read']);
    assert.equal(policy!.rules[0]!.line, 2);
  });

  it('an unknown key is refused with its line and a suggestion', () => {
    const p = only('rules:\n  - name: a\n    match:\n      rsik: write\n    allow: true\n');
    assert.equal(p.line, 4);
    assert.equal(p.path, 'rules[0].match.rsik');
    assert.match(p.message, /unknown key "rsik" in match \(did you mean "risk"\?\)/);
    assert.equal(only('roles: {}\nrulez: []\n').line, 2);
  });

  it('a bad decision, two decisions, or none are refused', () => {
    assert.match(
      only('rules:\n  - match: { risk: write }\n    confirm: maybe\n').message,
      /confirm is "click" or "typed"/,
    );
    assert.equal(only('rules:\n  - match: { risk: write }\n    confirm: maybe\n').line, 3);
    assert.match(
      only('rules:\n  - match: { risk: write }\n    allow: true\n    deny: no\n').message,
      /one decision, this one has allow and deny/,
    );
    assert.match(only('rules:\n  - match: { risk: write }\n').message, /needs a decision/);
    assert.match(only('rules:\n  - allow: false\n').message, /allow takes only "true"/);
    assert.match(only('rules:\n  - deny: ""\n').message, /deny needs a reason/);
  });

  it('a bad ttl, count or approver role is refused', () => {
    const ttl = only('rules:\n  - match: { risk: destructive }\n    approve:\n      ttl: 30\n');
    assert.equal(ttl.line, 4);
    assert.match(ttl.message, /bad ttl: ttl needs a unit/);
    assert.match(only('rules:\n  - approve: { ttl: 30x }\n').message, /"30x" is not a duration/);
    assert.match(only('rules:\n  - approve: { ttl: 10s }\n').message, /shorter than 1m/);
    assert.match(only('rules:\n  - approve: { ttl: 30d }\n').message, /longer than 7d/);
    assert.match(only('rules:\n  - approve: { count: 0 }\n').message, /count must be a whole number from 1 to 10/);
    assert.match(
      only('rules:\n  - approve: { approvers: admins }\n').message,
      /unknown role "admins"; define it under "roles:"/,
    );
    assert.match(
      only('roles:\n  sre: [alice]\nrules:\n  - approve: { count: 2, approvers: sre }\n').message,
      /needs 2 approvals but sre has 1 member: it could never be approved/,
    );
    // A Slack user group may hold any number of people: no count check.
    assert.deepEqual(
      checkPolicy('roles:\n  sre: [S0SREGROUP]\nrules:\n  - approve: { count: 3, approvers: sre }\n').problems,
      [],
    );
  });

  it('bad globs, unknown risks, surfaces and roles are refused', () => {
    assert.match(
      only('rules:\n  - match: { action: "cvm:Terminate[" }\n    deny: x\n').message,
      /bad glob: "cvm:Terminate\[" has "\["/,
    );
    assert.match(
      only('rules:\n  - match: { action: "Terminate*" }\n    deny: x\n').message,
      /must name the service too/,
    );
    assert.match(
      only('rules:\n  - match: { risk: destroy }\n    deny: x\n').message,
      /unknown risk "destroy" \(did you mean "destructive"\?\)/,
    );
    assert.match(
      only('rules:\n  - match: { surface: slak }\n    deny: x\n').message,
      /unknown surface "slak" \(did you mean "slack"\?\)/,
    );
    assert.match(
      only('roles:\n  sre: [a]\nrules:\n  - match: { role: ser }\n    deny: x\n').message,
      /unknown role "ser" \(did you mean "sre"\?\); defined roles: sre/,
    );
    assert.match(
      only('rules:\n  - match: { tags: { env: [a] } }\n    deny: x\n').message,
      /tag "env" needs a value glob/,
    );
    assert.match(only('rules:\n  - match: { region: [] }\n    deny: x\n').message, /empty list matches nothing/);
  });

  it('names must be unique, roles well formed, version known, the production tag key=value', () => {
    assert.match(
      only('rules:\n  - { name: a, deny: x }\n  - { name: a, deny: y }\n').message,
      /two rules are named "a"/,
    );
    assert.match(only('roles:\n  "1x": [a]\n').message, /must start with a letter/);
    assert.match(only('roles:\n  sre: ["alice smith"]\n').message, /has a space/);
    assert.match(only('version: 2\n').message, /version 2 is not known/);
    assert.match(only('productionTag: production\n').message, /"production" is not key=value/);
  });

  it('YAML that does not parse is refused with its line', () => {
    const p = only('rules:\n  - match: { risk: write\n    allow: true\n');
    assert.equal(p.path, '(yaml)');
    assert.ok(p.line && p.line >= 2, `line ${p.line}`);
    assert.match(only('- a\n- b\n').message, /a policy is a mapping/);
  });

  it('reports every problem, not only the first', () => {
    assert.equal(problems('rules:\n  - confirm: maybe\n  - approve: { ttl: soon }\nextra: 1\n').length, 3);
  });

  it('auditReads: off unless the file says true, with its line; anything but true or false is refused', () => {
    assert.equal(checkPolicy('version: 1\n').policy!.auditReads, undefined);
    assert.equal(checkPolicy('version: 1\nauditReads: false\n').policy!.auditReads, undefined);
    const on = checkPolicy('version: 1\nroles: {}\nauditReads: true\n').policy!;
    assert.equal(on.auditReads, true);
    assert.equal(on.auditReadsLine, 3);
    // A careless operator's spellings: YAML 1.2 reads yes/on as text, and a guess would hide or flood reads.
    for (const value of ['yes', 'on', '"true"', '1', '[true]', '{ risk: read }', '']) {
      const problem = only(`version: 1\nauditReads: ${value}\n`);
      assert.equal(problem.line, 2, value);
      assert.equal(problem.path, 'auditReads');
      assert.match(problem.message, /^must be true \(record every read the policy allows in the audit log\) or false/);
    }
    // Misspelt, it is an unknown key with a suggestion, never silently off.
    assert.match(only('version: 1\nauditRead: true\n').message, /unknown key "auditRead".*did you mean "auditReads"/);
  });

  it('durations add their parts', () => {
    assert.equal(parseDuration('1h30m'), 90 * 60_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration('5'), undefined);
    assert.equal(parseDuration('m5'), undefined);
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tceops-policy-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a bad file is refused as a ConfigError naming the file, line and problem', () => {
      const file = join(dir, 'policy.yaml');
      writeFileSync(file, 'rules:\n  - match: { risk: write }\n    confirm: maybe\n');
      assert.throws(
        () => loadPolicy(file),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.includes(`${file}:3: rules[0].confirm: confirm is "click" or "typed"`) &&
          /tceops policy check/.test(e.message),
      );
    });

    it('a missing file says so and how to fix it', () => {
      assert.throws(() => loadPolicy(join(dir, 'none.yaml')), /no such file\nSet TCEOPS_POLICY/);
    });

    it('TCEOPS_POLICY picks the file; unset gives the built-in policy', () => {
      const file = join(dir, 'policy.yaml');
      writeFileSync(file, 'rules:\n  - name: everything-typed\n    confirm: typed\n');
      assert.equal(policyFromEnv({ TCEOPS_POLICY: file }).rules[0]!.name, 'everything-typed');
      assert.equal(policyFromEnv({}).source, 'built-in');
    });
  });
});

describe('policy/README', () => {
  it('its example is a valid policy that decides as the text says', () => {
    const readme = readFileSync(new URL('../../src/policy/README.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README has a YAML example');
    const { policy, problems } = checkPolicy(example, 'README.md');
    assert.deepEqual(problems, []);
    const p = policy!;
    const slack = (actor: string, channel: string) => ({ actor, surface: 'slack' as const, channel });
    const terminate = cvmPlan('Terminate', [instance('ins-00000001')]);
    assert.equal(evaluatePolicy(p, terminate, slack('bob', 'C0RANDOM')).rule, 'destructive-from-ops-only');
    const approve = evaluatePolicy(p, terminate, slack('bob', 'C0OPS'));
    assert.equal(approve.kind === 'approve' && approve.channel, 'C0APPROVALS');
    assert.equal(
      evaluatePolicy(p, cvmPlan('Start', [instance('ins-00000001', { tags: { env: 'dev-2' } })]), slack('bob', 'C0X'))
        .kind,
      'allow',
    );
    assert.equal(
      evaluatePolicy(p, cvmPlan('Start', [instance('ins-00000001')]), slack('mallory', 'C0OPS')).kind,
      'deny',
    );
    assert.equal(
      evaluatePolicy(p, cvmPlan('Stop', [instance('ins-00000001', { tags: { stage: 'PROD' } })]), slack('bob', 'C0X'))
        .rule,
      'production',
    );
  });
});

describe('policy/load against hostile files', () => {
  /** The alias bomb of the report: 8 levels of 10 aliases, about 1.3 KB standing for 10^8 values. */
  function aliasBomb(use: string) {
    let anchors = '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 8; i++)
      anchors += `  a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    return `x-anchors:\n${anchors}${use}`;
  }

  it('an alias bomb is refused at once, with a short message, in little memory', () => {
    for (const use of [
      'roles:\n  sre: *a7\n',
      'rules:\n  - match: { region: *a7 }\n    allow: true\n',
      'productionTag: *a7\n',
    ]) {
      const text = aliasBomb(use);
      assert.ok(text.length < 2000, `${text.length} bytes`);
      const heap = process.memoryUsage().heapUsed;
      const started = performance.now();
      const found = problems(text);
      const ms = performance.now() - started;
      assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
      assert.ok(process.memoryUsage().heapUsed - heap < 50 * 1024 * 1024, 'memory stays small');
      assert.equal(found.length, 1);
      assert.match(found[0]!.message, /more than 10,000 values once its aliases \(\*name\) are expanded/);
      assert.ok(JSON.stringify(found).length < 400);
    }
  });

  it('plain anchors and aliases a person would write still work', () => {
    const { policy, problems: found } = checkPolicy(
      'roles:\n  sre: &sre [alice, bob]\n  oncall: *sre\nrules:\n  - match: { risk: destructive }\n    approve: { count: 2, approvers: oncall }\n',
    );
    assert.deepEqual(found, []);
    assert.deepEqual(policy!.roles.oncall, ['alice', 'bob']);
  });

  it('deep nesting, a huge file and thousands of mistakes are refused quickly with a bounded report', () => {
    const cases = [
      `rules: ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `rules:\n  - match: ${'{a: '.repeat(30)}1${'}'.repeat(30)}\n`,
      `roles:\n${Array.from({ length: 40_000 }, (_, i) => `  r${i}: [${'x'.repeat(20)}]`).join('\n')}\n`,
      `roles:\n${Array.from({ length: 3000 }, (_, i) => `  ${i}bad: [a b]`).join('\n')}\n`,
      `rules:\n  - name: ${'n'.repeat(500_000)}\n    match: { action: ${'c'.repeat(300_000)} }\n    allow: true\n`,
    ];
    for (const text of cases) {
      const started = performance.now();
      const found = problems(text);
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `${text.slice(0, 30)}… took ${ms.toFixed(0)} ms`);
      assert.ok(found.length <= 51, `${found.length} problems`);
      assert.ok(JSON.stringify(found).length < 20_000, `${JSON.stringify(found).length} characters`);
    }
  });

  it('what a problem quotes is short and inert', () => {
    const found = problems(`roles:\n  "evil\\e[2K\\u202e${'x'.repeat(200)}": [a]\nversion: "${'v'.repeat(500)}"\n`);
    const text = JSON.stringify(found);
    assert.ok(text.length < 1000, text);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what must not appear
    assert.doesNotMatch(found.map((p) => p.message + p.path).join(''), /[\x1b\u202e]/);
    assert.match(text, /\\\\e\[2K/);
  });
});
