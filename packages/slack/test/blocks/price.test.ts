/** Price and TCE's verdict on prompts and approval cards: shown, escaped, within Block Kit's limits. */
import assert from 'node:assert/strict';
import { renderApproval } from '../../src/blocks/approval.ts';
import { priceBlocks } from '../../src/blocks/price.ts';
import type { ApprovalSummary, PlanSummary } from '../../src/core.ts';
import { assertValidBlocks } from '../../../../test/slack/block-kit-check.ts';
import { textOf } from '../../../../test/slack/harness.ts';

const plan: PlanSummary = {
  hash: 'h',
  command: 'cvm resize web-1 --type S5.LARGE8',
  service: 'cvm',
  action: 'ResetInstancesType',
  risk: 'sensitive',
  region: 'ap-guangzhou',
  summary: 'Resize web-1 (ins-1, STOPPED) in ap-guangzhou from S5.MEDIUM4 to S5.LARGE8.',
  irreversible: false,
  targets: [{ id: 'ins-1', name: 'web-1', state: 'STOPPED', type: 'S5.MEDIUM4', tags: {} }],
  price: {
    currency: 'CNY',
    unit: 'hour',
    before: 0.21,
    after: 0.42,
    change: 0.21,
    source: 'InquiryPriceResetInstancesType',
  },
  verdict: [
    { check: 'resize target', ok: true, detail: 'TCE allows web-1 (ins-1) to become S5.LARGE8' },
    { check: 'denied action', ok: true, detail: 'no target is denied ResetInstancesType <!channel> *bold*' },
  ],
};

describe('price blocks', () => {
  it('an approval card shows the price before → after and TCE’s answers', () => {
    const approval: ApprovalSummary = {
      id: 'apr-1',
      state: 'pending',
      requester: 'UALICE',
      approvers: [],
      needed: 1,
      eligible: ['*'],
      expiresAt: '2026-05-01T10:42:00Z',
      plan,
    };
    const message = renderApproval(approval, [], Date.parse('2026-05-01T10:00:00Z'));
    assertValidBlocks(message.blocks);
    const text = textOf(message.blocks);
    assert.match(text, /Price:\* ¥0\.21\/h → ¥0\.42\/h \(\+¥0\.21\/h\)/);
    assert.match(text, /:white_check_mark: TCE: TCE allows web-1 \(ins-1\) to become S5\.LARGE8/);
  });

  it('TCE’s text cannot mention a channel or format the card', () => {
    const text = textOf(priceBlocks(plan));
    assert.ok(!text.includes('<!channel>'));
    assert.match(text, /&lt;!channel&gt;/);
  });

  it('an unpriceable plan says why; a plan without price or verdict adds nothing', () => {
    const unpriced = priceBlocks({
      ...plan,
      price: { currency: 'CNY', unit: 'hour', unavailable: 'no inquiry' },
      verdict: [],
    });
    assert.match(textOf(unpriced), /Price:\* unavailable: no inquiry/);
    assert.deepEqual(priceBlocks({ ...plan, price: undefined, verdict: undefined }), []);
  });

  it('a hundred long verdict lines stay within a section’s limit', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      check: 'denied action',
      ok: false,
      detail: `${'x'.repeat(80)} ${i}`,
    }));
    assertValidBlocks(priceBlocks({ ...plan, verdict: many }));
  });
});
