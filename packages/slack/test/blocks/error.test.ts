import assert from 'node:assert/strict';
import { renderError } from '../../src/blocks/error.ts';
import { InputError } from '../../src/core.ts';
import { ApiError } from '../../../core/src/api/errors.ts';
import { textOf } from '../../../../test/slack/harness.ts';

describe('error blocks', () => {
  it('shows the TCE code, message and RequestId of an API error', () => {
    const message = renderError(
      new ApiError('ResourceInUse', 'The instance is busy', 'req-abc-123', 'cvm', 'StopInstances'),
    );
    assert.match(textOf(message.blocks), /:x: \*ResourceInUse\*: The instance is busy/);
    assert.match(textOf(message.blocks), /RequestId `req-abc-123`/);
    assert.match(message.text, /RequestId req-abc-123/);
  });

  it('says nothing was sent for input errors, with the hint on its own line', () => {
    const text = textOf(
      renderError(
        new InputError('ins-xyz is not an instance ID', 'InvalidInstanceId.Malformed', 'IDs look like ins-abcd1234'),
      ).blocks,
    );
    assert.match(text, /\*InvalidInstanceId\.Malformed\*: ins-xyz is not an instance ID\n_IDs look like ins-abcd1234_/);
    assert.match(text, /Nothing was sent to the cloud/);
  });

  it('never shows a token that slipped into a message', () => {
    const text = textOf(renderError(new Error('request failed: Authorization xoxb-111-222-secret')).blocks);
    assert.ok(!text.includes('xoxb-111-222-secret'));
  });
});
