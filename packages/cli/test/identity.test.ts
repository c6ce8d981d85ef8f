/** Who the terminal acts as: --as only on the embedded emulator, refused with a configured cloud; bad names refused. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.ts';
import type { Prompter } from '../src/prompt.ts';
import { captureIo } from './io.ts';

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

describe('cli identity', function () {
  this.timeout(30_000);
  const home = mkdtempSync(join(tmpdir(), 'tceops-cli-identity-'));
  const local = { HOME: home, TCEOPS_STORE: `file:${join(home, 'store')}`, PATH: process.env.PATH };

  async function run(args: string[], env: NodeJS.ProcessEnv) {
    const io = captureIo();
    const code = await main(args, { io, env, prompter: noTerminal });
    return { code, ...io };
  }

  it('honours --as on the embedded emulator', async () => {
    const { code, stderr } = await run(['approvals', '--as', 'bob'], local);
    assert.equal(code, 0, stderr);
  });

  it('refuses an --as with spaces or invisible characters, even on the emulator', async () => {
    for (const name of [' bob', 'bob\u200b', 'b\u202eob']) {
      const { code, stderr } = await run(['approvals', '--as', name], local);
      assert.equal(code, 2, JSON.stringify(name));
      assert.match(stderr, /refused --as/);
    }
  });

  it('refuses --as and TCEOPS_USER with a configured cloud, before connecting', async () => {
    const cloud = {
      ...local,
      TCE_ENDPOINT: 'http://127.0.0.1:9',
      TENCENTCLOUD_SECRET_ID: 'AKIDx',
      TENCENTCLOUD_SECRET_KEY: 'k',
    };
    const flag = await run(['cvm', 'instances', '--as', 'bob'], cloud);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /refused with a configured cloud/);
    const variable = await run(['cvm', 'instances'], { ...cloud, TCEOPS_USER: 'bob' });
    assert.equal(variable.code, 2);
    const consoleRun = await run(['console', '--as', 'bob'], cloud);
    assert.equal(consoleRun.code, 2);
  });
});

describe('cli server mode without a sign-in', () => {
  it('refuses with exit 2 and says how to sign in, before anything is sent', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tceops-cli-nosignin-'));
    const io = captureIo();
    const code = await main(['cvm', 'instances'], {
      io,
      env: { HOME: home, TCEOPS_SERVER: 'http://127.0.0.1:9' },
      prompter: noTerminal,
    });
    assert.equal(code, 2);
    assert.match(io.stderr, /not signed in to http:\/\/127\.0\.0\.1:9[\s\S]*tceops login --server/);
  });
});
