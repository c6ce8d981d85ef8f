/**
 * The pipeline's promise, checked from the outside: every request that changed the emulator's state (a write
 * the emulator answered OK) has an audit record naming the actor, the surface, the plan hash and its RequestId.
 * The emulator's own request log (/_tce/requests) is the witness; the audit log is what is checked.
 */
import assert from 'node:assert/strict';
import { readAudit } from '../../packages/core/src/audit/log.ts';
import { riskOf } from '../../packages/core/src/catalog/risk.ts';
import type { Store } from '../../packages/core/src/store/types.ts';

interface RequestRecord {
  requestId: string;
  service: string;
  action: string;
  code: string;
}

/** `outside`: RequestIds of changes a test made on purpose behind tceops's back (to make a plan stale). */
export async function assertEveryChangeAudited(
  emulatorUrl: string,
  store: Store,
  outside: ReadonlySet<string> = new Set(),
): Promise<number> {
  const response = await fetch(`${emulatorUrl}/_tce/requests?limit=100000`);
  const { requests } = (await response.json()) as { requests: RequestRecord[] };
  const changes = requests.filter(
    (r) => r.code === 'OK' && riskOf(r.service, r.action) !== 'read' && !outside.has(r.requestId),
  );
  const records = await readAudit(store);
  for (const change of changes) {
    const record = records.find((r) => r.requestIds?.includes(change.requestId));
    assert.ok(
      record,
      `${change.service}:${change.action} (${change.requestId}) changed the cloud with no audit record`,
    );
    assert.ok(record.actor, `${change.requestId}: the audit record names no actor`);
    assert.ok(record.surface, `${change.requestId}: the audit record names no surface`);
    assert.match(record.planHash ?? '', /^[0-9a-f]{64}$/, `${change.requestId}: the audit record names no plan hash`);
  }
  return changes.length;
}

/** The same check for a test that keeps only the store's URL (a terminal run opens and closes its own store). */
export async function assertEveryChangeAuditedIn(
  emulatorUrl: string,
  storeUrl: string,
  outside: ReadonlySet<string> = new Set(),
): Promise<number> {
  const { openStore } = await import('../../packages/core/src/store/open.ts');
  const store = await openStore(storeUrl);
  try {
    return await assertEveryChangeAudited(emulatorUrl, store, outside);
  } finally {
    await store.close();
  }
}
