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
      [`tceops_${'Ab-_9'.repeat(8)}abc`, /^tceops_<redacted>$/],
      ['postgres://ops:S3cret!pw@db.internal:5432/tceops', /^postgres:\/\/ops:<redacted>@db\.internal:5432\/tceops$/],
    ];
    for (const [text, masked] of cases) assert.match(redact(text), masked, text);
  });

  it('leaves alone what only looks near a secret: a metric name, a URL without a password, an e-mail address', () => {
    for (const text of ['tceops_slack_commands_total', 'https://tce.example:8443/api', 'ops@example.com'])
      assert.equal(redact(text), text);
  });

  it('a RequestId passes unchanged, unless it carries a registered secret', () => {
    const id = '6a2f4b3c-0d1e-4f50-9a8b-7c6d5e4f3a2b';
    assert.equal(redact(id), id);
    registerSecret('4f50-9a8b-7c6d');
    assert.ok(!redact(id).includes('4f50-9a8b-7c6d'));
  });
});
