/**
 * `/tce cvm run` with no options on the real pipeline and the emulator: the launch form opens, lists the zone's
 * types with their prices, shows the price and TCE's verdict of the current choice, refreshes them when the zone
 * changes, and on submission runs the launch through the engine (a confirmation, not a launch behind its back).
 */
import assert from 'node:assert/strict';
import { LAUNCH } from '../../packages/slack/src/blocks/launch.ts';
import { VIEW } from '../../packages/slack/src/blocks/ids.ts';
import { assertValidBlocks, assertValidModal } from './block-kit-check.ts';
import { type Harness, SECRET, textOf } from './harness.ts';
import { type RealPipeline, realPipelineMissing, skipOrFail } from './real-pipeline.ts';
import { type RealSlack, startRealSlack } from './real-slack.ts';
import { interaction, postSigned } from './requests.ts';

const ALICE = { user: 'UALICE', channel: 'C0OPS' };

type View = { id?: string; callback_id?: string; private_metadata?: string; blocks: Record<string, unknown>[] };

describe('Slack launch form on the real pipeline', function () {
  this.timeout(60_000);
  let slack: RealSlack | undefined;
  let pipeline: RealPipeline;
  let h: Harness;

  before(async function () {
    skipOrFail(this, await realPipelineMissing(), 'the end-to-end Slack tests need the real pipeline');
  });
  beforeEach(async () => {
    slack = await startRealSlack();
    ({ pipeline, h } = slack);
  });
  afterEach(() => slack?.close());

  const updates = () => h.standin.callsTo('views.update').map((c) => c.args.view as View);
  const lastUpdate = (count: number) => h.standin.waitFor(() => updates()[count - 1], 15_000, `update ${count}`);

  function selectOptions(view: View, block: string): string[] {
    const input = view.blocks.find((b) => b.block_id === block) as { element: { options: { value: string }[] } };
    return input.element.options.map((o) => o.value);
  }

  function initial(view: View, block: string): string | undefined {
    const input = view.blocks.find((b) => b.block_id === block) as {
      element: { initial_option?: { value: string } };
    };
    return input.element.initial_option?.value;
  }

  function values(choice: Record<string, string>) {
    const state: Record<string, Record<string, unknown>> = {};
    for (const [block, value] of Object.entries(choice))
      state[block] = {
        [LAUNCH.element]:
          block === LAUNCH.name
            ? { type: 'plain_text_input', value }
            : { type: 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } },
      };
    return state;
  }

  const events = () => `${h.url}/slack/events`;
  // Who sends both interactions, as Slack names them.
  const from = {
    team: { id: 'T0001', domain: 'test' },
    user: { id: ALICE.user, username: 'alice', name: 'alice', team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy',
  };

  function choose(view: View, block: string, value: string, choice: Record<string, string>) {
    return postSigned(
      events(),
      SECRET,
      interaction({
        type: 'block_actions',
        ...from,
        trigger_id: 'trig-1',
        container: { type: 'view', view_id: view.id },
        view: {
          id: view.id ?? 'V1',
          type: 'modal',
          callback_id: VIEW.launch,
          hash: 'h1',
          private_metadata: view.private_metadata,
          state: { values: values({ ...choice, [block]: value }) },
        },
        actions: [
          {
            type: 'static_select',
            action_id: LAUNCH.element,
            block_id: block,
            selected_option: { value, text: { type: 'plain_text', text: value } },
            action_ts: '1',
          },
        ],
      }),
    );
  }

  function submit(view: View, choice: Record<string, string>) {
    return postSigned(
      events(),
      SECRET,
      interaction({
        type: 'view_submission',
        ...from,
        trigger_id: 'trig-2',
        view: {
          id: view.id ?? 'V1',
          type: 'modal',
          callback_id: VIEW.launch,
          private_metadata: view.private_metadata,
          state: { values: values(choice) },
          hash: 'h2',
        },
      }),
    );
  }

  it('opens at once, then shows the zone’s types with prices and the price and verdict of the choice', async () => {
    const { sent } = await h.command('cvm run', ALICE);
    assert.equal(sent.status, 200);
    const opened = await h.standin.waitFor(() => h.standin.callsTo('views.open')[0], 5000, 'views.open');
    assert.equal((opened.args.view as View).callback_id, VIEW.launch);
    const form = await lastUpdate(1);
    assertValidModal(form as never);
    assert.deepEqual(selectOptions(form, LAUNCH.zone), ['ap-guangzhou-1', 'ap-guangzhou-2', 'ap-guangzhou-3']);
    // Zone 1 sells no M5; each type carries its price.
    assert.ok(!selectOptions(form, LAUNCH.type).some((t) => t.startsWith('M5.')));
    assert.match(textOf(form.blocks), /S5\.SMALL2 · 1 CPU 2 GB · ¥0\.10\/h/);
    assert.equal(initial(form, LAUNCH.type), 'S1.SMALL1', 'the cheapest first');
    assert.match(textOf(form.blocks), /Price:\* ¥0\.085\/h/);
    assert.match(textOf(form.blocks), /TCE: S1\.SMALL1 is sold in ap-guangzhou-1/);
    assert.ok(!textOf(form.blocks).includes('Password'), 'no password field: a key pair or TCE’s own');

    // Another zone: its types (no C5 in zone 3) and a new price.
    const choice = {
      [LAUNCH.zone]: 'ap-guangzhou-1',
      [LAUNCH.type]: initial(form, LAUNCH.type)!,
      [LAUNCH.image]: initial(form, LAUNCH.image)!,
    };
    await choose(form, LAUNCH.zone, 'ap-guangzhou-3', choice);
    const zone3 = await lastUpdate(2);
    assertValidModal(zone3 as never);
    assert.equal(initial(zone3, LAUNCH.zone), 'ap-guangzhou-3');
    assert.ok(!selectOptions(zone3, LAUNCH.type).some((t) => t.startsWith('C5.')));
    assert.match(textOf(zone3.blocks), /Price:\* ¥0\.091\/h/);
    await choose(zone3, LAUNCH.type, 'S5.LARGE8', { ...choice, [LAUNCH.zone]: 'ap-guangzhou-3' });
    assert.match(textOf((await lastUpdate(3)).blocks), /Price:\* ¥0\.465\/h/);
  });

  it('submitting runs the launch through the engine: a confirmation with the price, nothing launched yet', async () => {
    const { responseUrl } = await h.command('cvm run', ALICE);
    const form = await lastUpdate(1);
    const noName = await submit(form, {
      [LAUNCH.zone]: 'ap-guangzhou-2',
      [LAUNCH.type]: 'S5.MEDIUM4',
      [LAUNCH.image]: 'img-9qabwvbn',
    });
    assert.match(noName.body, /"response_action":"errors"/);
    assert.match(noName.body, /Choose name/);
    const ok = await submit(form, {
      [LAUNCH.zone]: 'ap-guangzhou-2',
      [LAUNCH.type]: 'S5.MEDIUM4',
      [LAUNCH.image]: 'img-9qabwvbn',
      [LAUNCH.name]: 'slack-web-1',
    });
    assert.equal(ok.status, 200);
    const prompt = await h.standin.waitFor(() => h.responses(responseUrl).at(-1), 15_000, 'the confirmation');
    assertValidBlocks(prompt.blocks);
    const text = textOf(prompt.blocks);
    assert.match(text, /Launch instance "slack-web-1" in ap-guangzhou/);
    assert.match(text, /Price:\* ¥0\.235\/h/);
    const listed = await pipeline.engine.run('cvm instances --name slack-web-1', {
      actor: { id: 'UALICE' },
      surface: 'slack',
    });
    assert.equal(listed.kind === 'table' && listed.view.rows.length, 0, 'nothing launched before the click');
  });
});
