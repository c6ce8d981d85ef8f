/**
 * The store contract against a real PostgreSQL server: TCEOPS_TEST_PG (.ci/run starts one and sets it), else one
 * started from npm (test/postgres.ts). Each test gets its own schema, dropped afterwards. With neither, the tests
 * skip — except under CI, where that is a failure.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ConfigError } from '../../src/api/errors.ts';
import { executeApproved, requestApproval, approveRequest } from '../../src/approvals/service.ts';
import { appendAudit, verifyAudit } from '../../src/audit/log.ts';
import { openStore } from '../../src/store/open.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import { testPostgres } from '../../../../test/postgres.ts';
import { approvalDecision, terminatePlan } from '../approvals/fixtures.ts';
import { type StoreBackend, storeContract } from './contract.ts';

let SERVER: string | undefined;

/** The server, found once; without one the tests skip, except under CI. */
async function server(): Promise<string | undefined> {
  const found = await testPostgres();
  if (found.missing && process.env.CI) assert.fail(`${found.missing}; CI must not skip these tests`);
  SERVER = found.url;
  return SERVER;
}

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

async function pgBackend(): Promise<StoreBackend | undefined> {
  if (!(await server())) return undefined;
  const url = SERVER!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  return {
    openPair: async () => [
      await PostgresStore.open(withSchema(url, schema)),
      await PostgresStore.open(withSchema(url, schema)),
    ],
    editAuditRecord: async (seq) => {
      await admin.query(
        `UPDATE "${schema}".tceops_audit SET line = jsonb_set(line::jsonb, '{actor}', '"mallory"')::text WHERE seq = $1`,
        [seq],
      );
    },
    removeAuditRecord: async (seq) => {
      await admin.query(`DELETE FROM "${schema}".tceops_audit WHERE seq = $1`, [seq]);
    },
    cleanup: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

storeContract('postgres', pgBackend);

describe('store/postgres', function () {
  this.timeout(60_000);
  before(async function () {
    if (!(await server())) this.skip();
  });

  it('opens through TCEOPS_STORE, creating its tables; replicas starting together do not collide', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = withSchema(SERVER!, schema);
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(url)));
    try {
      assert.ok(stores.every((s) => s.kind === 'postgres'));
      await stores[0]!.setValue('k', { a: 1 });
      assert.deepEqual(await stores[3]!.getValue('k'), { a: 1 });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      const admin = new pg.Client({ connectionString: SERVER });
      await admin.connect();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });

  it('two replicas with separate pools: approvals, one execution, and an unbroken audit chain', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = withSchema(SERVER!, schema);
    const [a, b] = [await PostgresStore.open(url, { poolSize: 4 }), await PostgresStore.open(url, { poolSize: 4 })];
    try {
      const plan = terminatePlan();
      const r = await requestApproval(a, {
        plan,
        decision: approvalDecision(plan),
        requester: 'alice',
        surface: 'slack',
      });
      await approveRequest(b, r.id, { actor: 'bob', surface: 'slack' });
      let runs = 0;
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          executeApproved(i % 2 ? a : b, r.id, {
            replan: async (p) => p,
            run: async () => {
              runs++;
              return { ok: true, requestIds: ['req-pg'] };
            },
          }),
        ),
      );
      assert.equal(runs, 1);
      assert.equal(outcomes.filter((o) => o.outcome === 'ran').length, 1);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => appendAudit(i % 2 ? a : b, { kind: 'decision', actor: `u${i}` })),
      );
      const verified = await verifyAudit(b);
      assert.deepEqual(verified.problems, []);
      assert.equal(verified.records, 4 + 40);
    } finally {
      await a.close();
      await b.close();
      const admin = new pg.Client({ connectionString: SERVER });
      await admin.connect();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });

  it('a server that cannot be reached is a ConfigError with the password masked', async () => {
    const url = new URL(SERVER!);
    url.port = '1';
    url.password = 'hunter2secret';
    await assert.rejects(
      openStore(url.toString()),
      (e: unknown) =>
        e instanceof ConfigError &&
        /cannot use the PostgreSQL store/.test(e.message) &&
        !e.message.includes('hunter2secret') &&
        /TCEOPS_STORE=file/.test(e.message),
    );
  });

  it('refuses a schema name it would have to quote', async () => {
    await assert.rejects(openStore(withSchema(SERVER!, 'Bad-Name')), /schema "Bad-Name" must be lower-case/);
  });
});
