/**
 * A separate process for the cross-process tests: opens the file store in argv[2] and tries, N times at once, to
 * execute approval argv[3]. Each run appends a line to argv[5]; prints its outcomes as JSON.
 */
import { appendFileSync } from 'node:fs';
import { executeApproved } from '../../src/approvals/service.ts';
import { appendAudit } from '../../src/audit/log.ts';
import { FileStore } from '../../src/store/file.ts';

const [dir, id, n, runLog, audits] = process.argv.slice(2);
const store = await FileStore.open(dir!);
const outcomes = await Promise.all([
  ...Array.from({ length: Number(n) }, () =>
    executeApproved(store, id!, {
      replan: async (plan) => plan,
      run: async () => {
        appendFileSync(runLog!, `${process.pid}\n`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { ok: true, requestIds: [`req-${process.pid}`] };
      },
    }).then((o) => o.outcome),
  ),
  ...Array.from({ length: Number(audits ?? 0) }, (_, i) =>
    appendAudit(store, { kind: 'decision', actor: `p${process.pid}-${i}` }).then(() => 'audit'),
  ),
]);
await store.close();
process.stdout.write(JSON.stringify(outcomes));
