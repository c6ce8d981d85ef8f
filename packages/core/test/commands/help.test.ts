import assert from 'node:assert/strict';
import { complete, helpText } from '../../src/commands/help.ts';
import { COMMANDS } from '../../src/commands/registry.ts';

describe('commands/help', () => {
  it('lists every command of the registry', () => {
    const text = helpText();
    for (const spec of COMMANDS) assert.ok(text.includes(spec.path.join(' ')), spec.path.join(' '));
  });

  it('details one command: usage, options and examples', () => {
    const text = helpText('cvm stop');
    assert.match(text, /usage: cvm stop <instance\.\.\.> \[--stop-type SOFT\|HARD\|SOFT_FIRST\]/);
    assert.match(text, /examples:\n {2}cvm stop web-1/);
    assert.throws(() => helpText('cvm stp'), /did you mean: cvm stop/);
  });

  it('completes command words and flags from the registry', () => {
    assert.deepEqual(complete('cvm st'), ['start', 'stop']);
    assert.deepEqual(complete('cvm image '), ['create', 'delete']);
    assert.deepEqual(complete('cvm stop web-1 --st'), ['--stop-type']);
    assert.ok(complete('').includes('cvm'));
  });
});
