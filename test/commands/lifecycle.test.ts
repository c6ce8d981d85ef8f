/**
 * The lifecycle through the real engine against the emulator: launches priced and followed to RUNNING, resizes
 * with the price difference and TCE's verdict, refusals that send nothing but reads, price policies, and a price
 * that moves between the request and the approval.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TceClient } from '../../packages/core/src/api/client.ts';
import type { CommandContext, Engine, ProgressEvent } from '../../packages/core/src/commands/types.ts';
import { loadPolicy } from '../../packages/core/src/policy/load.ts';
import type { Store } from '../../packages/core/src/store/types.ts';
import { type Cloud, type Emulator, expectKind, startCloud } from '../support/cloud.ts';

const alice: CommandContext = { actor: { id: 'alice' }, surface: 'console' };
const bob: CommandContext = { actor: { id: 'bob' }, surface: 'console' };
const IMAGE = 'img-9qabwvbn';
const READS = /^(Describe|Inquiry|Query|Get)/;

describe('lifecycle: launch, resize, rename, renew, console with prices and TCE’s verdict', function () {
  this.timeout(60_000);
  let cloud: Cloud;
  let emulator: Emulator;
  let client: TceClient;
  let store: Store;
  let engine: Engine;
  let events: ProgressEvent[];

  beforeEach(async () => {
    cloud = await startCloud();
    ({ emulator, client, store, engine } = cloud);
    events = [];
    engine.onProgress((e) => events.push(e));
  });
  afterEach(() => cloud.close());

  /** Actions the emulator answered since `from`, in order. */
  async function actionsSince(from: number): Promise<string[]> {
    const body = (await (await fetch(`${emulator.url}/_tce/requests?limit=10000`)).json()) as {
      requests: { action: string }[];
    };
    return body.requests.slice(from).map((r) => r.action);
  }

  async function requestCount(): Promise<number> {
    return (await actionsSince(0)).length;
  }

  async function setPriceFactor(factor: number) {
    const r = await fetch(`${emulator.url}/_tce/prices`, { method: 'POST', body: JSON.stringify({ factor }) });
    assert.equal(r.status, 200);
  }

  async function byName(name: string) {
    const r = await client.call<{ InstanceSet: Record<string, unknown>[] }>('cvm', 'DescribeInstances', {
      Filters: [{ Name: 'instance-name', Values: [name] }],
    });
    return r.InstanceSet[0] as
      | { InstanceId: string; InstanceState: string; InstanceType: string; InstanceName: string }
      | undefined;
  }

  /** A launched, then stopped, instance of our own (the seed's are shared with other tests). */
  async function stoppedInstance(name: string, type = 'S5.MEDIUM4', zone = 'ap-guangzhou-2') {
    const run = expectKind(
      await engine.run(`cvm run --zone ${zone} --type ${type} --image ${IMAGE} --name ${name} --yes`, alice),
      'result',
    );
    const id = run.results[0]!.id;
    await engine.idle();
    expectKind(await engine.run(`cvm stop ${id} --yes`, alice), 'result');
    await engine.idle();
    assert.equal((await byName(name))!.InstanceState, 'STOPPED');
    return id;
  }

  it('launch: the plan carries the price (numbers, currency, unit) and TCE’s verdict; confirmed, it is followed to RUNNING', async () => {
    const ask = expectKind(
      await engine.run(`cvm run --zone ap-guangzhou-3 --type S5.MEDIUM4 --image ${IMAGE} --name lc-web-1`, alice),
      'confirm',
    );
    const price = ask.plan.price!;
    assert.equal(price.currency, 'CNY');
    assert.equal(price.unit, 'hour');
    assert.equal(typeof price.after, 'number');
    // S5.MEDIUM4 lists at 0.20/h, zone 3 costs 10% more, the 50 GB premium system disk 0.025/h.
    assert.equal(price.after, 0.245);
    assert.equal(price.source, 'InquiryPriceRunInstances');
    assert.ok(ask.plan.verdict!.some((c) => c.check === 'type in zone' && c.ok));
    assert.ok(ask.plan.verdict!.some((c) => c.check === 'quota' && /of 30 pay-as-you-go/.test(c.detail)));
    assert.match(ask.plan.summary, /Launch instance "lc-web-1" in ap-guangzhou/);
    assert.equal(await byName('lc-web-1'), undefined, 'nothing launched before the confirmation');

    const result = expectKind(await engine.confirm(ask.planId, alice), 'result');
    const id = result.results[0]!.id;
    assert.match(id, /^ins-/);
    assert.ok(result.results[0]!.ok);
    await engine.idle();
    const followed = events.filter((e) => e.targetId === id);
    assert.deepEqual(followed.at(-1), { ...followed.at(-1), state: 'RUNNING', done: true });
    assert.ok(
      followed.slice(0, -1).every((e) => e.state === 'PENDING' && !e.done),
      JSON.stringify(followed),
    );
    assert.equal((await byName('lc-web-1'))!.InstanceState, 'RUNNING');
  });

  it('launch of a type the zone does not sell: refused with TCE’s reason, and nothing but reads was sent', async () => {
    const before = await requestCount();
    const refused = expectKind(
      await engine.run(`cvm run --zone ap-guangzhou-3 --type C5.LARGE8 --image ${IMAGE} --name lc-no --yes`, alice),
      'error',
    );
    assert.equal(refused.error.exitCode, 1);
    assert.match(refused.error.message, /C5\.LARGE8 is not sold in ap-guangzhou-3/);
    assert.match(refused.error.message, /sold there: .*S5\.MEDIUM4/);
    const sent = await actionsSince(before);
    assert.ok(sent.length > 0 && sent.every((a) => READS.test(a)), sent.join(','));
  });

  it('launch beyond the zone’s pay-as-you-go quota: refused with what is left, nothing sent but reads', async () => {
    const before = await requestCount();
    const refused = expectKind(
      await engine.run(
        `cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-many --count 31 --yes`,
        alice,
      ),
      'error',
    );
    assert.match(refused.error.message, /of 30 pay-as-you-go instances left in ap-guangzhou-2; 31 asked/);
    assert.ok((await actionsSince(before)).every((a) => READS.test(a)));
  });

  it('launch with --ask-password: asked privately, sent in LoginSettings, never in the plan or the audit log', async () => {
    const secret = expectKind(
      await engine.run(
        `cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-pw --ask-password`,
        alice,
      ),
      'secret',
    );
    assert.ok(!JSON.stringify(secret.plan).includes('Password"'));
    // Long enough for the client's length rule (000:20449), too weak for TCE: the server judges it.
    for (const r of expectKind(await engine.confirm(secret.planId, alice, { password: 'weakweakweak' }), 'result')
      .results)
      assert.equal(r.code, 'InvalidPassword', 'TCE saw the password and judged it');
    const again = expectKind(
      await engine.run(
        `cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-pw --ask-password`,
        alice,
      ),
      'secret',
    );
    const ok = expectKind(await engine.confirm(again.planId, alice, { password: 'Lc-S3cret!pw' }), 'result');
    assert.ok(ok.results[0]!.ok, JSON.stringify(ok.results));
    const lines = await store.readAuditLines();
    assert.ok(!lines.some((l) => l.text.includes('Lc-S3cret!pw') || l.text.includes('weakweakweak')));
  });

  it('a password in the command text is refused before anything is sent, and is not repeated', async () => {
    const before = await requestCount();
    const refused = expectKind(
      await engine.run(
        `cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-x --password Hunter2-Leak`,
        alice,
      ),
      'error',
    );
    assert.equal(refused.error.exitCode, 2);
    assert.ok(!refused.error.message.includes('Hunter2-Leak'), refused.error.message);
    assert.equal(await requestCount(), before);
  });

  it('resize a stopped instance: TCE allows the type, the plan shows before → after; the type changes', async () => {
    const id = await stoppedInstance('lc-resize');
    const ask = expectKind(await engine.run(`cvm resize ${id} --type S5.LARGE8`, alice), 'confirm');
    const price = ask.plan.price!;
    // S5 in zone 2 costs 5% more than the list: 0.20 → 0.42 per hour.
    assert.deepEqual(
      { unit: price.unit, before: price.before, after: price.after, change: price.change },
      { unit: 'hour', before: 0.21, after: 0.42, change: 0.21 },
    );
    assert.ok(ask.plan.verdict!.some((c) => c.check === 'resize target' && c.ok));
    expectKind(await engine.confirm(ask.planId, alice), 'result');
    await engine.idle();
    assert.equal((await byName('lc-resize'))!.InstanceType, 'S5.LARGE8');
  });

  it('resize to a type TCE does not allow: refused with TCE’s reason; nothing but reads sent, the type unchanged', async () => {
    const id = await stoppedInstance('lc-wrong');
    const before = await requestCount();
    const refused = expectKind(await engine.run(`cvm resize ${id} --type M5.LARGE32 --yes`, alice), 'error');
    assert.match(
      refused.error.message,
      /TCE does not allow lc-wrong .* to become M5\.LARGE32: the type can only change within the S5 family/,
    );
    assert.match(refused.error.message, /allowed: S5\.SMALL2, S5\.MEDIUM4/);
    const sent = await actionsSince(before);
    assert.ok(
      sent.every((a) => READS.test(a)),
      sent.join(','),
    );
    assert.equal((await byName('lc-wrong'))!.InstanceType, 'S5.MEDIUM4');
  });

  it('resize of a running instance needs --force-stop; with it, TCE stops, changes and starts it', async () => {
    const run = expectKind(
      await engine.run(`cvm run --zone ap-guangzhou-2 --type S5.MEDIUM4 --image ${IMAGE} --name lc-live --yes`, alice),
      'result',
    );
    await engine.idle();
    const id = run.results[0]!.id;
    const refused = expectKind(await engine.run(`cvm resize ${id} --type S5.LARGE8 --yes`, alice), 'error');
    assert.match(refused.error.message, /RUNNING: changing the type needs it stopped/);
    expectKind(await engine.run(`cvm resize ${id} --type S5.LARGE8 --force-stop --yes`, alice), 'result');
    await engine.idle();
    assert.deepEqual(
      (({ InstanceType, InstanceState }) => ({ InstanceType, InstanceState }))((await byName('lc-live'))!),
      { InstanceType: 'S5.LARGE8', InstanceState: 'RUNNING' },
    );
  });

  it('a price policy: an expensive launch goes to approval, a cheap one needs a click', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tceops-policy-')), 'policy.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'rules:',
        '  - name: expensive-launches',
        '    match: { action: "cvm:RunInstances", price: [">= 2/h", unavailable] }',
        '    approve: { count: 1, ttl: 1h }',
        '',
      ].join('\n'),
    );
    const priced = cloud.open(loadPolicy(file));
    try {
      const cheap = expectKind(
        await priced.run(`cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-cheap`, alice),
        'confirm',
      );
      assert.equal(cheap.level, 'click');
      const expensive = expectKind(
        await priced.run(
          `cvm run --zone ap-guangzhou-2 --type S5.4XLARGE32 --image ${IMAGE} --name lc-big --count 2 --yes`,
          alice,
        ),
        'approval',
      );
      assert.ok(expensive.approval.plan.price!.after! >= 2);
      assert.equal(await byName('lc-big-1'), undefined, 'nothing launched while it waits');
      // A monthly threshold is the same rule at 720 hours a month.
      const explain = expectKind(
        await priced.run(
          `cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-cheap --dry-run`,
          alice,
        ),
        'dry-run',
      );
      assert.match(explain.decision, /confirm/);
      const done = expectKind(await priced.approve(expensive.approval.id, bob), 'result');
      assert.equal(done.results.length, 2);
      await priced.idle();
      assert.equal((await byName('lc-big-1'))!.InstanceState, 'RUNNING');
    } finally {
      await priced.close();
    }
  });

  it('a price that changes between the request and the approval makes the approval stale; nothing launches', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tceops-policy-')), 'policy.yaml');
    writeFileSync(
      file,
      'version: 1\nrules:\n  - match: { price: "> 100/month" }\n    approve: { count: 1, ttl: 1h }\n',
    );
    const priced = cloud.open(loadPolicy(file));
    try {
      const queued = expectKind(
        await priced.run(`cvm run --zone ap-guangzhou-2 --type S5.LARGE8 --image ${IMAGE} --name lc-stale`, alice),
        'approval',
      );
      await setPriceFactor(1.5);
      const before = await requestCount();
      const after = expectKind(await priced.approve(queued.approval.id, bob), 'approval');
      assert.equal(after.approval.state, 'stale');
      assert.match(after.approval.reason ?? '', /the price changed: ¥0\.445\/h → ¥0\.6675\/h/);
      assert.ok(!(await actionsSince(before)).includes('RunInstances'));
      assert.equal(await byName('lc-stale'), undefined);
    } finally {
      await priced.close();
    }
  });

  it('a price that changes between the plan and the click: the confirmation is refused as stale', async () => {
    const ask = expectKind(
      await engine.run(`cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-click`, alice),
      'confirm',
    );
    await setPriceFactor(2);
    const denied = expectKind(await engine.confirm(ask.planId, alice), 'denied');
    assert.match(denied.reason, /price changed/);
    assert.equal(await byName('lc-click'), undefined);
  });

  it('rename, grow the disk (priced), and the console URL only as a private answer', async () => {
    const id = await stoppedInstance('lc-edit');
    expectKind(await engine.run(`cvm rename ${id} lc-edited --yes`, alice), 'result');
    assert.equal((await byName('lc-edited'))!.InstanceId, id);
    const disk = expectKind(await engine.run(`cvm disk resize lc-edited --size 100`, alice), 'confirm');
    assert.equal(disk.plan.price!.source, 'InquiryPriceResizeInstanceDisks');
    assert.ok(disk.plan.price!.after! > 0);
    expectKind(await engine.confirm(disk.planId, alice), 'result');
    const shrink = expectKind(await engine.run(`cvm disk resize lc-edited --size 60 --yes`, alice), 'error');
    assert.equal(shrink.error.exitCode, 2);
    assert.match(shrink.error.message, /disks only grow/);
    await engine.idle();
    expectKind(await engine.run(`cvm start ${id} --yes`, alice), 'result');
    await engine.idle();
    const console = expectKind(await engine.run(`cvm console lc-edited`, alice), 'detail');
    assert.equal(console.private, true);
    assert.match(String(console.item.InstanceVncUrl), /^wss:\/\//);
  });

  it('renew: prepaid instances priced for a month; pay-as-you-go refused; a period other than 1 is bad input', async () => {
    const prepaid = expectKind(
      await engine.run(
        `cvm run --zone ap-guangzhou-2 --type S5.MEDIUM4 --image ${IMAGE} --name lc-pre --charge-type PREPAID --period 3 --yes`,
        alice,
      ),
      'result',
    );
    await engine.idle();
    const ask = expectKind(await engine.run(`cvm renew ${prepaid.results[0]!.id}`, alice), 'confirm');
    assert.deepEqual(
      (({ unit, months, after }) => ({ unit, months, after }))(ask.plan.price!),
      // (0.21 type + 0.025 disk) × 720 h × 70%.
      { unit: 'period', months: 1, after: 118.44 },
    );
    expectKind(await engine.confirm(ask.planId, alice), 'result');
    const postpaid = expectKind(
      await engine.run(`cvm run --zone ap-guangzhou-2 --type S5.SMALL2 --image ${IMAGE} --name lc-post --yes`, alice),
      'result',
    );
    await engine.idle();
    const refused = expectKind(await engine.run(`cvm renew ${postpaid.results[0]!.id} --yes`, alice), 'error');
    assert.match(refused.error.message, /only prepaid instances renew/);
    const bad = expectKind(await engine.run(`cvm renew ${prepaid.results[0]!.id} --period 6`, alice), 'error');
    assert.equal(bad.error.exitCode, 2);
  });
});
