/**
 * A short step's notice: VS Code keeps a progress notification at least 800 ms after it opens, so a quick step
 * must not open one (it would outlive the step); a slow one must, and close when the step ends, failed or not.
 */
import '../support/setup.ts';
import assert from 'node:assert/strict';
import { stepProgress } from '../../src/ui/progress.ts';
import { ProgressLocation, resetStub, shown } from '../support/vscode-stub.ts';

const notices = () =>
  shown.filter((s) => s.kind === 'progress' && s.options?.location === ProgressLocation.Notification);
const open = () => shown.filter((s) => s.kind === 'progress' && s.open).map((s) => s.message);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('vscode ui: a step’s progress', () => {
  beforeEach(resetStub);

  it('a quick step opens no notification, shows in the status bar, and leaves nothing open', async () => {
    assert.equal(await stepProgress('Stop: planning…', async () => 'planned', 200), 'planned');
    assert.deepEqual(notices(), []);
    assert.deepEqual(
      shown.filter((s) => s.kind === 'progress').map((s) => [s.message, s.options?.location]),
      [['Stop: planning…', ProgressLocation.Window]],
    );
    assert.deepEqual(open(), []);
  });

  it('a slow step opens a notification after the delay, open while it runs and closed when it ends', async () => {
    let seenOpen: string[] = [];
    const result = await stepProgress(
      'Stop…',
      async () => {
        await sleep(120);
        seenOpen = open();
        return 'sent';
      },
      30,
    );
    assert.equal(result, 'sent');
    assert.deepEqual(
      notices().map((s) => s.message),
      ['Stop…'],
    );
    assert.deepEqual(seenOpen, ['Stop…', 'Stop…'], 'the status bar and the notification, while the step runs');
    assert.deepEqual(open(), []);
  });

  it('a step that fails: its error comes through, and no notice stays open', async () => {
    await assert.rejects(
      stepProgress(
        'Stop: planning…',
        async () => {
          await sleep(60);
          throw new Error('the server is down');
        },
        10,
      ),
      /the server is down/,
    );
    assert.equal(notices().length, 1);
    assert.deepEqual(open(), []);
    await assert.rejects(
      stepProgress('Stop: planning…', () => {
        throw new Error('at once');
      }),
      /at once/,
    );
    assert.deepEqual(open(), []);
  });
});
