/**
 * The terminal against a store rolled back by hand: the newest approval record cut off (a denied request pending
 * again) is refused with exit 2 and a message saying where and what to do; commands that need no approval work;
 * `tceops audit verify` reports the break.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { denyRequest, requestApproval } from '@tceops/core/approvals/service.ts';
import { openStore } from '@tceops/core/store/open.ts';
import { approvalDecision, terminatePlan } from '../../core/test/approvals/fixtures.ts';
import { main } from '../src/main.ts';
import type { Prompter } from '../src/prompt.ts';
import { captureIo } from './io.ts';

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

describe('cli against a rolled-back store', function () {
  this.timeout(30_000);

  it('refuses every approval with exit 2 when the newest approval record was cut off; the rest works', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tceops-cli-store-'));
    const dir = join(home, 'store');
    const env = { HOME: home, TCEOPS_STORE: `file:${dir}`, TCEOPS_STORE_KEY: 'k'.repeat(40), PATH: process.env.PATH };
    const store = await openStore(env.TCEOPS_STORE, { env });
    const plan = terminatePlan();
    const { id } = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'cli',
    });
    await denyRequest(store, id, { actor: 'bob', surface: 'cli' }, 'no');
    await store.close();
    const file = join(dir, 'approvals.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8').trim().split('\n')[0]}\n`);

    const run = async (args: string[]) => {
      const io = captureIo();
      const code = await main(args, { io, env, prompter: noTerminal });
      return { code, ...io };
    };
    for (const args of [
      ['approve', id, '--as', 'carol'],
      ['approvals', '--state', 'all'],
    ]) {
      const { code, stderr } = await run(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /approvals\.head: the head says 2 records were written, but the records end at 1/);
      assert.match(stderr, new RegExp(`Last good record: 1 \\(${id} version 1\\)`));
      assert.match(stderr, /Restore approvals\.head and approvals\.jsonl together from a backup/);
      assert.doesNotMatch(stderr, /\n\s+at /);
    }
    const listing = await run(['cvm', 'instances']);
    assert.equal(listing.code, 0, listing.stderr);
    const verify = await run(['audit', 'verify']);
    assert.equal(verify.code, 1);
    assert.match(verify.stderr, /approval records broken at .*approvals\.head/);
    assert.match(verify.stderr, /last good approval record: 1 /);
  });
});
