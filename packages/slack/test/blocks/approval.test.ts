import assert from 'node:assert/strict';
import { mention, renderApproval } from '../../src/blocks/approval.ts';
import type { ApprovalState, ApprovalSummary } from '../../src/core.ts';
import { assertValidBlocks } from '../../../../test/slack/block-kit-check.ts';
import { elements, textOf } from '../../../../test/slack/harness.ts';

const NOW = Date.parse('2026-05-01T10:00:00Z');

function approval(state: ApprovalState, extra: Partial<ApprovalSummary> = {}): ApprovalSummary {
  return {
    id: 'apr-1',
    state,
    requester: 'UALICE',
    approvers: [],
    needed: 2,
    eligible: ['UBOB', 'S0OPS', 'sre-oncall'],
    expiresAt: '2026-05-01T10:42:00Z',
    plan: {
      hash: 'h',
      command: 'cvm terminate web-1',
      service: 'cvm',
      action: 'TerminateInstances',
      risk: 'destructive',
      region: 'ap-guangzhou',
      summary: 'Terminate 1 instance in ap-guangzhou: web-1 (RUNNING, S5.MEDIUM4).',
      irreversible: true,
      targets: [{ id: 'ins-1', name: 'web-1', state: 'RUNNING', type: 'S5.MEDIUM4', tags: { env: 'production' } }],
    },
    ...extra,
  };
}

describe('approval blocks', () => {
  it('pending: who asked, who may approve, N of M, time left, and the three buttons', () => {
    const message = renderApproval(approval('pending', { approvers: ['UBOB'] }), [], NOW);
    assertValidBlocks(message.blocks);
    const text = textOf(message.blocks);
    assert.match(text, /Requested by <@UALICE>/);
    assert.match(text, /Approvals: \*1 of 2\* \(<@UBOB>\)/);
    assert.match(text, /May approve: <@UBOB>, <!subteam\^S0OPS>, sre-oncall \(not the requester\)/);
    assert.match(text, /42 min left/);
    assert.match(text, /This cannot be undone/);
    assert.match(text, /env=production/);
    assert.equal(elements(message.blocks, 'tce_approve').length, 1);
    assert.equal(elements(message.blocks, 'tce_deny').length, 1);
    assert.equal(elements(message.blocks, 'tce_cancel_approval').length, 1);
  });

  it('every later state has its own headline and no buttons', () => {
    const headlines: Record<string, RegExp> = {
      approved: /^Approved:/,
      executing: /running/,
      succeeded: /Approved and done/,
      failed: /failed/,
      denied: /^Denied/,
      expired: /^Expired/,
      cancelled: /^Cancelled/,
      stale: /^Stale/,
    };
    for (const [state, headline] of Object.entries(headlines)) {
      const message = renderApproval(
        approval(state as ApprovalState, {
          results: [{ id: 'ins-1', ok: state !== 'failed', code: 'X', message: 'm', requestId: 'req-9' }],
        }),
        [],
        NOW,
      );
      assertValidBlocks(message.blocks);
      assert.match(message.text, headline, state);
      assert.equal(elements(message.blocks, 'tce_approve').length, 0, state);
      assert.match(textOf(message.blocks), /req-9/, `${state} shows RequestIds`);
    }
  });

  it('mentions users and groups, and shows role names as text', () => {
    assert.equal(mention('U123ABC'), '<@U123ABC>');
    assert.equal(mention('W123ABC'), '<@W123ABC>');
    assert.equal(mention('S0OPS'), '<!subteam^S0OPS>');
    assert.equal(mention('<admins>'), '&lt;admins&gt;');
  });
});
