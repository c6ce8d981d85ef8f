/**
 * One truth per resource kind: Slack's overflow menus and VS Code's context menus offer, in every state, only
 * what core's planner would let run — and Slack offers everything core allows there (it once left out reinstall
 * on a running instance, and image create). The kinds' states and verbs come from packages/core/src/kinds.
 */
import assert from 'node:assert/strict';
import { allows, KINDS, menuFor } from '../../packages/core/src/kinds/index.ts';
import { menuFor as slackMenu } from '../../packages/slack/src/blocks/table.ts';
import { ACTIONS } from '../../packages/vscode/src/actions/definitions.ts';
import { LOOKS } from '../../packages/vscode/src/tree/present.ts';

const SURFACED = ['instance', 'image', 'filesystem', 'job'] as const;

/** The node VS Code draws for a resource of this kind in this state: its contextValue drives the menus. */
function contextValue(kind: (typeof SURFACED)[number], state: string): string {
  switch (kind) {
    case 'instance':
      return LOOKS.instance({ InstanceId: 'ins-00000001', InstanceState: state }).contextValue;
    case 'image':
      return LOOKS.image({ ImageId: 'img-00000001', ImageType: 'PRIVATE_IMAGE', ImageState: state }).contextValue;
    case 'filesystem':
      return LOOKS.filesystem({ FileSystemId: 'cfs-0000001', LifeCycleState: state }).contextValue;
    default:
      return LOOKS.job({ JobId: 'job-1', Status: state }).contextValue;
  }
}

/** The core command words a VS Code action sends: its text for one target, cut at the target's ID. */
function vscodeWords(action: (typeof ACTIONS)[number]): string {
  const target = { id: 'TARGET', item: {}, parent: { id: 'PARENT' } } as never;
  const inputs = { name: 'n', stopType: 'SOFT', image: '', ip: '*', access: 'RO', priority: '1' };
  const text = action.text([target], inputs);
  return text.slice(0, text.indexOf(' TARGET')).replace(/ PARENT$/, '');
}

describe('resource kinds: every surface offers only what core allows', () => {
  for (const kind of SURFACED) {
    const states = [...KINDS[kind].states, 'SOMETHING_NEW'];

    it(`Slack's ${kind} menu is core's menu, in every state`, () => {
      for (const state of states) {
        const offered = slackMenu(kind, state).map(([, words]) => words);
        for (const words of offered)
          assert.ok(words === KINDS[kind].show || allows(kind, words, state), `Slack offers "${words}" on ${state}`);
        for (const item of menuFor(kind, state))
          assert.ok(offered.includes(item.command), `Slack leaves out "${item.command}" on a ${state} ${kind}`);
      }
    });

    it(`VS Code's ${kind} context menu offers nothing core would refuse`, () => {
      const actions = ACTIONS.filter((a) => a.kind === kind);
      assert.ok(actions.length > 0);
      for (const state of states) {
        for (const action of actions.filter((a) => a.when.test(contextValue(kind, state)))) {
          const words = vscodeWords(action);
          assert.ok(allows(kind, words, state), `VS Code offers ${action.command} ("${words}") on a ${state} ${kind}`);
        }
      }
    });
  }

  it('VS Code offers every instance verb core allows in each state', () => {
    for (const state of KINDS.instance.states) {
      const offered = ACTIONS.filter((a) => a.kind === 'instance' && a.when.test(contextValue('instance', state))).map(
        vscodeWords,
      );
      for (const item of menuFor('instance', state).filter((i) => i.command !== KINDS.instance.show))
        assert.ok(offered.includes(item.command), `VS Code leaves out "${item.command}" on a ${state} instance`);
    }
  });

  it('a running instance can be reinstalled and imaged from Slack (they were missing)', () => {
    const words = slackMenu('instance', 'RUNNING').map(([, w]) => w);
    assert.ok(words.includes('cvm reinstall') && words.includes('cvm image create'), words.join(', '));
  });
});
