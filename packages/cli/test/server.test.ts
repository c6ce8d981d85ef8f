/**
 * Which server the terminal talks to: a URL carrying a user name or password is refused before anything is sent,
 * and never echoed (it would be printed in every message that names the server).
 */
import assert from 'node:assert/strict';
import { InputError } from '@tceops/core/api/errors.ts';
import { main } from '../src/main.ts';
import { checkServerUrl, serverTarget } from '../src/server.ts';
import { captureIo } from './io.ts';

describe('cli/server', () => {
  it('takes an http(s) URL, without its trailing slash', () => {
    assert.equal(checkServerUrl('https://tceops.example.com/'), 'https://tceops.example.com');
    assert.deepEqual(
      serverTarget({}, { TCEOPS_SERVER: 'http://127.0.0.1:8080', TCEOPS_TOKEN: 't', HOME: '/nonexistent' }),
      {
        server: 'http://127.0.0.1:8080',
        token: 't',
      },
    );
  });

  it('refuses a URL with a user name or password, and a malformed one, without repeating it', () => {
    for (const url of [
      'https://ops:Hunter2Secret@tceops.example.com',
      'https://Hunter2Secret@tceops.example.com',
      'https://ops:Hunter2 Secret@x y',
    ]) {
      assert.throws(
        () => checkServerUrl(url),
        (e: unknown) => e instanceof InputError && !e.message.includes('Hunter2'),
      );
    }
  });

  it('whoami, a command and login with such a URL: exit 2, the password nowhere in the output', async () => {
    const env = { TCEOPS_SERVER: 'https://ops:Hunter2Secret@127.0.0.1:9', TCEOPS_TOKEN: 'tok', HOME: '/nonexistent' };
    for (const argv of [['whoami'], ['cvm', 'instances'], ['login', '--server', env.TCEOPS_SERVER]]) {
      const io = captureIo();
      assert.equal(await main(argv, { io, env }), 2, argv.join(' '));
      assert.doesNotMatch(io.stdout + io.stderr, /Hunter2/);
      assert.match(io.stderr, /must not carry a user name or password/);
    }
  });
});
