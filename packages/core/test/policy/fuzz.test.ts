/**
 * Policy files generated with aliases, deep nesting, long and hostile text: each is accepted or refused with a
 * bounded list of problems, quickly, and nothing it quotes is a control character. Nothing throws.
 */
import assert from 'node:assert/strict';
import { checkPolicy } from '../../src/policy/load.ts';
import { ACTIVE, prng } from '../fuzz.ts';

function generate(random: () => number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const scalars = [
    'alice',
    'U012ABCDEF',
    'S0GROUP1',
    '"*"',
    'destructive',
    'write',
    'read',
    'cvm:Terminate*',
    'cfs:*',
    'ap-*',
    'C0OPS',
    'click',
    'typed',
    '30m',
    '2',
    '0',
    '-1',
    '11',
    'true',
    'null',
    '~',
    '"evil\\e[2K\\r\\u202e"',
    `"${'x'.repeat(pick([10, 300, 5000]))}"`,
    '"a b"',
    '"!prod"',
    '"cvm:Terminate["',
    '"*?*?*?*?*?*?*?*?!"',
  ];
  const keys = [
    'roles',
    'rules',
    'match',
    'risk',
    'action',
    'region',
    'tags',
    'production',
    'surface',
    'channel',
    'role',
    'approve',
    'count',
    'approvers',
    'ttl',
    'selfApproval',
    'allow',
    'confirm',
    'deny',
    'reason',
    'name',
    'version',
    'productionTag',
    'rsik',
    '"x\\u0007"',
  ];
  const anchors: string[] = [];
  const node = (depth: number): string => {
    const r = random();
    if (anchors.length && r < 0.1) return `*${pick(anchors)}`;
    if (depth > pick([2, 4, 8, 40]) || r < 0.35) return pick(scalars);
    const anchor = random() < 0.2 ? `&a${anchors.length} ` : '';
    if (anchor) anchors.push(`a${anchors.length}`);
    if (r < 0.6)
      return `${anchor}[${Array.from({ length: Math.floor(random() * 12) }, () => node(depth + 1)).join(', ')}]`;
    return `${anchor}{${Array.from({ length: Math.floor(random() * 5) }, () => `${pick(keys)}: ${node(depth + 1)}`).join(', ')}}`;
  };
  // Now and then the red team's bomb, spliced in.
  let bomb = '';
  if (random() < 0.1) {
    bomb = 'x-b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 8; i++)
      bomb += `x-b${i}: &b${i} [${Array(10)
        .fill(`*b${i - 1}`)
        .join(', ')}]\n`;
    anchors.push('b7');
  }
  const rules = Array.from({ length: Math.floor(random() * 6) }, () => `  - ${node(1)}`).join('\n');
  return `${bomb}roles: ${node(1)}\nrules:\n${rules || '  []'}\n${random() < 0.3 ? `productionTag: ${node(1)}\n` : ''}`;
}

describe('policy fuzz: aliases, deep nesting, hostile text', () => {
  it('3,000 generated policies are accepted or refused quickly, with a short, inert report', function () {
    this.timeout(120_000);
    const random = prng(4242);
    let accepted = 0;
    let refused = 0;
    let worst = 0;
    for (let i = 0; i < 3000; i++) {
      const text = generate(random);
      const started = performance.now();
      let result: ReturnType<typeof checkPolicy>;
      try {
        result = checkPolicy(text, 'fuzz.yaml');
      } catch (error) {
        assert.fail(`policy ${i} threw: ${(error as Error).stack}\n${text.slice(0, 300)}`);
      }
      worst = Math.max(worst, performance.now() - started);
      if (result.policy) accepted++;
      else {
        refused++;
        assert.ok(result.problems.length > 0 && result.problems.length <= 51, `policy ${i}: ${result.problems.length}`);
        const report = result.problems.map((p) => `${p.path} ${p.message}`).join('\n');
        assert.ok(report.length < 25_000, `policy ${i}: a ${report.length}-character report`);
        assert.doesNotMatch(report, ACTIVE, `policy ${i}`);
      }
    }
    console.log(`      policy fuzz: ${accepted} accepted, ${refused} refused, worst ${worst.toFixed(0)} ms`);
    assert.ok(refused > 1000, `${refused} refused`);
    assert.ok(worst < 1000, `worst ${worst.toFixed(0)} ms`);
  });
});
