/**
 * The conformance check itself: each documented limit is caught, the stand-in refuses as Slack does, and a test
 * during which the app sent such a payload would fail. (A check that cannot fail proves nothing.)
 */
import assert from 'node:assert/strict';
import { injectionProblems, payloadProblems } from './block-kit-check.ts';
import { startSlackStandin } from './slack-standin.ts';

const text = (t: string, type = 'mrkdwn') => ({ type, text: t });
const button = (label: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  text: text(label, 'plain_text'),
  action_id: 'a',
  ...extra,
});
const section = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: text(t), ...extra });
const message = (blocks: unknown[], t = 'x') => ({ text: t, blocks });

const CASES: [string, string, Record<string, unknown>, RegExp][] = [
  ['51 blocks in a message', 'chat.postMessage', message(Array.from({ length: 51 }, () => section('a'))), /51 blocks/],
  [
    '101 blocks in Home',
    'views.publish',
    { view: { type: 'home', blocks: Array.from({ length: 101 }, () => section('a')) } },
    /101 blocks/,
  ],
  ['section text over 3,000', 'chat.postMessage', message([section('a'.repeat(3001))]), /over 3000/],
  ['empty section text', 'chat.postMessage', message([section('')]), /empty text/],
  [
    '11 fields',
    'chat.postMessage',
    message([{ type: 'section', fields: Array.from({ length: 11 }, () => text('f')) }]),
    /more than 10 fields/,
  ],
  [
    'a field over 2,000',
    'chat.postMessage',
    message([{ type: 'section', fields: [text('f'.repeat(2001))] }]),
    /over 2000/,
  ],
  [
    'header over 150',
    'chat.postMessage',
    message([{ type: 'header', text: text('h'.repeat(151), 'plain_text') }]),
    /over 150/,
  ],
  ['header in mrkdwn', 'chat.postMessage', message([{ type: 'header', text: text('h') }]), /plain_text/],
  ['context with 0 elements', 'chat.postMessage', message([{ type: 'context', elements: [] }]), /1-10 elements, has 0/],
  [
    'context with 11 elements',
    'chat.postMessage',
    message([{ type: 'context', elements: Array.from({ length: 11 }, () => text('c')) }]),
    /has 11/,
  ],
  [
    'actions with 26 elements',
    'chat.postMessage',
    message([{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button('b', { action_id: `a${i}` })) }]),
    /1-25 elements/,
  ],
  [
    'duplicate action_id',
    'chat.postMessage',
    message([{ type: 'actions', elements: [button('a'), button('b')] }]),
    /duplicate action_id/,
  ],
  [
    'button text over 75',
    'chat.postMessage',
    message([{ type: 'actions', elements: [button('b'.repeat(76))] }]),
    /over 75/,
  ],
  [
    'button value over 2,000',
    'chat.postMessage',
    message([{ type: 'actions', elements: [button('b', { value: 'v'.repeat(2001) })] }]),
    /value over 2000/,
  ],
  [
    'action_id over 255',
    'chat.postMessage',
    message([{ type: 'actions', elements: [button('b', { action_id: 'a'.repeat(256) })] }]),
    /action_id over 255/,
  ],
  [
    'overflow with 1 option',
    'chat.postMessage',
    message([
      section('s', {
        accessory: { type: 'overflow', action_id: 'o', options: [{ text: text('o', 'plain_text'), value: 'v' }] },
      }),
    ]),
    /2-5 options/,
  ],
  [
    'overflow with 6 options',
    'chat.postMessage',
    message([
      section('s', {
        accessory: {
          type: 'overflow',
          action_id: 'o',
          options: Array.from({ length: 6 }, () => ({ text: text('o', 'plain_text'), value: 'v' })),
        },
      }),
    ]),
    /has 6/,
  ],
  [
    'option value over 150',
    'chat.postMessage',
    message([
      section('s', {
        accessory: {
          type: 'overflow',
          action_id: 'o',
          options: [
            { text: text('o', 'plain_text'), value: 'v'.repeat(151) },
            { text: text('p', 'plain_text'), value: 'v' },
          ],
        },
      }),
    ]),
    /option value/,
  ],
  [
    '101 select options',
    'chat.postMessage',
    message([
      section('s', {
        accessory: {
          type: 'static_select',
          action_id: 's',
          options: Array.from({ length: 101 }, () => ({ text: text('o', 'plain_text'), value: 'v' })),
        },
      }),
    ]),
    /over 100 options/,
  ],
  [
    'confirm title over 100',
    'chat.postMessage',
    message([
      {
        type: 'actions',
        elements: [
          button('b', {
            confirm: {
              title: text('t'.repeat(101), 'plain_text'),
              text: text('x'),
              confirm: text('y', 'plain_text'),
              deny: text('n', 'plain_text'),
            },
          }),
        ],
      },
    ]),
    /confirm title/,
  ],
  [
    'confirm text over 300',
    'chat.postMessage',
    message([
      {
        type: 'actions',
        elements: [
          button('b', {
            confirm: {
              title: text('t', 'plain_text'),
              text: text('x'.repeat(301)),
              confirm: text('y', 'plain_text'),
              deny: text('n', 'plain_text'),
            },
          }),
        ],
      },
    ]),
    /confirm text/,
  ],
  [
    'modal title over 24',
    'views.open',
    { view: { type: 'modal', title: text('t'.repeat(25), 'plain_text'), blocks: [] } },
    /modal title/,
  ],
  [
    'private_metadata over 3,000',
    'views.open',
    { view: { type: 'modal', title: text('t', 'plain_text'), private_metadata: 'm'.repeat(3001), blocks: [] } },
    /private_metadata/,
  ],
  [
    'input block in a message',
    'chat.postMessage',
    message([{ type: 'input', label: text('l', 'plain_text'), element: { type: 'plain_text_input', action_id: 'i' } }]),
    /only in modals/,
  ],
  ['text over 40,000', 'chat.postMessage', { text: 't'.repeat(40_001) }, /msg_too_long/],
  ['text over the recommended 4,000', 'chat.update', { text: 't'.repeat(4001) }, /recommended/],
  ['blocks without text', 'chat.postMessage', { blocks: [section('a')] }, /without a top-level text/],
  [
    '12,000+ characters of block text',
    'chat.postMessage',
    message(Array.from({ length: 5 }, () => section('a'.repeat(2500)))),
    /msg_blocks_too_long/,
  ],
];

describe('the Block Kit conformance check', () => {
  for (const [name, method, args, expected] of CASES)
    it(`catches ${name}`, () => {
      const problems = payloadProblems(method, args);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${name}: ${JSON.stringify(problems)}`,
      );
    });

  it('passes a message inside every limit', () => {
    const ok = message([
      { type: 'header', text: text('h'.repeat(150), 'plain_text') },
      section('a'.repeat(3000)),
      { type: 'context', elements: Array.from({ length: 10 }, () => text('c')) },
      { type: 'actions', elements: [button('b'.repeat(75), { value: 'v'.repeat(2000) })] },
    ]);
    assert.deepEqual(payloadProblems('chat.postMessage', ok), []);
  });

  it('finds pings, links, bare & and bidi controls; lets the app’s own mentions and dates through', () => {
    assert.deepEqual(injectionProblems('<@U123> <!subteam^S1> <#C1> <!date^1^{date}|x> &amp; &lt;'), []);
    for (const bad of ['<!channel>', '<!here>', '<https://x.example|y>', 'a & b', 'x\u202ey'])
      assert.notDeepEqual(injectionProblems(bad), [], bad);
    assert.notDeepEqual(injectionProblems('name web-1', ['web-1']), [], 'a planted string as written');
  });

  it('the stand-in refuses as Slack does, records the violation, and reports it to the running test', async () => {
    const standin = await startSlackStandin();
    standin.expectViolations = true;
    try {
      const post = (path: string, body: string, type: string) =>
        fetch(`${standin.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
      const form = new URLSearchParams({
        channel: 'C1',
        text: 'x',
        blocks: JSON.stringify([{ type: 'context', elements: [] }]),
      });
      const api = await post('/api/chat.postMessage', form.toString(), 'application/x-www-form-urlencoded');
      assert.deepEqual(await api.json(), { ok: false, error: 'invalid_blocks' });
      const response = await post('/response/1', JSON.stringify({ text: 't'.repeat(40_001) }), 'application/json');
      assert.equal(response.status, 400);
      assert.equal(standin.violations.length, 2);
      standin.expectViolations = false;
      await assert.rejects(
        standin.waitFor(() => true),
        /Slack would refuse or cut 2 payload/,
      );
    } finally {
      await standin.close();
    }
  });
});
