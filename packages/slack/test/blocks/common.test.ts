import assert from 'node:assert/strict';
import {
  boundMessage,
  clip,
  clipPlain,
  context,
  esc,
  fitLines,
  inline,
  plainFallback,
  section,
  strong,
} from '../../src/blocks/common.ts';
import { messageProblems } from '../../../../test/slack/block-kit-check.ts';

describe('block helpers', () => {
  it('esc makes &, <, > inert and shows bidi controls instead of obeying them', () => {
    assert.equal(esc('<!channel> & <https://x|y>'), '&lt;!channel&gt; &amp; &lt;https://x|y&gt;');
    assert.equal(esc('gpj\u202eexe'), 'gpj[U+202E]exe');
    assert.equal(inline('a\n:white_check_mark: approved'), 'a :white_check_mark: approved');
  });

  it('clip never cuts an entity, a <…> token, an emoji code, a surrogate pair or a code span', () => {
    const cases: [string, number][] = [
      [`${'a'.repeat(10)}&amp;tail`, 14],
      [`${'a'.repeat(10)}<@U123ABC> tail`, 16],
      [`${'a'.repeat(10)} :white_check_mark: tail`, 20],
      [`${'a'.repeat(10)}😀😀😀`, 15],
      [`${'a'.repeat(10)} \`ins-123456\` tail`, 18],
    ];
    for (const [text, max] of cases) {
      const out = clip(text, max);
      assert.ok(out.length <= max, `${out} within ${max}`);
      assert.ok(out.endsWith('…'), out);
      assert.doesNotMatch(out, /&[a-z]*…|<[^>]*…|:[a-z_]+…|[\ud800-\udbff]…/, out);
      assert.equal((out.match(/`/g) ?? []).length % 2, 0, `code span left open: ${out}`);
    }
    assert.equal(clip('short', 10), 'short');
  });

  it('clip closes a code block it cuts', () => {
    const out = clip(`\`\`\`${'x'.repeat(100)}\`\`\``, 50);
    assert.ok(out.length <= 50);
    assert.ok(out.endsWith('```'));
    assert.equal(out.split('```').length, 3);
  });

  it('clipPlain keeps surrogate pairs whole', () => {
    assert.doesNotMatch(clipPlain('😀'.repeat(10), 6), /[\ud800-\udbff]…$/);
  });

  it('fitLines keeps whole lines, clips long ones on their own, and says how many more', () => {
    const lines = ['short one', 'x'.repeat(5000), ...Array.from({ length: 50 }, (_, i) => `line ${i}`)];
    const fit = fitLines(lines, 500, '(see below)');
    assert.ok(fit.text.length <= 500);
    assert.match(fit.text, /^short one\nx+…\n/);
    assert.match(fit.text, new RegExp(`…and ${fit.more} more \\(see below\\)$`));
    assert.equal(fit.shown + fit.more, lines.length);
    assert.deepEqual(fitLines([], 100), { text: '', shown: 0, more: 0 });
  });

  it('strong puts a name that would break bold in code', () => {
    assert.equal(strong('web-1'), '*web-1*');
    assert.equal(strong('web*1'), '`web*1`');
    assert.equal(strong('a`b'), "`a'b`");
  });

  it('a context with nothing to say is not an empty context (Slack refuses 0 elements)', () => {
    assert.equal(context('', ' ').type, 'section');
    assert.equal(context('a', '', 'b').type, 'context');
  });

  it('boundMessage: top-level text, block count and total block text within what Slack takes; buttons kept', () => {
    const blocks = [
      ...Array.from({ length: 60 }, (_, i) => section(`${i} ${'y'.repeat(2900)}`)),
      {
        type: 'actions' as const,
        elements: [{ type: 'button' as const, text: { type: 'plain_text' as const, text: 'Go' }, action_id: 'a' }],
      },
    ];
    const bounded = boundMessage({ text: 'z'.repeat(50_000), blocks });
    assert.deepEqual(messageProblems(bounded as never), []);
    assert.equal(bounded.blocks.at(-1)!.type, 'actions');
    assert.match(JSON.stringify(bounded.blocks), /more parts? left out/);
  });

  it('plainFallback is a message Slack takes, saying the rest could not be shown', () => {
    const m = plainFallback({ text: 'w'.repeat(10_000), blocks: [] });
    assert.deepEqual(messageProblems(m as never), []);
    assert.match(JSON.stringify(m.blocks), /would not show the full message/);
  });
});
