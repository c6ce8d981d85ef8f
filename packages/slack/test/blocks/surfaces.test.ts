/**
 * Every surface the app renders, fed names that ping, link, spoof or break formatting, and the sizes issue 11
 * found breaking: nothing unescaped may reach `text` or the blocks, every mrkdwn object is verbatim, and every
 * payload is inside Slack's documented limits.
 */
import assert from 'node:assert/strict';
import { renderApproval, renderFinalNotice, renderPendingNotice } from '../../src/blocks/approval.ts';
import { boundMessage, esc, type Message } from '../../src/blocks/common.ts';
import { passwordModal, renderSecretPrompt } from '../../src/blocks/secret.ts';
import { renderConfirmPrompt, renderTypedPrompt, typedModal } from '../../src/blocks/confirm.ts';
import { denyModal } from '../../src/blocks/deny.ts';
import { homeView } from '../../src/blocks/home.ts';
import { renderMessage } from '../../src/blocks/index.ts';
import { renderTargets } from '../../src/blocks/plan.ts';
import { renderResult, renderResultsPage } from '../../src/blocks/result.ts';
import type { ApprovalState, TableView } from '../../src/core.ts';
import { note } from '../../src/handlers/deliver.ts';
import { injectionProblems, messageProblems, textsOf, viewProblems } from '../../../../test/slack/block-kit-check.ts';
import { elements } from '../../../../test/slack/harness.ts';
import {
  approval,
  approvalsView,
  failed,
  HOSTILE,
  hostileName,
  instancesView,
  LONG_ERROR,
  plan,
  progress,
} from '../../../../test/slack/scenarios.ts';

const STATES: ApprovalState[] = [
  'pending',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'denied',
  'expired',
  'cancelled',
  'stale',
];

type Surface = { name: string; message?: Message; view?: Record<string, unknown> };

/** Every renderer, with hostile text in every field that comes from a user or the cloud. */
function surfaces(): Surface[] {
  const bad = HOSTILE.join(' ');
  const p = plan(3, 2, hostileName);
  p.summary = `Terminate ${bad}`;
  p.region = bad;
  p.command = `cvm terminate ${bad}`;
  p.verdict = [{ check: 'dry-run', ok: false, detail: `${bad} ${LONG_ERROR}` }];
  p.price = { currency: 'CNY', unit: 'hour', after: 1.5, source: bad, unavailable: bad };
  const a = approval('apr-1', p);
  a.requester = bad;
  a.eligible = ['UAPPROVER', bad];
  a.reason = bad;
  a.results = failed(p, bad);
  const error = Object.assign(new Error(`${bad}\nhint: ${bad}`), { code: bad, requestId: bad }) as never;
  const generic: TableView = {
    kind: 'filesystem',
    title: bad,
    columns: [
      { key: 'name', title: bad },
      { key: 'size', title: 'Size' },
    ],
    rows: [{ id: 'cfs-1', name: bad, size: bad, state: bad }],
    items: [],
    ids: ['cfs-1'],
    states: [bad],
    requestIds: [bad],
  };
  const list: Surface[] = [
    {
      name: 'instances table',
      message: renderMessage({ kind: 'table', view: instancesView(5, { name: hostileName }) }),
    },
    {
      name: 'approvals table',
      message: renderMessage({ kind: 'table', view: approvalsView([a, approval('apr-2', p)]) }),
    },
    { name: 'generic table', message: renderMessage({ kind: 'table', view: generic }) },
    {
      name: 'detail',
      message: renderMessage({
        kind: 'detail',
        title: bad,
        item: { InstanceName: bad, [bad]: bad, Tags: [{ Key: bad, Value: bad }] },
        requestIds: [bad],
      }),
    },
    { name: 'text', message: renderMessage({ kind: 'text', text: `${bad}\n${bad}` }) },
    { name: 'result', message: renderResult(p, failed(p, bad), [bad], progress(p, false), 'UALICE') },
    { name: 'denied', message: renderMessage({ kind: 'denied', reason: bad, plan: p }) },
    { name: 'dry run', message: renderMessage({ kind: 'dry-run', plan: p, decision: bad }) },
    { name: 'error', message: renderMessage({ kind: 'error', error }) },
    { name: 'confirm prompt', message: renderConfirmPrompt('plan-1', p) },
    { name: 'typed prompt', message: renderTypedPrompt('plan-1', p, bad) },
    { name: 'secret prompt', message: renderSecretPrompt('plan-1', p) },
    { name: 'pending notice', message: renderPendingNotice(a, 'C0CHAN') },
    { name: 'final notice', message: { text: renderFinalNotice({ ...a, state: 'denied' }), blocks: [] } },
    { name: 'targets page', message: renderTargets(p, 'approval:apr-1', 0) },
    { name: 'results page', message: renderResultsPage(p, failed(p, bad), 'approval:apr-1', 0) },
    { name: 'note', message: note(`:no_entry: ${esc(bad)}`) },
    { name: 'typed modal', view: typedModal(p, { planId: 'plan-1', channel: 'C0CHAN', expected: bad }) as never },
    { name: 'password modal', view: passwordModal(p, { planId: 'plan-1', channel: 'C0CHAN' }) as never },
    { name: 'deny modal', view: denyModal('apr-1', { channel: 'C0CHAN' }) as never },
    {
      name: 'home',
      view: homeView({ userId: 'UAPPROVER', waiting: [a], mine: [a], regions: [bad], problems: [bad] }) as never,
    },
  ];
  for (const state of STATES)
    list.push({ name: `approval ${state}`, message: renderApproval({ ...a, state }, progress(p, true)) });
  return list;
}

describe('every surface, hostile names', () => {
  for (const surface of surfaces()) {
    it(`${surface.name}: nothing unescaped, verbatim text, inside Slack's limits`, () => {
      const payload = surface.message ?? surface.view!;
      const { mrkdwn, plain, objects } = textsOf(payload);
      assert.ok(mrkdwn.length > 0, 'has text');
      const problems = mrkdwn.flatMap((t) => injectionProblems(t, HOSTILE));
      assert.deepEqual(problems, [], 'mrkdwn that pings, links or spoofs');
      for (const t of plain) assert.doesNotMatch(t, /[\u202a-\u202e\u2066-\u2069]/, 'bidi control in plain_text');
      for (const o of objects)
        if (o.type === 'mrkdwn') assert.equal(o.verbatim, true, `mrkdwn without verbatim: ${String(o.text)}`);
      if (surface.message?.blocks.length)
        assert.deepEqual(messageProblems(surface.message as never), [], 'Slack limits');
      if (surface.view) assert.deepEqual(viewProblems(surface.view), [], 'Slack limits');
    });
  }

  it('a name with * or _ is shown in code, so it cannot end bold early or start italics', () => {
    const text = textsOf(renderMessage({ kind: 'table', view: instancesView(1, { name: () => 'a*b_c' }) })).mrkdwn;
    assert.ok(text.some((t) => t.includes('`a*b_c`')));
    assert.ok(!text.some((t) => t.includes('*a*b_c*')));
  });
});

describe('every surface, sizes issue 11 found', () => {
  const big = plan(100, 20);

  it('approval for 100 targets with 20 tags each: first targets, "…and N more", and a button for all of them', () => {
    const message = renderApproval(approval('apr-9', big));
    assert.deepEqual(messageProblems(message as never), []);
    const text = textsOf(message).mrkdwn.join('\n');
    const shown = text.split('\n').filter((l) => /^:\w+: .*`ins-\d{8}` ·/.test(l)).length;
    assert.ok(shown >= 10, `${shown} targets shown`);
    assert.match(text, new RegExp(`…and ${100 - shown} more`));
    assert.match(text, /\+17 tags/);
    assert.ok(JSON.stringify(message.blocks).includes('All 100 targets'));
    assert.ok(JSON.stringify(message.blocks).includes('"tce_approve"'), 'the buttons are still there');
  });

  it('the targets pages list all 100, every tag, and link to each other', () => {
    const seen = new Set<string>();
    let offset = 0;
    for (let page = 0; page < 20 && offset < 100; page++) {
      const m = renderTargets(big, 'approval:apr-9', offset);
      assert.deepEqual(messageProblems(m as never), [], `page ${page}`);
      const text = textsOf(m).mrkdwn.join('\n');
      for (const id of text.match(/ins-\d{8}/g) ?? []) seen.add(id);
      assert.match(text, /tag-key-19=/, 'every tag');
      const next = elements(m.blocks, 'tce_targets_next')[0];
      if (!next) break;
      offset = Number(String(next.value).split('@')[1]);
    }
    assert.equal(seen.size, 100);
  });

  it('progress for 100 targets: a count, lines that fit, "…and N more", no emoji cut in half', () => {
    const p = plan(100, 0);
    const m = renderApproval({ ...approval('apr-3', p), state: 'executing' }, progress(p, false));
    assert.deepEqual(messageProblems(m as never), []);
    const text = textsOf(m).mrkdwn.join('\n');
    assert.match(text, /Progress: 0 of 100 settled/);
    assert.match(text, /…and \d+ more/);
    assert.doesNotMatch(text, /:[a-z_]+…/, 'an emoji code cut in half');
  });

  it('20 of 20 failed with a 50,000-character error each: says so, every target visible, text bounded', () => {
    const p = plan(20, 0);
    const m = boundMessage(renderResult(p, failed(p), [], [], 'UALICE'));
    assert.deepEqual(messageProblems(m as never), []);
    assert.match(m.text, /all 20 failed/);
    assert.doesNotMatch(m.text, /done/);
    const lines = textsOf(m)
      .mrkdwn.join('\n')
      .split('\n')
      .filter((l) => /^:x: `ins-\d{8}`/.test(l));
    assert.equal(lines.length, 20, 'each failed target has its line');
  });

  it('100 failed results: as many lines as fit, and "All 100 results" pages through every one in full', () => {
    const p = plan(100, 0);
    const m = renderResult(p, failed(p), [], [], 'UALICE', `result:${p.hash}`);
    assert.deepEqual(messageProblems(m as never), []);
    const [all] = elements(m.blocks, 'tce_results');
    assert.equal(all?.value, `result:${p.hash}@0`);
    const seen = new Set<string>();
    let offset = 0;
    for (let page = 0; page < 40; page++) {
      const r = renderResultsPage(p, failed(p), `result:${p.hash}`, offset);
      assert.deepEqual(messageProblems(r as never), [], `page ${page}`);
      for (const line of textsOf(r).mrkdwn.join('\n').split('\n'))
        if (/^:x: `ins-\d{8}`/.test(line) && line.length > 1000) seen.add(line.slice(0, 20));
      const next = elements(r.blocks, 'tce_results_next')[0];
      if (!next) break;
      offset = Number(String(next.value).split('@')[1]);
    }
    assert.equal(seen.size, 100);
  });

  it('a 50,000-character error: top-level text within 4,000, blocks within limits', () => {
    const m = renderMessage({ kind: 'error', error: Object.assign(new Error(LONG_ERROR), { code: 'X' }) as never });
    assert.deepEqual(messageProblems(m as never), []);
    assert.ok(m.text.length <= 4000);
  });

  it('cvm show with 50,000 characters of JSON: clipped once, by lines, with the fence closed', () => {
    const nested = { Tags: Array.from({ length: 2000 }, (_, i) => ({ Key: `k${i}`, Value: `v&<${i}>` })) };
    const m = renderMessage({
      kind: 'detail',
      title: 'ins-1',
      item: { InstanceId: 'ins-1', ...nested },
      requestIds: [],
    });
    assert.deepEqual(messageProblems(m as never), []);
    const json = textsOf(m).mrkdwn.find((t) => t.startsWith('```'))!;
    assert.ok(json.endsWith('```'));
    assert.equal(json.split('```').length, 3, 'one fence, opened and closed');
    assert.match(json, /…and \d+ more lines/);
    assert.doesNotMatch(json, /&[a-z]*…/, 'no entity cut');
  });

  it('empty lists: no context block without elements', () => {
    for (const view of [instancesView(0), approvalsView([])]) {
      const m = renderMessage({ kind: 'table', view });
      assert.deepEqual(messageProblems(m as never), []);
      assert.match(textsOf(m).mrkdwn.join('\n'), /Nothing found/);
    }
  });

  it('10,000 instances in one view: a message full of rows, the count, and the next page', () => {
    const m = renderMessage({ kind: 'table', view: instancesView(10_000) }, { command: 'cvm instances' });
    assert.deepEqual(messageProblems(m as never), []);
    const text = textsOf(m).mrkdwn.join('\n');
    const shown = Number(/Showing 1–(\d+) of 10000/.exec(text)?.[1]);
    assert.ok(shown > 40, `${shown} rows shown`);
    assert.ok(JSON.stringify(m.blocks).includes(`cvm instances --offset ${shown}`));
  });

  it('App Home with 200 waiting and 200 own requests: totals, a page of each, and buttons to the next', () => {
    const list = Array.from({ length: 200 }, (_, i) => approval(`apr-${i}`, plan(1, 20)));
    for (const [w, m] of [
      [0, 0],
      [190, 100],
    ] as const) {
      const view = homeView({
        userId: 'UAPPROVER',
        waiting: list,
        mine: list,
        regions: ['ap-guangzhou'],
        waitingOffset: w,
        mineOffset: m,
      });
      assert.deepEqual(viewProblems(view as never), []);
      const text = textsOf(view).plain.join('\n') + textsOf(view).mrkdwn.join('\n');
      assert.match(text, /Waiting for your approval \(200\)/);
      assert.match(text, new RegExp(`Showing ${w + 1}–${w + 10} of 200`));
      const json = JSON.stringify(view.blocks);
      assert.equal(json.includes('tce_home_page_waiting_next'), w + 10 < 200);
      assert.equal(json.includes('tce_home_page_waiting_prev'), w > 0);
    }
  });

  it("App Home's Approve asks for the same confirmation as the channel's", () => {
    const a = approval('apr-1', plan(1, 0));
    const home = JSON.stringify(homeView({ userId: 'U1', waiting: [a], mine: [], regions: [] }).blocks);
    const channel = JSON.stringify(renderApproval(a).blocks);
    const confirmOf = (json: string) =>
      JSON.stringify(JSON.parse(json.match(/"confirm":(\{.*?"deny":\{[^}]*\}[^}]*\})/)![1]!));
    assert.equal(confirmOf(home), confirmOf(channel));
  });

  it('the approvals list shows mentions and Slack dates, not raw IDs and ISO dates', () => {
    const a = approval('apr-1', plan(1, 0));
    const text = textsOf(renderMessage({ kind: 'table', view: approvalsView([a]) })).mrkdwn.join('\n');
    assert.match(text, /requested by <@UALICE>/);
    assert.match(text, /<!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    const [menu] = elements(renderMessage({ kind: 'table', view: approvalsView([a]) }).blocks, 'tce_run');
    assert.ok(menu?.confirm, 'deciding from the list asks first, as the request message does');
  });

  it('the pending notice names a DM as the DM, not <#D…>', () => {
    const a = approval('apr-1', plan(1, 0));
    assert.doesNotMatch(
      renderPendingNotice(a, 'D0DM')
        .blocks.map((b) => JSON.stringify(b))
        .join(''),
      /<#D/,
    );
  });
});
