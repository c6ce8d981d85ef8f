import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { parseCommand } from '../../src/commands/parse.ts';

// A deterministic generator, so a failure can be reproduced from its seed.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'cvm',
  'cfs',
  'csm',
  'instances',
  'stop',
  'start',
  'reboot',
  'terminate',
  'show',
  'image',
  'images',
  'create',
  'delete',
  'keypairs',
  'regions',
  'zones',
  'filesystems',
  'pgroups',
  'rules',
  'rule',
  'add',
  'jobs',
  'call',
  'help',
  'approve',
  'deny',
  'approvals',
  'cancel',
  'reset-password',
  'reinstall',
  'ins-abcd1234',
  'ins-1122',
  'img-abcd1234',
  'cfs-abcd1234',
  'pgroup-abcd1234',
  'web-1',
  '--stop-type',
  'SOFT',
  'HARD',
  '--limit',
  '10',
  '-1',
  '--region',
  '--tag',
  'env=prod',
  '=',
  '--name',
  '*',
  '--dry-run',
  '--yes',
  '--',
  '"',
  "'",
  '\\',
  '--reason',
  '--ip',
  '10.0.0.0/24',
  '--priority',
  '999',
  '--state',
  'RUNNING',
  '--image',
  '\u0000',
  '😀',
  '--__proto__',
  '--constructor',
  'toString',
  '--help',
  '',
];

describe('commands/parse fuzz', () => {
  it('survives 100,000 generated commands: each is parsed or refused with a clear InputError', function () {
    this.timeout(120_000);
    const random = prng(20261123);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 100_000; i++) {
      const length = Math.floor(random() * 8);
      const words = Array.from({ length }, () => {
        const word = WORDS[Math.floor(random() * WORDS.length)]!;
        // Now and then, mangle a word with random characters.
        return random() < 0.1 ? word + String.fromCharCode(32 + Math.floor(random() * 95)) : word;
      });
      const text = words.join(' ');
      try {
        parseCommand(random() < 0.5 ? text : words, { region: 'ap-guangzhou' });
        accepted++;
      } catch (error) {
        if (!(error instanceof InputError))
          assert.fail(`input ${i} ${JSON.stringify(text)} crashed: ${(error as Error).stack}`);
        assert.ok(
          error.message.length > 10 && !/undefined|\[object/.test(error.message),
          `unclear refusal for ${JSON.stringify(text)}: ${error.message}`,
        );
        refused++;
      }
    }
    assert.ok(
      accepted > 1000 && refused > 1000,
      `the generator should reach both sides (accepted ${accepted}, refused ${refused})`,
    );
  });
});
