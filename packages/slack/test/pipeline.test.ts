import assert from 'node:assert/strict';
import { namesWarning } from '../src/pipeline.ts';

describe('slack pipeline: policy roles in server mode', () => {
  it('warns about members given by local name, which never match a Slack user', () => {
    assert.equal(namesWarning({ sre: ['U0ALICE', 'W0BOB', 'S0ONCALL', 'E01:U0CAROL', '*'] }), '');
    assert.match(namesWarning({ sre: ['U0ALICE', 'alice'], ops: ['bob'] }), /local name.*sre: alice, ops: bob/);
  });
});
