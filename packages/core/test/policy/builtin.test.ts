import assert from 'node:assert/strict';
import { BUILTIN_POLICY_YAML, builtinParts, builtinPolicy } from '../../src/policy/builtin.ts';
import { checkDocument } from '../../src/policy/load.ts';

describe('policy/builtin: the built-in policy, kept already read', () => {
  it('is exactly what its YAML reads as (edit both together)', () => {
    const { parsed, problems } = checkDocument(BUILTIN_POLICY_YAML, 'built-in');
    assert.deepEqual(problems, []);
    assert.deepEqual(builtinParts(), { productionTags: parsed!.productionTags, rules: parsed!.rules });
    assert.deepEqual(parsed!.roles, {});
  });

  it('gives a fresh copy each time: a caller that changes its policy changes nobody else’s', () => {
    const first = builtinPolicy();
    first.rules[0]!.decision = { kind: 'deny' } as never;
    first.rules.pop();
    first.productionTags.push({ key: 'x', value: 'y' });
    const second = builtinPolicy();
    assert.deepEqual(second.rules[0]!.decision, { kind: 'allow' });
    assert.equal(second.rules.length, 5);
    assert.deepEqual(second.productionTags, [{ key: 'env', value: 'production' }]);
  });
});
