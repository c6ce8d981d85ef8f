/**
 * `tceops policy check` and `policy explain`: explain runs through the terminal's pipeline (who asked is recorded),
 * and on the `auditReads` option a bad value is refused with its file and
 * line (exit 2, nothing run or written), and explain says whether a read will be recorded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@tceops/emulator';
import { osUser } from '../../src/identity.ts';
import { main } from '../../src/main.ts';
import type { Prompter } from '../../src/prompt.ts';
import { captureIo } from '../io.ts';
import { terminalEnv } from '../../../../test/support/terminal-env.ts';

const noTerminal: Prompter = { interactive: false, ask: async () => '', askSecret: async () => '' };

describe('cli policy: auditReads', function () {
  this.timeout(60_000);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
  });
  after(() => emulator.stop());
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'tceops-policy-cli-'));
    env = terminalEnv(emulator.url, home);
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  async function run(args: string[], extra: NodeJS.ProcessEnv = {}) {
    const io = captureIo();
    const code = await main(args, { io, env: { ...env, ...extra }, prompter: noTerminal });
    return { code, ...io };
  }

  function file(text: string): string {
    const path = join(home, 'policy.yaml');
    writeFileSync(path, text);
    return path;
  }

  it('check: a bad value names file:line and exits 2; a good one passes', async () => {
    const bad = file('version: 1\nroles: {}\nauditReads: "yes\\u001b[2J"\n');
    const refused = await run(['policy', 'check', bad]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: auditReads: must be true`),
    );
    assert.ok(!refused.stderr.includes('\u001b'), 'the quoted value is inert');
    // The same file as the running policy: refused before anything connects or is written.
    const ran = await run(['cvm', 'instances'], { TCEOPS_POLICY: bad });
    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /:3: auditReads: must be true/);
    assert.ok(!existsSync(join(home, 'store')), 'no store was opened');
    assert.deepEqual(emulator.requests(), []);
    const good = await run(['policy', 'check', file('version: 1\nauditReads: true\n')]);
    assert.equal(good.code, 0, good.stderr);
  });

  it('explain says whether a read is recorded, and that a refused read always is', async () => {
    const on = file('version: 1\nauditReads: true\nrules:\n  - match: { action: "cfs:*" }\n    deny: not here\n');
    const recorded = await run(['policy', 'explain', 'cvm instances'], { TCEOPS_POLICY: on });
    assert.equal(recorded.code, 0, recorded.stderr);
    assert.match(recorded.stdout, /Decision: allow: runs at once, and is recorded in the audit log/);
    assert.match(recorded.stdout, /Audit: recorded in the audit log \(auditReads: true in .*policy\.yaml\)/);
    const refused = await run(['policy', 'explain', 'cfs filesystems'], { TCEOPS_POLICY: on });
    assert.match(refused.stdout, /Audit: a refused read is always recorded/);
    const off = await run(['policy', 'explain', 'cvm instances']);
    assert.match(off.stdout, /Decision: allow: runs at once\n/);
    assert.match(off.stdout, /Audit: not recorded in the audit log \(auditReads is off\)/);
    // A change is not a read: no read line.
    const change = await run(['policy', 'explain', 'cvm stop web-1'], { TCEOPS_POLICY: on });
    assert.ok(!/Audit:/.test(change.stdout), change.stdout);
  });

  /** The audit records the terminal's store holds. */
  function auditRecords(): {
    kind: string;
    actor: string;
    event?: string;
    detail?: string;
    data?: { targets?: string[] };
  }[] {
    return readFileSync(join(home, 'store', 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  it('explain goes through the pipeline: who asked is recorded, for whom, and with auditReads the targets it read', async () => {
    const off = await run(['policy', 'explain', 'cvm stop web-1', '--as', 'alice']);
    assert.equal(off.code, 0, off.stderr);
    const [first] = auditRecords().filter((r) => r.event === 'policy explain');
    assert.equal(first?.kind, 'request');
    assert.equal(first?.actor, osUser(env), 'the caller, not the name explained for');
    assert.match(first?.detail ?? '', /^for alice on cli: /);
    assert.equal(first?.data, undefined, 'no targets unless reads are recorded');

    const on = file('version: 1\nauditReads: true\n');
    const recorded = await run(['policy', 'explain', 'cvm stop web-1'], { TCEOPS_POLICY: on });
    assert.equal(recorded.code, 0, recorded.stderr);
    const last = auditRecords()
      .filter((r) => r.event === 'policy explain')
      .at(-1);
    assert.equal(last?.data?.targets?.length, 1);
    assert.match(last!.data!.targets![0]!, /^ins-[a-z0-9]{8}$/);
    assert.equal((await run(['audit', 'verify'])).code, 0);
    // Nothing but reads reached the cloud.
    assert.deepEqual(
      emulator.requests().filter((r) => !r.action.startsWith('Describe')),
      [],
    );
  });

  it('explain refuses a name it could not record, and in server mode sends people to the server', async () => {
    const hostile = await run(['policy', 'explain', 'cvm instances', '--as', 'ali\u001b[2Jce']);
    assert.equal(hostile.code, 2);
    assert.ok(!hostile.stderr.includes('\u001b'), 'the refusal is inert');
    const server = await run(['policy', 'explain', 'cvm stop web-1'], {
      TCEOPS_SERVER: 'https://tceops.example',
      TCEOPS_TOKEN: 'tceops_0123456789abcdef',
    });
    assert.equal(server.code, 2);
    assert.match(server.stderr, /signed in to a tceops server: the server's policy decides/);
    assert.match(server.stderr, /--dry-run/);
  });
});
