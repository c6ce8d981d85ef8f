/** `tceops audit verify`: check the audit log's hash chain; any edited, reordered or removed record fails it. */
import { InputError } from '@tceops/core/api/errors.ts';
import { formatVerification, verifyAudit } from '@tceops/core/audit/log.ts';
import { openStore } from '@tceops/core/store/open.ts';
import type { Io } from '../output.ts';

export async function runAudit(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] !== 'verify' || argv.length > 1) throw new InputError('usage: tceops audit verify', 'InvalidAction');
  const store = await openStore(env.TCEOPS_STORE);
  try {
    const result = await verifyAudit(store);
    (result.ok ? io.out : io.err)(formatVerification(result));
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}
