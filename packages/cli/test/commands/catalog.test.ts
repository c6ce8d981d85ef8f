import assert from 'node:assert/strict';
import { main } from '../../src/main.ts';
import { captureIo } from '../io.ts';

async function run(args: string[]) {
  const io = captureIo();
  const code = await main(args, { io, env: {} });
  return { code, ...io };
}

describe('cli catalog', () => {
  it('lists the services with their versions', async () => {
    const { code, stdout } = await run(['catalog']);
    assert.equal(code, 0);
    assert.match(stdout, /cvm\s+2017-03-12/);
    assert.match(stdout, /cfs\s+2018-04-16, 2019-07-19\s+2019-07-19/);
    assert.match(stdout, /csm\s+2021-09-15/);
  });

  it("shows an action's parameters, limits and errors, as text and JSON", async () => {
    const text = await run(['catalog', 'show', 'cvm', 'StopInstances']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /InstanceIds\s+Array of String\s+yes\s+at most 100 items/);
    assert.match(text.stdout, /StopType/);
    assert.match(text.stdout, /InvalidInstanceId\.Malformed/);
    assert.match(text.stdout, /rate limit: 10\/s/);
    const json = await run([
      'catalog',
      'show',
      'cfs',
      'CreateCfsRule',
      '--api-version',
      '2018-04-16',
      '--output',
      'json',
    ]);
    assert.equal(json.code, 0);
    const action = JSON.parse(json.stdout);
    assert.equal(action.version, '2018-04-16');
    assert.equal(action.risk, 'write');
  });

  it('refuses an unknown action with a suggestion', async () => {
    const { code, stderr } = await run(['catalog', 'show', 'cvm', 'StopInstance']);
    assert.equal(code, 2);
    assert.match(stderr, /StopInstances/);
  });
});
