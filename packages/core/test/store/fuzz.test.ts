/**
 * Store files cut or corrupted at every line: every operation either works or is refused with a ConfigError
 * naming the damage (or the store's own refusals: exists already, version moved on). No TypeError, no hang.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, RefusedError } from '../../src/api/errors.ts';
import { newApproval, withApproval } from '../../src/approvals/machine.ts';
import type { ApprovalRecord } from '../../src/approvals/types.ts';
import { appendAudit, readAudit, verifyAudit } from '../../src/audit/log.ts';
import { FileStore } from '../../src/store/file.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/types.ts';
import { approvalDecision, terminatePlan } from '../approvals/fixtures.ts';
import { prng } from '../fuzz.ts';

const FILES = ['approvals.jsonl', 'kv.jsonl', 'audit.jsonl'];
/** The store as openStore opens it: sealed, approvals chained, with the chain's head beside them. */
const SEALED_FILES = [...FILES, 'approvals.head'];
const KEY = { key: Buffer.from('f'.repeat(64)), source: 'fuzz' };
type Open = (dir: string) => Promise<Store>;
const plainStore: Open = (dir) => FileStore.open(dir);
const sealedStore: Open = (dir) => openStore(`file:${dir}`, { key: KEY });
/** The store's own refusals, which are answers, not crashes. */
const EXPECTED = /exists already|does not exist|the new version must be|does not follow the head/;

async function baseline(dir: string, open: Open): Promise<ApprovalRecord[]> {
  const store = await open(dir);
  const records: ApprovalRecord[] = [];
  for (const who of ['alice', 'bob', 'carol']) {
    const plan = terminatePlan();
    const record = newApproval({ plan, decision: approvalDecision(plan), requester: who, surface: 'cli' });
    await store.createApproval(record);
    records.push(record);
  }
  const next = withApproval(records[0]!, 'dave', new Date());
  await store.compareAndSetApproval(next, 1);
  for (let i = 0; i < 4; i++) await store.setValue(`k${i}`, { n: i, text: `value ${i}` });
  for (let i = 0; i < 5; i++) await appendAudit(store, { kind: 'decision', actor: `u${i}`, event: 'confirm' });
  await store.close();
  return records;
}

function mutations(
  line: string,
  random: () => number,
): { name: string; apply: (lines: string[], i: number) => string }[] {
  const parsed = (() => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  })();
  const join = (lines: string[]) => `${lines.join('\n')}\n`;
  const replace = (text: string) => (lines: string[], i: number) => join(lines.map((l, j) => (j === i ? text : l)));
  const list: { name: string; apply: (lines: string[], i: number) => string }[] = [
    { name: 'null', apply: replace('null') },
    { name: '[]', apply: replace('[]') },
    { name: '{}', apply: replace('{}') },
    { name: 'text', apply: replace('"just text"') },
    { name: 'number', apply: replace('42') },
    {
      name: 'garbage bytes',
      apply: replace(String.fromCharCode(...Array.from({ length: 20 }, () => Math.floor(random() * 0xffff)))),
    },
    { name: 'cut, newline kept', apply: replace(line.slice(0, Math.floor(random() * line.length))) },
    {
      name: 'cut, end of file',
      apply: (lines, i) =>
        `${lines.slice(0, i).join('\n')}${i ? '\n' : ''}${line.slice(0, Math.floor(random() * line.length))}`,
    },
    { name: 'deleted', apply: (lines, i) => join(lines.filter((_, j) => j !== i)) },
    { name: 'doubled', apply: (lines, i) => join(lines.flatMap((l, j) => (j === i ? [l, l] : [l]))) },
    { name: 'one character changed', apply: replace(line.replace(/[a-z0-9]/, 'Z')) },
  ];
  for (const key of Object.keys(parsed ?? {})) {
    // null, and one wrong type picked by the seed.
    for (const value of [null, [7, 'x', [], {}][Math.floor(random() * 4)]]) {
      list.push({
        name: `${key}: ${JSON.stringify(value)}`,
        apply: replace(JSON.stringify({ ...parsed, [key]: value })),
      });
    }
  }
  return list;
}

async function exercise(dir: string, ids: string[], open: Open): Promise<{ worked: number; refused: number }> {
  let worked = 0;
  let refused = 0;
  const store = await open(dir);
  const plan = terminatePlan();
  const operations: (() => Promise<unknown>)[] = [
    ...ids.map((id) => () => store.getApproval(id)),
    () => store.listApprovals(),
    () => store.listApprovals({ state: 'pending', requester: 'bob' }),
    async () => {
      const current = await store.getApproval(ids[1]!);
      if (current) await store.compareAndSetApproval({ ...current, version: current.version + 1 }, current.version);
    },
    () =>
      store.createApproval(newApproval({ plan, decision: approvalDecision(plan), requester: 'eve', surface: 'cli' })),
    () => store.getValue('k1'),
    () => store.setValue('k9', 1),
    () => store.setValueIfAbsent('k8', 1),
    () => store.auditHead(),
    () => appendAudit(store, { kind: 'decision', actor: 'fuzz' }),
    () => readAudit(store),
    () => verifyAudit(store),
  ];
  try {
    for (const operation of operations) {
      try {
        await operation();
        worked++;
      } catch (error) {
        const ok =
          (error instanceof ConfigError && /damaged|audit verify/.test(error.message)) ||
          (error instanceof RefusedError && /changed outside tceops/.test(error.message)) ||
          (error instanceof Error && error.constructor === Error && EXPECTED.test(error.message));
        if (!ok) throw error;
        refused++;
      }
    }
  } finally {
    await store.close();
  }
  return { worked, refused };
}

describe('store fuzz: files cut or corrupted at every line', () => {
  for (const [name, open, files] of [
    ['plain', plainStore, FILES],
    ['sealed', sealedStore, SEALED_FILES],
  ] as const)
    it(`every mutation of every line of every file (${name}): each operation works or is refused clearly`, async function () {
      this.timeout(300_000);
      const random = prng(7);
      const base = mkdtempSync(join(tmpdir(), 'tceops-store-fuzz-'));
      try {
        const records = await baseline(join(base, 'origin'), open);
        const ids = records.map((r) => r.id);
        const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(base, 'origin', f), 'utf8')]));
        let scenarios = 0;
        let worked = 0;
        let refused = 0;
        let worst = 0;
        for (const file of files) {
          const lines = texts[file]!.trimEnd().split('\n');
          for (let i = 0; i < lines.length; i++) {
            for (const mutation of mutations(lines[i]!, random)) {
              const dir = join(base, `s${scenarios++}`);
              mkdirSync(dir);
              for (const other of files)
                writeFileSync(join(dir, other), other === file ? mutation.apply(lines, i) : texts[other]!);
              const started = performance.now();
              try {
                const result = await exercise(dir, ids, open);
                worked += result.worked;
                refused += result.refused;
              } catch (error) {
                assert.fail(`${file} line ${i + 1}, ${mutation.name}: ${(error as Error).stack}`);
              }
              worst = Math.max(worst, performance.now() - started);
              rmSync(dir, { recursive: true, force: true });
            }
          }
        }
        console.log(
          `      store fuzz (${name}): ${scenarios} damaged stores, ${worked} operations worked, ${refused} refused, worst ${worst.toFixed(0)} ms a store`,
        );
        assert.ok(refused > 100 && worked > 1000);
        assert.ok(worst < 5000);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    });
});
