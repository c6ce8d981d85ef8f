import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/api/errors.ts';
import { newApproval } from '../../src/approvals/machine.ts';
import { approveRequest, requestApproval } from '../../src/approvals/service.ts';
import { appendAudit, readAudit, verifyAudit } from '../../src/audit/log.ts';
import { FileStore } from '../../src/store/file.ts';
import { maskStoreUrl, openStore, parseStoreUrl } from '../../src/store/open.ts';
import { approvalDecision, terminatePlan } from '../approvals/fixtures.ts';
import { type StoreBackend, storeContract } from './contract.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');

function fileBackend(): StoreBackend {
  const dir = mkdtempSync(join(tmpdir(), 'tceops-store-'));
  const auditFile = join(dir, 'audit.jsonl');
  const rewrite = (change: (lines: string[]) => string[]) => {
    const lines = readFileSync(auditFile, 'utf8').split('\n').filter(Boolean);
    writeFileSync(auditFile, `${change(lines).join('\n')}\n`);
  };
  const isSeq = (line: string, seq: number) => JSON.parse(line).seq === seq;
  return {
    openPair: async () => [await FileStore.open(dir), await FileStore.open(dir)],
    editAuditRecord: async (seq) =>
      rewrite((lines) =>
        lines.map((l) => (isSeq(l, seq) ? JSON.stringify({ ...JSON.parse(l), actor: 'mallory' }) : l)),
      ),
    removeAuditRecord: async (seq) => rewrite((lines) => lines.filter((l) => !isSeq(l, seq))),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

storeContract('file', fileBackend);

function runChild(args: string[]): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'child-execute.ts'), ...args], {
      cwd: repoRoot,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

describe('store/file', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('four processes racing to execute one approval (10 tries each) run it once; their audit appends chain', async () => {
    const store = await FileStore.open(dir);
    const plan = terminatePlan();
    const r = await requestApproval(store, {
      plan,
      decision: approvalDecision(plan),
      requester: 'alice',
      surface: 'cli',
    });
    await approveRequest(store, r.id, { actor: 'bob', surface: 'cli' });
    const runLog = join(dir, 'runs.log');
    const results = await Promise.all(Array.from({ length: 4 }, () => runChild([dir, r.id, '10', runLog, '15'])));
    const outcomes = results.flat();
    assert.equal(outcomes.filter((o) => o === 'ran').length, 1);
    assert.equal(outcomes.filter((o) => o === 'not-run').length, 39);
    assert.equal(readFileSync(runLog, 'utf8').trim().split('\n').length, 1);
    assert.equal((await store.getApproval(r.id))!.state, 'succeeded');
    const verified = await verifyAudit(store);
    assert.deepEqual(verified.problems, []);
    // request + approval + execution + result, and 4 × 15 decisions from the children.
    assert.equal(verified.records, 4 + 60);
    await store.close();
  });

  it('breaks a lock left by a process that died, at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: Number(dead), host: hostname(), nonce: 'x', at: new Date().toISOString() }),
    );
    const store = await FileStore.open(dir, { timeoutMs: 2_000 });
    const started = Date.now();
    await store.setValue('k', 1);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(existsSync(join(dir, 'lock')), false);
    await store.close();
  });

  it('waits for a live holder, then gives up naming the lock file', async () => {
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'held', at: new Date().toISOString() }),
    );
    const store = await FileStore.open(dir, { timeoutMs: 300 });
    await assert.rejects(
      store.setValue('k', 1),
      (e: unknown) =>
        e instanceof ConfigError &&
        /store lock .*lock has been held/.test(e.message) &&
        /remove that file/.test(e.message),
    );
    await store.close();
  });

  it('ignores a half-written last line, and the next write cuts it off', async () => {
    const store = await FileStore.open(dir);
    await appendAudit(store, { kind: 'decision', actor: 'alice' });
    appendFileSync(join(dir, 'audit.jsonl'), '{"seq":2,"act');
    assert.equal((await readAudit(store)).length, 1);
    assert.equal((await verifyAudit(store)).ok, true);
    await appendAudit(store, { kind: 'decision', actor: 'bob' });
    const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual((await verifyAudit(store)).problems, []);
    await store.close();
  });

  it('a hand-edited log ending in a huge line with no newline is refused at once, not read whole', async () => {
    const store = await FileStore.open(dir);
    await appendAudit(store, { kind: 'decision', actor: 'alice' });
    const path = join(dir, 'audit.jsonl');
    appendFileSync(path, `{"seq":2,"note":"${'x'.repeat(24 * 1024 * 1024)}`);
    const size = statSync(path).size;
    await assert.rejects(
      appendAudit(store, { kind: 'decision', actor: 'bob' }),
      (e: Error) => e instanceof ConfigError && /no complete record in its last 8 MB/.test(e.message),
    );
    assert.equal(statSync(path).size, size, 'nothing was written');
    await store.close();
  });

  it('a damaged approvals line is refused naming the file and line, and nothing is written', async () => {
    const store = await FileStore.open(dir);
    const plan = terminatePlan();
    await store.createApproval(
      newApproval({ plan, decision: approvalDecision(plan), requester: 'alice', surface: 'cli' }),
    );
    appendFileSync(join(dir, 'approvals.jsonl'), 'garbage\n');
    const before = readFileSync(join(dir, 'approvals.jsonl'), 'utf8');
    // Opening still works (work that needs no approval goes on); approval work is refused.
    const other = await (await FileStore.open(dir)).listApprovals().catch((e) => e);
    assert.ok(other instanceof ConfigError);
    assert.match(other.message, /approvals\.jsonl:2: not a JSON record; the store is damaged/);
    await assert.rejects(
      store.createApproval(newApproval({ plan, decision: approvalDecision(plan), requester: 'bob', surface: 'cli' })),
      /approvals\.jsonl:2/,
    );
    assert.equal(readFileSync(join(dir, 'approvals.jsonl'), 'utf8'), before);
    await store.close();
  });

  it('verify names a record moved out of order', async () => {
    const store = await FileStore.open(dir);
    for (let i = 0; i < 4; i++) await appendAudit(store, { kind: 'decision', actor: `u${i}` });
    const file = join(dir, 'audit.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, `${[lines[0], lines[2], lines[1], lines[3]].join('\n')}\n`);
    const result = await verifyAudit(store);
    assert.equal(result.ok, false);
    assert.match(result.problems.map((p) => p.message).join('\n'), /record 2 is out of place/);
    await store.close();
  });
});

describe('store/file: kv.jsonl stays small', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-kv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const kvLines = () => readFileSync(join(dir, 'kv.jsonl'), 'utf8').split('\n').filter(Boolean);

  it('values set and deleted one after another (pacing turns) leave a file that does not grow with them', async () => {
    const [a, c] = [await FileStore.open(dir), await FileStore.open(dir)];
    await a.setValue('keep', { n: 1 });
    await appendAudit(a, { kind: 'decision', actor: 'alice' });
    let most = 0;
    for (let i = 0; i < 1500; i++) {
      assert.equal(await (i % 2 ? a : c).setValueIfAbsent(`slack:pace:post:C1:${i}`, { at: i }), true);
      if (i >= 3) await (i % 2 ? c : a).deleteValue(`slack:pace:post:C1:${i - 3}`);
      most = Math.max(most, kvLines().length);
    }
    // 3,000 writes; the file was rewritten whenever it passed 1,000 lines, keeping the 6 current values.
    assert.ok(most <= 1001, `${most} lines at most`);
    assert.ok(kvLines().length < 1001);
    for (const store of [a, c]) {
      assert.deepEqual(await store.getValue('keep'), { n: 1 });
      assert.deepEqual(await store.getValue('slack:pace:post:C1:1499'), { at: 1499 });
      assert.equal(await store.getValue('slack:pace:post:C1:1495'), undefined);
      assert.equal(await store.setValueIfAbsent('slack:pace:post:C1:1498', 'again'), false);
    }
    // The audit head survives the rewrites: the next record chains on, and the chain verifies.
    await appendAudit(c, { kind: 'decision', actor: 'bob' });
    assert.deepEqual((await verifyAudit(a)).problems, []);
    await a.close();
    await c.close();
  });

  it('a damaged line stops the rewrite (verify must still see it) and every value operation says where', async () => {
    const store = await FileStore.open(dir);
    for (let i = 0; i < 600; i++) await store.setValue(`k${i % 3}`, i);
    appendFileSync(join(dir, 'kv.jsonl'), '{"key": 42}\n');
    const before = kvLines().length;
    await assert.rejects(
      store.deleteValue('k1'),
      (e: unknown) => e instanceof ConfigError && /kv\.jsonl:601/.test(e.message),
    );
    await assert.rejects(store.setValue('k1', 0), ConfigError);
    for (let i = 0; i < 600; i++) await appendAudit(store, { kind: 'decision', actor: `u${i}` });
    assert.ok(kvLines().length >= before + 600, 'nothing rewritten while the file is damaged');
    assert.ok(kvLines().includes('{"key": 42}'));
    await store.close();
  });
});

describe('store/file: an audit append reads the log from its end', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tceops-audit-tail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const audit = () => join(dir, 'audit.jsonl');

  it('a log of 600 MB (sparse) before the newest record: the next record chains on at once', async () => {
    const first = await FileStore.open(dir);
    await appendAudit(first, { kind: 'decision', actor: 'alice' });
    await first.close();
    const newest = readFileSync(audit());
    // 600 MB of NUL bytes, then a newline and the newest record: read whole, it would not fit in a string.
    const handle = openSync(audit(), 'w');
    ftruncateSync(handle, 600 * 2 ** 20);
    closeSync(handle);
    appendFileSync(audit(), Buffer.concat([Buffer.from('\n'), newest]));
    const store = await FileStore.open(dir);
    const started = Date.now();
    const record = await appendAudit(store, { kind: 'decision', actor: 'bob' });
    assert.equal(record.seq, 2);
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    await store.close();
  });

  it('chains onto the newest complete line that is not blank, across 64 kB reads and multi-byte text', async () => {
    const store = await FileStore.open(dir);
    // Long records (an actor of 100 kB of Chinese) so that lines and characters straddle the 64 kB steps.
    await appendAudit(store, { kind: 'decision', actor: '审'.repeat(100_000) });
    await appendAudit(store, { kind: 'decision', actor: '计'.repeat(70_000) });
    appendFileSync(audit(), '\n   \n\n');
    assert.equal((await appendAudit(store, { kind: 'decision', actor: 'carol' })).seq, 3);
    // A line still being written (no newline yet) is not chained onto; the append cuts it off first.
    appendFileSync(audit(), '{"seq": 99, "hash": "half-writ');
    assert.equal((await appendAudit(store, { kind: 'decision', actor: 'dave' })).seq, 4);
    assert.deepEqual((await verifyAudit(store)).problems, []);
    await store.close();
  });

  it('a damaged newest record stops the append, nothing recorded, and says so', async () => {
    const store = await FileStore.open(dir);
    await appendAudit(store, { kind: 'decision', actor: 'alice' });
    appendFileSync(audit(), '{"seq": "two"}\n');
    const before = readFileSync(audit(), 'utf8');
    await assert.rejects(
      appendAudit(store, { kind: 'decision', actor: 'bob' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /audit\.jsonl \(its last line\): the newest audit record is damaged/.test(e.message),
    );
    assert.equal(readFileSync(audit(), 'utf8'), before);
    await store.close();
  });
});

describe('store/open', () => {
  it('picks the store from TCEOPS_STORE', () => {
    assert.deepEqual(parseStoreUrl(undefined, '/w', '/home/u'), { kind: 'file', dir: '/home/u/.tceops' });
    assert.deepEqual(parseStoreUrl('', '/w', '/home/u'), { kind: 'file', dir: '/home/u/.tceops' });
    assert.deepEqual(parseStoreUrl('file:data', '/w', '/home/u'), { kind: 'file', dir: '/w/data' });
    assert.deepEqual(parseStoreUrl('file:~/ops', '/w', '/home/u'), { kind: 'file', dir: '/home/u/ops' });
    assert.deepEqual(parseStoreUrl('file:///var/lib/tceops', '/w', '/home/u'), {
      kind: 'file',
      dir: '/var/lib/tceops',
    });
    assert.deepEqual(parseStoreUrl('postgres://u:p@db:5432/ops'), {
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/ops',
    });
  });

  it('refuses anything else with a fix, never showing a password', () => {
    assert.throws(
      () => parseStoreUrl('mysql://root:s3cret@db/ops'),
      (e: unknown) =>
        e instanceof ConfigError &&
        /scheme "mysql:"/.test(e.message) &&
        !e.message.includes('s3cret') &&
        /TCEOPS_STORE to file:<dir>/.test(e.message),
    );
    assert.throws(() => parseStoreUrl('file:'), /names no directory/);
    assert.throws(() => parseStoreUrl('/tmp/x'), /not a store tceops knows/);
    assert.throws(
      () => parseStoreUrl('postgres://:pw@'),
      (e: unknown) => e instanceof ConfigError && !e.message.includes('pw@'),
    );
    assert.equal(maskStoreUrl('postgresql://ops:hunter2@db/x'), 'postgresql://ops:****@db/x');
  });

  it('opens the file store in the directory named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tceops-open-'));
    try {
      const store = await openStore(`file:${join(dir, 'nested')}`);
      assert.equal(store.kind, 'file');
      await store.setValue('k', 'v');
      assert.ok(existsSync(join(dir, 'nested', 'kv.jsonl')));
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
