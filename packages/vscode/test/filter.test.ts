import './support/setup.ts';
import assert from 'node:assert/strict';
import { askFilter } from '../src/filter.ts';
import { windowPrompts } from '../src/ui/prompts.ts';
import { answer, resetStub, shown, unusedAnswers } from './support/vscode-stub.ts';

describe('vscode filter: by name, state or tag', () => {
  beforeEach(resetStub);
  afterEach(() => assert.deepEqual(unusedAnswers(), []));

  it('adds a name, then a state, keeping what was there', async () => {
    answer('By name…', 'web-*');
    const byName = await askFilter(undefined, windowPrompts());
    assert.deepEqual(byName, { name: 'web-*' });
    answer('By state…', 'STOPPED');
    assert.deepEqual(await askFilter(byName, windowPrompts()), { name: 'web-*', state: 'STOPPED' });
    assert.match(shown.at(-2)!.message, /now: name=web-\*/);
  });

  it('takes a tag as key=value and refuses anything else', async () => {
    answer('By tag…', 'env');
    assert.equal(await askFilter(undefined, windowPrompts()), undefined);
    assert.equal(shown.find((s) => s.kind === 'input')!.validation, 'Write it as key=value, e.g. env=production');
    answer('By tag…', 'env=production');
    assert.deepEqual(await askFilter(undefined, windowPrompts()), { tag: { key: 'env', value: 'production' } });
  });

  it('clears, and keeps the old filter when the user backs out', async () => {
    answer('Clear the filter');
    assert.deepEqual(await askFilter({ state: 'RUNNING' }, windowPrompts()), {});
    answer(undefined);
    assert.equal(await askFilter({ state: 'RUNNING' }, windowPrompts()), undefined);
    answer('By state…', 'Any state');
    assert.deepEqual(await askFilter({ state: 'RUNNING', name: 'a' }, windowPrompts()), { name: 'a' });
  });
});
