import assert from 'node:assert/strict';
import { redact, registerSecret } from '../../src/config/redact.ts';

describe('config/redact', () => {
  it('masks every shape it knows, each alone in a text (the quick pre-check lets none through)', () => {
    const cases: [string, RegExp][] = [
      [`Signature=${'ab'.repeat(32)}`, /^Signature=<redacted>$/],
      ['"SecretKey": "abc123def"', /<redacted>/],
      ["password='hunter2x'", /<redacted>/],
      ['token=tok-1234567', /<redacted>/],
      ['xoxb-1234-abcd', /^xox\?-<redacted>$/],
      ['xapp-1-A0-123', /^xapp-<redacted>$/],
    ];
    for (const [text, masked] of cases) assert.match(redact(text), masked, text);
  });

  it('a RequestId passes unchanged, unless it carries a registered secret', () => {
    const id = '6a2f4b3c-0d1e-4f50-9a8b-7c6d5e4f3a2b';
    assert.equal(redact(id), id);
    registerSecret('4f50-9a8b-7c6d');
    assert.ok(!redact(id).includes('4f50-9a8b-7c6d'));
  });
});
