import assert from 'node:assert/strict';
import { readSlackConfig, slackMode } from '../src/config.ts';
import { ConfigError } from '../src/core.ts';

const BOT = 'xoxb-1-2-abc';

describe('slack config', () => {
  it('picks Socket Mode, HTTP or none from the environment', () => {
    assert.equal(slackMode({ SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT }), 'socket');
    assert.equal(slackMode({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT }), 'http');
    assert.equal(slackMode({}), 'none');
    assert.equal(readSlackConfig({}), undefined);
  });

  it('refuses a bot token alone, saying which variable to add', () => {
    assert.throws(
      () => slackMode({ SLACK_BOT_TOKEN: BOT }),
      (e: Error) => e instanceof ConfigError && /SLACK_APP_TOKEN.*SLACK_SIGNING_SECRET/.test(e.message),
    );
  });

  it('refuses missing or mixed-up tokens with what to do', () => {
    assert.throws(() => readSlackConfig({ SLACK_SIGNING_SECRET: 's' }), /SLACK_BOT_TOKEN is not.*xoxb-/);
    assert.throws(
      () => readSlackConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xapp-1-oops' }),
      /must be a bot token starting with xoxb-/,
    );
    assert.throws(
      () => readSlackConfig({ SLACK_APP_TOKEN: 'xoxb-wrong', SLACK_BOT_TOKEN: BOT }),
      /app-level token starting with xapp-/,
    );
  });

  it('reads the port, API base and approvals channel, and refuses bad values', () => {
    const config = readSlackConfig({
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: BOT,
      PORT: '8080',
      SLACK_API_URL: 'https://slack-gov.com/api',
      TCEOPS_APPROVALS_CHANNEL: 'C0123ABC',
    });
    assert.deepEqual(
      { mode: config?.mode, port: config?.port, apiUrl: config?.apiUrl, approvals: config?.approvalsChannel },
      { mode: 'http', port: 8080, apiUrl: 'https://slack-gov.com/api/', approvals: 'C0123ABC' },
    );
    assert.equal(
      readSlackConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT })?.port,
      3000,
      'HTTP mode defaults to 3000',
    );
    assert.equal(
      readSlackConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: BOT })?.port,
      undefined,
      'Socket Mode needs no port',
    );
    const http = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT };
    assert.throws(() => readSlackConfig({ ...http, PORT: 'eighty' }), /PORT must be a whole number/);
    assert.throws(() => readSlackConfig({ ...http, PORT: '70000' }), /PORT must be a whole number/);
    assert.throws(() => readSlackConfig({ ...http, SLACK_API_URL: 'slack api' }), /SLACK_API_URL is not a URL/);
    assert.throws(() => readSlackConfig({ ...http, SLACK_API_URL: 'ftp://x/api/' }), /must be an http\(s\) URL/);
    assert.throws(
      () => readSlackConfig({ ...http, TCEOPS_APPROVALS_CHANNEL: '#approvals' }),
      /channel ID such as C0123456789/,
    );
  });

  it('reads the stream limits; unset keeps the defaults; zero, negative or not a number is refused', () => {
    const http = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT };
    assert.deepEqual(readSlackConfig(http)?.streams, {});
    assert.deepEqual(
      readSlackConfig({ ...http, TCEOPS_MAX_STREAMS_PER_USER: '4', TCEOPS_MAX_STREAMS: '100' })?.streams,
      { perUser: 4, total: 100 },
    );
    for (const bad of ['0', '-1', '2.5', 'many', '1e9'])
      assert.throws(
        () => readSlackConfig({ ...http, TCEOPS_MAX_STREAMS_PER_USER: bad }),
        /TCEOPS_MAX_STREAMS_PER_USER is a number of open streams from 1 to 100000/,
      );
    assert.throws(() => readSlackConfig({ ...http, TCEOPS_MAX_STREAMS: '0' }), /TCEOPS_MAX_STREAMS is a number/);
  });
});
